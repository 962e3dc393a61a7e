/**
 * GAN losses over raw discriminator scores (any shape; averaged), an R1 penalty, and a
 * helper that does one discriminator and one generator update.
 */
import * as tf from './tf';
import { Rng } from './rng';
import { gaussian } from './diffusion/samplers';
import type { Trainer } from './train/trainer';

export type GanLossKind = 'lsgan' | 'hinge' | 'nonsaturating';

export function discriminatorLoss(kind: GanLossKind, real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  switch (kind) {
    case 'lsgan': return tf.add(real.sub(1).square().mean(), fake.square().mean()).mul(0.5) as tf.Scalar;
    case 'hinge': return tf.add(tf.relu(tf.sub(1, real)).mean(), tf.relu(fake.add(1)).mean()) as tf.Scalar;
    case 'nonsaturating': return tf.add(tf.softplus(real.neg()).mean(), tf.softplus(fake).mean()) as tf.Scalar;
  }
}

export function generatorLoss(kind: GanLossKind, fake: tf.Tensor): tf.Scalar {
  switch (kind) {
    case 'lsgan': return fake.sub(1).square().mean().mul(0.5) as tf.Scalar;
    case 'hinge': return fake.mean().neg() as tf.Scalar;
    case 'nonsaturating': return tf.softplus(fake.neg()).mean() as tf.Scalar;
  }
}

/**
 * R1 = E‖∇ₓ D(x)‖² on real data (Mescheder et al. 2018), estimated with finite differences
 * along random directions: for δ ~ N(0, I), E[((D(x+σδ) − D(x))/σ)²] → ‖∇D‖² as σ → 0.
 * tfjs cannot differentiate through the gradient of LeakyRelu (a comparison op), so the
 * exact double-backprop form is not available; this needs first-order gradients only.
 * The score is summed per sample, as in the exact form.
 */
export function r1Penalty(discriminate: (x: tf.Tensor4D) => tf.Tensor, x: tf.Tensor4D, rng: Rng, o: { sigma?: number; directions?: number; perPatch?: boolean } = {}): tf.Scalar {
  const sigma = o.sigma ?? 1e-2, k = o.directions ?? 1;
  const n = x.shape[0];
  // perPatch: each output element is its own discriminator (as the patch loss treats it), so
  // the penalty is the mean of the per-patch ‖∇D_p‖²; summing first makes it ~P times larger
  const perSampleScore = (y: tf.Tensor): tf.Tensor => (o.perPatch ? y.reshape([n, -1]) : y.reshape([n, -1]).sum(1));
  const base = perSampleScore(discriminate(x));
  let acc: tf.Tensor = tf.scalar(0);
  for (let i = 0; i < k; i++) {
    const d = perSampleScore(discriminate(x.add(gaussian(rng, x.shape).mul(sigma)))).sub(base).div(sigma);
    acc = acc.add(d.square().mean());
  }
  return acc.div(k) as tf.Scalar;
}

export interface GanStepOptions {
  kind: GanLossKind;
  /** group names in the trainer */
  g: string;
  d: string;
  real: tf.Tensor4D;
  /** builds a fake batch; called inside gradient scopes */
  generate: () => tf.Tensor4D;
  discriminate: (x: tf.Tensor4D) => tf.Tensor;
  r1Gamma?: number;
  /** extra generator loss (e.g. L1 to a target), added to the adversarial term */
  generatorExtra?: (fake: tf.Tensor4D) => tf.Scalar;
  adversarialWeight?: number;
}

/** One D update on (real, detached fake) then one G update. Returns the losses. */
export function ganStep(tr: Trainer, o: GanStepOptions): Record<string, number> {
  const fake = tf.tidy(() => o.generate()); // generated outside D's gradient scope: G is not updated here
  const rng = tr.rng;
  const dLoss = tr.update(o.d, () => {
    let l = discriminatorLoss(o.kind, o.discriminate(o.real), o.discriminate(fake));
    if (o.r1Gamma) l = l.add(r1Penalty(o.discriminate, o.real, rng).mul(o.r1Gamma / 2));
    return l as tf.Scalar;
  });
  fake.dispose();
  let extra = 0;
  const gLoss = tr.update(o.g, () => {
    const f = o.generate();
    let l = generatorLoss(o.kind, o.discriminate(f)).mul(o.adversarialWeight ?? 1) as tf.Scalar;
    if (o.generatorExtra) { const e = o.generatorExtra(f); extra = e.dataSync()[0]; l = l.add(e) as tf.Scalar; }
    return l;
  });
  return o.generatorExtra ? { d: dLoss, g: gLoss, g_extra: extra } : { d: dLoss, g: gLoss };
}
