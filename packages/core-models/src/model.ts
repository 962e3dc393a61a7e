/**
 * A model = its description + named parameters. Forward execution on tfjs lives here;
 * it is differentiable on every backend we use (no DepthToSpace, no strided-slice grads).
 */
import * as tf from './tf';
import { GraphSpec, GraphNode, ParamSpec } from './graph';
import { Rng } from './rng';
import { DiffganError } from './errors';

export type Params = Map<string, tf.Variable>;

export interface Model { spec: GraphSpec; params: Params }

export function initParam(p: ParamSpec, rng: Rng): Float32Array {
  const size = p.shape.reduce((a, b) => a * b, 1);
  switch (p.init) {
    case 'zeros': return new Float32Array(size);
    case 'ones': return new Float32Array(size).fill(1);
    case 'he': case 'glorot': {
      const fanIn = p.shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const fanOut = p.shape[p.shape.length - 1] * (p.shape.length === 4 ? p.shape[0] * p.shape[1] : 1);
      const std = (p.gain ?? 1) * (p.init === 'he' ? Math.sqrt(2 / fanIn) : Math.sqrt(2 / (fanIn + fanOut)));
      return rng.normalArray(size, std);
    }
  }
}

/** Creates trainable variables for every parameter the description declares. */
export function createModel(spec: GraphSpec, seed = 0): Model {
  const rng = new Rng(seed);
  const params: Params = new Map();
  for (const p of spec.params) params.set(p.name, tf.variable(tf.tensor(initParam(p, rng), p.shape), true, `${spec.name}/${p.name}/${uid()}`));
  return { spec, params };
}

let uidCounter = 0;
const uid = (): number => uidCounter++;

export function disposeModel(m: Model): void { for (const v of m.params.values()) v.dispose(); }

export function paramCount(spec: GraphSpec): number {
  return spec.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
}

/** x[n,h,w,r*r*c] → [n,h*r,w*r,c]; equal to depthToSpace (DCR) but differentiable everywhere. */
export function pixelShuffle(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const oc = c / (r * r);
  return x.reshape([n, h, w, r, r, oc]).transpose([0, 1, 3, 2, 4, 5]).reshape([n, h * r, w * r, oc]);
}

/**
 * Nearest-neighbour upsampling by an integer factor: repeat the channels r² times and
 * pixel-shuffle. Same values as tf.image.resizeNearestNeighbor, whose cpu-backend gradient
 * (tfjs 4.22) is wrong for batch > 1 (see grads.test.ts); tile's gradient exists up to rank 4.
 */
export function upNearest(x: tf.Tensor4D, r: number): tf.Tensor4D {
  return pixelShuffle(x.tile([1, 1, 1, r * r]), r);
}

export function timestepEmbedding(t: tf.Tensor1D, dim: number, maxPeriod = 10000): tf.Tensor2D {
  const half = dim / 2;
  const freqs = tf.tensor1d(Array.from({ length: half }, (_, i) => Math.exp((-Math.log(maxPeriod) * i) / half)));
  const args = t.reshape([-1, 1]).mul(freqs.reshape([1, half]));
  return tf.concat([tf.cos(args), tf.sin(args)], 1) as tf.Tensor2D;
}

function runNode(n: GraphNode, v: (tf.Tensor | undefined)[], P: (name: string) => tf.Tensor, spec: GraphSpec): tf.Tensor {
  switch (n.op) {
    case 'input': throw new Error('unreachable');
    case 'conv': {
      let y = tf.conv2d(v[n.x] as tf.Tensor4D, P(`${n.param}.w`) as tf.Tensor4D, n.stride, 'same');
      if (n.bias) y = y.add(P(`${n.param}.b`));
      return y;
    }
    case 'dense': return tf.matMul(v[n.x] as tf.Tensor2D, P(`${n.param}.w`) as tf.Tensor2D).add(P(`${n.param}.b`));
    case 'act': {
      const x = v[n.x]!;
      switch (n.fn) {
        case 'relu': return tf.relu(x);
        case 'leakyRelu': return tf.leakyRelu(x, n.alpha ?? 0.2);
        case 'silu': return x.mul(tf.sigmoid(x));
        case 'sigmoid': return tf.sigmoid(x);
        case 'tanh': return tf.tanh(x);
      }
      break;
    }
    case 'add': case 'mul': {
      const a = v[n.a]!;
      let b = v[n.b]!;
      if (spec.values[n.a].kind === 'image' && spec.values[n.b].kind === 'vector') b = b.reshape([b.shape[0], 1, 1, b.shape[1]!]);
      return n.op === 'add' ? a.add(b) : a.mul(b);
    }
    case 'scale': return v[n.x]!.mul(n.s);
    case 'concat': return tf.concat(n.xs.map((i) => v[i]!), -1);
    case 'pixelShuffle': return pixelShuffle(v[n.x] as tf.Tensor4D, n.r);
    case 'avgPool': return tf.avgPool(v[n.x] as tf.Tensor4D, n.k, n.k, 'valid');
    case 'upNearest': return upNearest(v[n.x] as tf.Tensor4D, n.r);
    case 'groupNorm': {
      const x = v[n.x] as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      const g = x.reshape([b, h, w, n.groups, c / n.groups]);
      const { mean, variance } = tf.moments(g, [1, 2, 4], true);
      const y = g.sub(mean).div(variance.add(n.eps).sqrt()).reshape([b, h, w, c]);
      return y.mul(P(`${n.param}.gamma`)).add(P(`${n.param}.beta`));
    }
    case 'vectorAsImage': { const x = v[n.x]!; return x.reshape([x.shape[0], 1, 1, x.shape[1]!]); }
    case 'timeEmbed': return timestepEmbedding(v[n.x] as tf.Tensor1D, n.dim, n.maxPeriod);
  }
  throw new Error(`unknown op ${(n as GraphNode).op}`);
}

/**
 * Runs the description on tfjs. Intermediate tensors are the caller's to tidy (wrap the
 * call in tf.tidy, or in a gradient function, which tidies for you).
 */
export function forward(spec: GraphSpec, params: Map<string, tf.Tensor>, inputs: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  const v: (tf.Tensor | undefined)[] = new Array(spec.values.length);
  for (const i of spec.inputs) {
    const t = inputs[i.name];
    if (!t) throw new DiffganError(`${spec.name}: missing input '${i.name}'`);
    const want = spec.values[i.value];
    const rank = want.kind === 'image' ? 4 : want.kind === 'vector' ? 2 : 1;
    if (t.rank !== rank || (want.kind !== 'scalar' && t.shape[rank - 1] !== want.channels)) {
      throw new DiffganError(`${spec.name}: input '${i.name}' should be ${want.kind} with ${want.channels} channels, got shape [${t.shape}]`);
    }
    v[i.value] = t;
  }
  const P = (name: string): tf.Tensor => {
    const p = params.get(name);
    if (!p) throw new DiffganError(`${spec.name}: parameter '${name}' missing`);
    return p;
  };
  for (const n of spec.nodes) if (n.op !== 'input') v[n.out] = runNode(n, v, P, spec);
  const out: Record<string, tf.Tensor> = {};
  for (const o of spec.outputs) out[o.name] = v[o.value]!;
  return out;
}

/** Single-output convenience: `apply(model, {x})` returns that output. */
export function apply(model: Model | { spec: GraphSpec; params: Map<string, tf.Tensor> }, inputs: Record<string, tf.Tensor>): tf.Tensor {
  const out = forward(model.spec, model.params as Map<string, tf.Tensor>, inputs);
  return out[model.spec.outputs[0].name];
}
