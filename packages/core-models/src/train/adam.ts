/**
 * Adam with explicit, serialisable state, on host Float32Arrays. Written out (rather than
 * tf.train.adam) so the update is a plain function of (params, averaged grads, state):
 * checkpoints capture it exactly, data-parallel replicas apply bit-identical updates, and
 * the onnxruntime engine (whose gradients arrive as host arrays) pays no tfjs kernel per op:
 * one read and one assign per parameter.
 */
import { tf } from '../tf';

export interface AdamConfig {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  clipNorm?: number;
}

/** A gradient from tfjs (a tensor) or from the onnxruntime engine (a host array). */
export type Gradient = tf.Tensor | Float32Array;
const hostOf = (g: Gradient): Float32Array => (g instanceof Float32Array ? g : (g.dataSync() as Float32Array));

export class Adam {
  readonly cfg: Required<AdamConfig>;
  step = 0;
  readonly m = new Map<string, Float32Array>();
  readonly v = new Map<string, Float32Array>();

  constructor(cfg: AdamConfig) {
    this.cfg = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: 0, ...cfg };
  }

  private slot(map: Map<string, Float32Array>, name: string, size: number): Float32Array {
    let s = map.get(name);
    if (!s) {
      s = new Float32Array(size);
      map.set(name, s);
    }
    return s;
  }

  /** Applies one update; `lr` overrides the configured rate (schedules). Returns the grad norm. */
  apply(params: Map<string, tf.Variable>, grads: Map<string, Gradient>, lr = this.cfg.lr): number {
    const { beta1, beta2, eps, weightDecay, clipNorm } = this.cfg;
    this.step++;
    const bc1 = 1 - Math.pow(beta1, this.step),
      bc2 = 1 - Math.pow(beta2, this.step);
    const host = new Map([...grads].map(([k, g]) => [k, hostOf(g)]));
    let sq = 0;
    for (const g of host.values()) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
    const norm = Math.sqrt(sq);
    const clip = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
    for (const [name, p] of params) {
      const g = host.get(name);
      if (!g) continue;
      const w = Float32Array.from(p.dataSync() as Float32Array);
      const m = this.slot(this.m, name, w.length),
        v = this.slot(this.v, name, w.length);
      for (let i = 0; i < w.length; i++) {
        const gi = g[i] * clip;
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        let upd = m[i] / bc1 / (Math.sqrt(v[i] / bc2) + eps);
        if (weightDecay) upd += w[i] * weightDecay;
        w[i] -= lr * upd;
      }
      tf.tidy(() => p.assign(tf.tensor(w, p.shape)));
    }
    return norm;
  }

  dispose(): void {
    this.m.clear();
    this.v.clear();
  }
}

/** Exponential moving average of weights (host arrays), the copy that gets sampled and shipped. */
export class Ema {
  readonly shadow = new Map<string, { shape: number[]; data: Float32Array }>();
  constructor(
    params: Map<string, tf.Variable>,
    public decay = 0.999,
  ) {
    for (const [k, p] of params) this.shadow.set(k, { shape: p.shape.slice(), data: Float32Array.from(p.dataSync() as Float32Array) });
  }
  update(params: Map<string, tf.Variable>, step?: number): void {
    // warm-up: early on, a long average would remember the random init
    const d = step === undefined ? this.decay : Math.min(this.decay, (1 + step) / (10 + step));
    for (const [k, p] of params) {
      const s = this.shadow.get(k)!.data,
        w = p.dataSync() as Float32Array;
      for (let i = 0; i < s.length; i++) s[i] = d * s[i] + (1 - d) * w[i];
    }
  }
  dispose(): void {
    this.shadow.clear();
  }
}

/** Loss value and gradients of `lossFn` w.r.t. the given variables; the caller owns the grads. */
export function lossAndGrads(lossFn: () => tf.Scalar, params: Map<string, tf.Variable>): { loss: number; grads: Map<string, tf.Tensor> } {
  const names = [...params.keys()];
  const { value, grads } = tf.variableGrads(
    lossFn,
    names.map((n) => params.get(n)!),
  );
  const loss = value.dataSync()[0];
  value.dispose();
  const out = new Map<string, tf.Tensor>();
  for (const n of names) {
    const g = grads[params.get(n)!.name];
    if (g) out.set(n, g);
  }
  return { loss, grads: out };
}
