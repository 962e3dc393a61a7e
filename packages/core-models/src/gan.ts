/**
 * GAN losses over raw discriminator scores (any shape; averaged) and an R1 penalty.
 */
import { tf } from './tf';
import { Rng } from './rng';
import type { Ops } from './ops/ops';
import { tfOps } from './ops/tfjs-ops';

export type GanLossKind = 'lsgan' | 'hinge' | 'nonsaturating';

const TF = tfOps as Ops<tf.Tensor>;

/** D's loss on raw scores (any shape; averaged). On tfjs by default; pass `o` for any runtime. */
export function discriminatorLoss(kind: GanLossKind, real: tf.Tensor, fake: tf.Tensor): tf.Scalar;
export function discriminatorLoss<T>(kind: GanLossKind, real: T, fake: T, o: Ops<T>): T;
export function discriminatorLoss<T>(kind: GanLossKind, real: T, fake: T, o: Ops<T> = TF as unknown as Ops<T>): T {
  switch (kind) {
    case 'lsgan':
      return o.mul(o.add(o.mean(o.square(o.sub(real, 1))), o.mean(o.square(fake))), 0.5);
    case 'hinge':
      return o.add(o.mean(o.relu(o.sub(1, real))), o.mean(o.relu(o.add(fake, 1))));
    case 'nonsaturating':
      return o.add(o.mean(o.softplus(o.neg(real))), o.mean(o.softplus(fake)));
  }
}

/** G's loss on D's raw scores of its samples. */
export function generatorLoss(kind: GanLossKind, fake: tf.Tensor): tf.Scalar;
export function generatorLoss<T>(kind: GanLossKind, fake: T, o: Ops<T>): T;
export function generatorLoss<T>(kind: GanLossKind, fake: T, o: Ops<T> = TF as unknown as Ops<T>): T {
  switch (kind) {
    case 'lsgan':
      return o.mul(o.mean(o.square(o.sub(fake, 1))), 0.5);
    case 'hinge':
      return o.neg(o.mean(fake));
    case 'nonsaturating':
      return o.mean(o.softplus(o.neg(fake)));
  }
}

export interface R1Options {
  sigma?: number;
  directions?: number;
  /**
   * true (default): each element of D's output is its own discriminator (a patch D), the
   * penalty is the mean of the per-patch ‖∇D_p‖². false: D's outputs are summed per sample
   * first (~P times larger for P overlapping patches). The same for a one-score D.
   */
  perPatch?: boolean;
}

/**
 * R1 = E‖∇ₓ D(x)‖² on real data (Mescheder et al. 2018), estimated with finite differences
 * along random directions: for δ ~ N(0, I), E[((D(x+σδ) − D(x))/σ)²] → ‖∇D‖² as σ → 0.
 * tfjs cannot differentiate through the gradient of LeakyRelu (a comparison op), so the
 * exact double-backprop form is not available; this needs first-order gradients only.
 * Per patch by default (R1Options.perPatch): a summed patch map flattened the seed table's
 * and the SR refiner's discriminators to chance (both were found that way, then fixed).
 */
export function r1Penalty(discriminate: (x: tf.Tensor4D) => tf.Tensor, x: tf.Tensor4D, rng: Rng, o?: R1Options): tf.Scalar;
export function r1Penalty<T>(discriminate: (x: T) => T, x: T, rng: Rng, o: R1Options, ops: Ops<T>): T;
export function r1Penalty<T>(discriminate: (x: T) => T, x: T, rng: Rng, o: R1Options = {}, ops: Ops<T> = TF as unknown as Ops<T>): T {
  const sigma = o.sigma ?? 1e-2,
    k = o.directions ?? 1;
  const shape = ops.shape(x),
    n = shape[0],
    size = shape.reduce((a, b) => a * b, 1);
  // per patch: each output element is its own discriminator (as the patch loss treats it), so
  // the penalty is the mean of the per-patch ‖∇D_p‖²; summing first makes it ~P times larger
  const perPatch = o.perPatch ?? true;
  const perSampleScore = (y: T): T => {
    const r = ops.reshape(y, [n, -1]);
    return perPatch ? r : ops.sum(r, [1]);
  };
  const base = perSampleScore(discriminate(x));
  let acc: T | null = null;
  for (let i = 0; i < k; i++) {
    const moved = ops.add(x, ops.mul(ops.constant(rng.normalArray(size), shape), sigma));
    const d = ops.div(ops.sub(perSampleScore(discriminate(moved)), base), sigma);
    const term = ops.mean(ops.square(d));
    acc = acc === null ? term : ops.add(acc, term);
  }
  return ops.div(acc!, k);
}
