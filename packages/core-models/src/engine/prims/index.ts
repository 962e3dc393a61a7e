/** Every primitive the training engine knows, by name. */
import type { Prim } from '../ir';
import { elementwise } from './elementwise';
import { layout } from './layout';
import { conv } from './conv';
import { sample } from './sample';

export const PRIMS: Record<string, Prim> = { ...elementwise, ...layout, ...conv, ...sample };
export { setWeightGradForm, samePads } from './conv';
export type { WeightGradForm } from './conv';
