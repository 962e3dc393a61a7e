import { Family } from './common';
import { ganFamily } from './gan';
import { ddpmFamily } from './ddpm';
import { diffganFamily } from './diffgan';
import { pipelineFamily } from './pipeline';

/** All families of the table, in table order. */
export const FAMILIES: Family[] = [ganFamily, ddpmFamily, diffganFamily(2), diffganFamily(4), pipelineFamily];

/**
 * Ablations: runnable by name (`--models diffgan4-nor1,diffgan4-lsgan,diffgan4-dwide,diffgan4-ddeep`), never part
 * of the default table. The last two test the discriminator's capacity (a wider or a deeper D) at the same G.
 */
export const ABLATIONS: Family[] = [
  diffganFamily(4, { r1: false }),
  diffganFamily(4, { loss: 'lsgan' }),
  diffganFamily(4, { d: 'wide' }),
  diffganFamily(4, { d: 'deep' }),
];

const RUNNABLE: Family[] = [...FAMILIES, ...ABLATIONS];

/** CLI model names → families: gan, ddpm, diffgan (= diffgan4), diffgan2, diffgan4, pipeline, and the ablations. */
export function familyByName(name: string): Family | undefined {
  const id = name === 'diffgan' ? 'diffgan4' : name;
  return RUNNABLE.find((f) => f.id === id);
}

/** Every name familyByName accepts, for error messages. */
export function familyNames(): string[] {
  return RUNNABLE.map((f) => f.id);
}
