/**
 * The same objective's loss and gradients on tfjs (autodiff, the reference) and on the
 * onnxruntime engine, from the same parameters, batch and random draws. Tests in every
 * package use it to check the engine on their nets and losses.
 */
import { tf } from '../tf';
import { Model, createModel, disposeModel, forward } from '../model';
import { Rng } from '../rng';
import { tfOps } from '../ops/tfjs-ops';
import { lossAndGrads } from '../train/adam';
import { makeEnv, HostBatch, LossEnv, Objective } from './objective';
import type { GraphSpec } from '../graph';
import { mseLoss } from '../ops/ops';
import { OrtEngine } from './ort-step';
import type { OrtModule } from '../onnx/ort-session';
import { createOrtRunner, loadOrt } from '../onnx/runner';
import { exportOnnx } from '../onnx/export';

/** Loss and gradients of `phase` on tfjs. */
export function tfjsGradients(
  models: Record<string, Model>,
  objective: Objective,
  phase: string,
  shard: HostBatch,
  rng: Rng,
): { loss: number; grads: Map<string, Float32Array> } {
  const specs = Object.fromEntries(Object.entries(models).map(([k, m]) => [k, m.spec]));
  const { loss, grads } = lossAndGrads(
    () => objective(makeEnv(tfOps, specs, phase, shard, rng, (g, ins) => forward(models[g].spec, models[g].params, ins))) as tf.Scalar,
    models[phase].params,
  );
  const out = new Map<string, Float32Array>();
  for (const [k, v] of grads) {
    out.set(k, v.dataSync() as Float32Array);
    v.dispose();
  }
  return { loss, grads: out };
}

export interface ParityReport {
  tfjsLoss: number;
  ortLoss: number;
  /**
   * max over parameters of max|g_ort - g_tfjs| / max(max|g_tfjs|, 1e-3 · the largest gradient of any
   * parameter): the floor keeps a parameter whose true gradient is ~0 (float noise on both sides) from
   * reading as a large relative error
   */
  worstRelative: number;
  worstParam: string;
  /** parameters with a gradient on either side */
  params: number;
}

/** Compares the two runtimes on one phase; seeds both with `seed`. Needs onnxruntime-node. */
export async function gradientParity(models: Record<string, Model>, objective: Objective, phase: string, shard: HostBatch, seed = 0): Promise<ParityReport> {
  const ort = loadOrt();
  if (!ort) throw new Error('onnxruntime-node is not installed');
  const ref = tfjsGradients(models, objective, phase, shard, new Rng(seed));
  const specs = Object.fromEntries(Object.entries(models).map(([k, m]) => [k, m.spec]));
  const engine = new OrtEngine(ort as unknown as OrtModule, specs);
  const host = new Map<string, Float32Array>();
  for (const [g, m] of Object.entries(models)) for (const [k, v] of m.params) host.set(`${g}/${k}`, v.dataSync() as Float32Array);
  const got = await engine.gradients(objective, phase, shard, new Rng(seed), (key) => host.get(key)!);
  await engine.dispose();
  let worst = 0,
    worstParam = '';
  const names = new Set([...ref.grads.keys(), ...got.grads.keys()]);
  const maxAbs = (a: Float32Array | undefined) => (a ? a.reduce((m, v) => Math.max(m, Math.abs(v)), 0) : 0);
  const floor = 1e-3 * Math.max(...[...ref.grads.values()].map(maxAbs), 0);
  for (const n of names) {
    const a = ref.grads.get(n),
      b = got.grads.get(n);
    const size = models[phase].params.get(n)!.size;
    const ra = a ?? new Float32Array(size),
      rb = b ?? new Float32Array(size);
    let scale = 0,
      diff = 0;
    for (let i = 0; i < size; i++) {
      scale = Math.max(scale, Math.abs(ra[i]));
      diff = Math.max(diff, Math.abs(ra[i] - rb[i]));
    }
    const denom = Math.max(scale, floor);
    const rel = denom > 0 ? diff / denom : diff;
    if (rel > worst) {
      worst = rel;
      worstParam = n;
    }
  }
  return { tfjsLoss: ref.loss, ortLoss: got.loss, worstRelative: worst, worstParam, params: names.size };
}

/** Why a report fails the tolerances (relative loss difference, worst relative gradient error), or null when it passes. */
export function parityProblem(r: ParityReport, gradTol: number, lossTol = 1e-5): string | null {
  const lossRel = Math.abs(r.ortLoss - r.tfjsLoss) / Math.max(Math.abs(r.tfjsLoss), 1e-12);
  if (!(lossRel < lossTol)) return `loss: onnxruntime ${r.ortLoss} vs tfjs ${r.tfjsLoss} (relative ${lossRel})`;
  if (!(r.worstRelative < gradTol)) return `${r.worstParam}: relative gradient error ${r.worstRelative}`;
  return null;
}

/**
 * The parity check a new op gets inside a real graph: a one-net graph (group 'g', weights from
 * `modelSeed`) under the MSE between its first output and a seeded random target of that
 * output's shape, on `shard` (one entry per graph input). Read the result with parityProblem.
 */
export async function graphParity(spec: GraphSpec, shard: HostBatch, o: { modelSeed?: number; targetSeed?: number } = {}): Promise<ParityReport> {
  const m = createModel(spec, o.modelSeed ?? 3);
  try {
    const out = spec.outputs[0].name;
    const shape = tf.tidy(() => forward(spec, m.params, Object.fromEntries(Object.entries(shard).map(([k, v]) => [k, tf.tensor(v.data, v.shape)])))[out].shape);
    const target = new Rng(o.targetSeed ?? 1).normalArray(shape.reduce((a, b) => a * b, 1));
    const objective = <T>(e: LossEnv<T>): T =>
      mseLoss(e.ops, e.run('g', Object.fromEntries(Object.keys(shard).map((k) => [k, e.input(k)]))), e.ops.constant(target, shape));
    return await gradientParity({ g: m }, objective, 'g', shard, 1);
  } finally {
    disposeModel(m);
  }
}

/**
 * The export check a new op gets inside a real graph: `spec`'s ONNX export (weights from
 * `modelSeed`) run on onnxruntime at each [n, h, w] given at run time, against `reference` (the
 * same net written out with tfjs ops, from the same parameters) on seeded normal input for the
 * graph's one input. Returns the largest absolute difference of the first output over all sizes;
 * throws when an output shape differs from the reference's.
 */
export async function exportParity(
  spec: GraphSpec,
  sizes: [number, number, number][],
  reference: (x: tf.Tensor4D, params: Map<string, tf.Variable>) => tf.Tensor,
  o: { modelSeed?: number } = {},
): Promise<number> {
  const m = createModel(spec, o.modelSeed ?? 5);
  const weights = new Map([...m.params].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync() as Float32Array }]));
  const runner = await createOrtRunner(exportOnnx(spec, weights), 1);
  const input = spec.inputs[0],
    output = spec.outputs[0].name,
    channels = spec.values[input.value].channels;
  let worst = 0;
  try {
    for (const [n, h, w] of sizes) {
      const shape: [number, number, number, number] = [n, h, w, channels];
      const x = tf.randomNormal(shape, 0, 1, 'float32', h) as tf.Tensor4D;
      const ref = tf.tidy(() => reference(x, m.params));
      const got = (await runner.run({ [input.name]: { data: x.dataSync() as Float32Array, shape } }))[output];
      if (got.shape.join() !== ref.shape.join()) throw new Error(`exportParity: output shape ${got.shape} vs tfjs ${ref.shape}`);
      const want = ref.dataSync();
      for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(got.data[k] - want[k]));
      x.dispose();
      ref.dispose();
    }
    return worst;
  } finally {
    await runner.dispose();
    disposeModel(m);
  }
}
