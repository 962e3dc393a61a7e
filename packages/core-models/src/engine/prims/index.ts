/** Every primitive the training engine knows, by name. */
import type { Prim } from '../ir';
import { elementwise } from './elementwise';
import { layout } from './layout';
import { conv } from './conv';
import { sample } from './sample';
import { resize } from './resize';

export const PRIMS: Record<string, Prim> = { ...elementwise, ...layout, ...conv, ...sample, ...resize };
export { setWeightGradForm, samePads } from './conv';
export type { WeightGradForm } from './conv';
