import { Family } from './common';
import { ganFamily } from './gan';
import { ddpmFamily } from './ddpm';
import { diffganFamily } from './diffgan';
import { pipelineFamily } from './pipeline';

/** All families of the table, in table order. */
export const FAMILIES: Family[] = [ganFamily, ddpmFamily, diffganFamily(2), diffganFamily(4), pipelineFamily];

/**
 * Ablations: runnable by name, never part of the default table. diffgan2-dbase / diffgan4-dbase are
 * the DiffGAN rows with the base D the 3,000-step table was measured with, and the R1 and loss
 * ablations ran with it too (diffgan4-nor1-dbase, diffgan4-lsgan-dbase); diffgan4-dwide tests a
 * wider D (the capacity test that chose TABLE_D, the deep one).
 */
export const ABLATIONS: Family[] = [
  diffganFamily(2, { d: 'base' }),
  diffganFamily(4, { d: 'base' }),
  diffganFamily(4, { r1: false, d: 'base' }),
  diffganFamily(4, { loss: 'lsgan', d: 'base' }),
  diffganFamily(4, { d: 'wide' }),
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
