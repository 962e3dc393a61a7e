/**
 * A model = its description + named parameters. Forward execution on tfjs lives here;
 * it is differentiable on every backend we use (no DepthToSpace, no strided-slice grads).
 */
import { tf } from './tf';
import { GraphSpec, ParamSpec } from './graph';
import { tfOps } from './ops/tfjs-ops';
import { forwardWith } from './ops/table';
import { Rng } from './rng';
import { DiffganError } from './errors';

export type Params = Map<string, tf.Variable>;

export interface Model {
  spec: GraphSpec;
  params: Params;
}

export function initParam(p: ParamSpec, rng: Rng): Float32Array {
  const size = p.shape.reduce((a, b) => a * b, 1);
  switch (p.init) {
    case 'zeros':
      return new Float32Array(size);
    case 'ones':
      return new Float32Array(size).fill(1);
    case 'he':
    case 'glorot': {
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

export function disposeModel(m: Model): void {
  for (const v of m.params.values()) v.dispose();
}

export function paramCount(spec: GraphSpec): number {
  return spec.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
}

/** x[n,h,w,r*r*c] → [n,h*r,w*r,c]; equal to depthToSpace (DCR) but differentiable everywhere. */
export const pixelShuffle = (x: tf.Tensor4D, r: number): tf.Tensor4D => tfOps.depthToSpace(x, r) as tf.Tensor4D;

/**
 * Nearest-neighbour upsampling by an integer factor: repeat the channels r² times and
 * pixel-shuffle. Same values as tf.image.resizeNearestNeighbor, whose cpu-backend gradient
 * (tfjs 4.22) is wrong for batch > 1 (see grads.test.ts); tile's gradient exists up to rank 4.
 */
export const upNearest = (x: tf.Tensor4D, r: number): tf.Tensor4D => tfOps.upNearest(x, r) as tf.Tensor4D;

/** Checks named inputs against the description: present, of the right kind and width. */
export function checkInputs(spec: GraphSpec, shapes: Record<string, number[] | undefined>): void {
  for (const i of spec.inputs) {
    const s = shapes[i.name];
    if (!s) throw new DiffganError(`${spec.name}: missing input '${i.name}'`);
    const want = spec.values[i.value];
    const rank = want.kind === 'image' ? 4 : want.kind === 'vector' ? 2 : 1;
    if (s.length !== rank || (want.kind !== 'scalar' && s[rank - 1] !== want.channels)) {
      throw new DiffganError(`${spec.name}: input '${i.name}' should be ${want.kind} with ${want.channels} channels, got shape [${s}]`);
    }
  }
}

/** A parameter lookup that names the model and parameter when one is missing. */
export function paramLookup<T>(spec: GraphSpec, params: Map<string, T>): (name: string) => T {
  return (name) => {
    const p = params.get(name);
    if (!p) throw new DiffganError(`${spec.name}: parameter '${name}' missing`);
    return p;
  };
}

/**
 * Runs the description on tfjs. Intermediate tensors are the caller's to tidy (wrap the
 * call in tf.tidy, or in a gradient function, which tidies for you).
 */
export function forward(spec: GraphSpec, params: Map<string, tf.Tensor>, inputs: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  checkInputs(spec, Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape])));
  return forwardWith(tfOps, spec, paramLookup(spec, params), inputs);
}

/** Single-output convenience: `apply(model, {x})` returns that output. */
export function apply(model: Model | { spec: GraphSpec; params: Map<string, tf.Tensor> }, inputs: Record<string, tf.Tensor>): tf.Tensor {
  const out = forward(model.spec, model.params as Map<string, tf.Tensor>, inputs);
  return out[model.spec.outputs[0].name];
}
