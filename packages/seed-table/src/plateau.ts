/**
 * Training to a plateau: every `every` steps a seed's EMA weights are scored on a fixed sample
 * (same noise seed, same reference, the family's curve sampler), the point is appended to the
 * run's curve.json, and training stops when the best FID of the last third of the steps so far
 * has not improved on the best FID before it by `improvement` (5%), or at the step cap.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '@diffgan/core-models';

export interface CurvePoint {
  step: number;
  fid: number;
  precision: number;
  recall: number;
  /** training wall-clock and CPU seconds up to this step (scoring excluded) */
  seconds: number;
  cpuSeconds: number;
}

export interface PlateauRule {
  /** score every this many steps (a multiple of the 250-step chunk) */
  every: number;
  /** relative improvement the last third must bring over the best before it (0.05 = 5%) */
  improvement: number;
  /** never stop before this many steps (the rule needs points on both sides of the cut) */
  minSteps: number;
  /** stop here whatever the curve does */
  capSteps: number;
  /** images per curve point, and the sampler that makes them */
  samples: number;
}

export const DEFAULT_PLATEAU: PlateauRule = { every: 2000, improvement: 0.05, minSteps: 12000, capSteps: 150000, samples: 500 };

/**
 * Whether the curve has flattened: with S the last scored step, the best FID among points in
 * (2S/3, S] is not below (1 - improvement) x the best FID among points at or before 2S/3.
 */
export function plateauReached(curve: CurvePoint[], rule: Pick<PlateauRule, 'improvement' | 'minSteps'>): boolean {
  if (!curve.length) return false;
  const last = curve[curve.length - 1].step;
  if (last < rule.minSteps) return false;
  const cut = (last * 2) / 3;
  const before = curve.filter((p) => p.step <= cut && Number.isFinite(p.fid)).map((p) => p.fid);
  const recent = curve.filter((p) => p.step > cut && Number.isFinite(p.fid)).map((p) => p.fid);
  if (!before.length || !recent.length) return false;
  return Math.min(...recent) > (1 - rule.improvement) * Math.min(...before);
}

/** Why training stopped, for the report: the plateau (at which step) or the cap. */
export type StopReason = 'plateau' | 'cap';

export const curveFile = (dir: string): string => path.join(dir, 'curve.json');

/** The seed's curve up to `step` (points past a resumed checkpoint are dropped: they are scored again). */
export function readCurve(dir: string, step = Infinity): CurvePoint[] {
  const f = curveFile(dir);
  if (!fs.existsSync(f)) return [];
  const pts = JSON.parse(fs.readFileSync(f, 'utf8')) as CurvePoint[];
  return pts.filter((p) => p.step <= step);
}

export function writeCurve(dir: string, curve: CurvePoint[]): void {
  writeFileAtomic(curveFile(dir), JSON.stringify(curve, null, 1));
}
