/**
 * Adam with explicit, serialisable state. Written out (rather than tf.train.adam) so the
 * update is a plain function of (params, averaged grads, state): checkpoints capture it
 * exactly and data-parallel replicas apply bit-identical updates.
 */
import * as tf from '../tf';

export interface AdamConfig { lr: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number; clipNorm?: number }

export class Adam {
  readonly cfg: Required<AdamConfig>;
  step = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(cfg: AdamConfig) {
    this.cfg = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: 0, ...cfg };
  }

  private slot(map: Map<string, tf.Variable>, name: string, like: tf.Tensor): tf.Variable {
    let s = map.get(name);
    if (!s) { s = tf.variable(tf.zerosLike(like), false); map.set(name, s); }
    return s;
  }

  /** Applies one update; `lr` overrides the configured rate (schedules). Returns the grad norm. */
  apply(params: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>, lr = this.cfg.lr): number {
    const { beta1, beta2, eps, weightDecay, clipNorm } = this.cfg;
    this.step++;
    const bc1 = 1 - Math.pow(beta1, this.step), bc2 = 1 - Math.pow(beta2, this.step);
    const norm = tf.tidy(() => {
      const sq = [...grads.values()].map((g) => tf.sum(tf.square(g)));
      return sq.length ? Math.sqrt(tf.addN(sq).dataSync()[0]) : 0;
    });
    const clip = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
    tf.tidy(() => {
      for (const [name, p] of params) {
        const g0 = grads.get(name);
        if (!g0) continue;
        const g = clip !== 1 ? g0.mul(clip) : g0;
        const m = this.slot(this.m, name, p), v = this.slot(this.v, name, p);
        m.assign(m.mul(beta1).add(g.mul(1 - beta1)));
        v.assign(v.mul(beta2).add(g.square().mul(1 - beta2)));
        let upd = m.div(bc1).div(v.div(bc2).sqrt().add(eps));
        if (weightDecay) upd = upd.add(p.mul(weightDecay));
        p.assign(p.sub(upd.mul(lr)));
      }
    });
    return norm;
  }

  dispose(): void { for (const s of [...this.m.values(), ...this.v.values()]) s.dispose(); this.m.clear(); this.v.clear(); }
}

/** Exponential moving average of weights, the copy that gets sampled and shipped. */
export class Ema {
  readonly shadow = new Map<string, tf.Variable>();
  constructor(params: Map<string, tf.Variable>, public decay = 0.999) {
    for (const [k, p] of params) this.shadow.set(k, tf.variable(p.clone(), false));
  }
  update(params: Map<string, tf.Variable>, step?: number): void {
    // warm-up: early on, a long average would remember the random init
    const d = step === undefined ? this.decay : Math.min(this.decay, (1 + step) / (10 + step));
    tf.tidy(() => { for (const [k, p] of params) { const s = this.shadow.get(k)!; s.assign(s.mul(d).add(p.mul(1 - d))); } });
  }
  dispose(): void { for (const s of this.shadow.values()) s.dispose(); }
}

/** Loss value and gradients of `lossFn` w.r.t. the given variables; the caller owns the grads. */
export function lossAndGrads(lossFn: () => tf.Scalar, params: Map<string, tf.Variable>): { loss: number; grads: Map<string, tf.Tensor> } {
  const names = [...params.keys()];
  const { value, grads } = tf.variableGrads(lossFn, names.map((n) => params.get(n)!));
  const loss = value.dataSync()[0];
  value.dispose();
  const out = new Map<string, tf.Tensor>();
  for (const n of names) {
    const g = grads[params.get(n)!.name];
    if (g) out.set(n, g);
  }
  return { loss, grads: out };
}
