/**
 * A training objective written once for both runtimes: the task computes its loss through
 * a `LossEnv`, which on tfjs evaluates eagerly (tfjs autodiff) and on the onnxruntime engine
 * records the ONNX graph the engine differentiates. Everything random in a step comes from
 * `rng` (host draws, fed to either runtime), so both runtimes see identical data.
 */
import type { Ops } from '../ops/ops';
import type { Rng } from '../rng';
import type { GraphSpec } from '../graph';

/** A runtime-neutral batch entry: data + shape (NHWC for images). */
export interface HostArray {
  data: Float32Array;
  shape: number[];
}
export type HostBatch = Record<string, HostArray>;

export interface LossEnv<T> {
  ops: Ops<T>;
  /** the phase being trained (the group whose parameters get gradients) */
  phase: string;
  /** this worker's share of the step's batch */
  shard: HostBatch;
  /** seeded per (step, shard, phase): draws in the loss (e.g. R1 directions) */
  rng: Rng;
  /** a batch entry as a tensor */
  input(name: string): T;
  /** standard normal noise drawn from `rng` */
  randn(shape: number[]): T;
  /** runs a group's network; returns every output by name */
  net(group: string, inputs: Record<string, T>): Record<string, T>;
  /** runs a group's network; returns its first output */
  run(group: string, inputs: Record<string, T>): T;
}

/** The loss of one phase on a shard, for any runtime. */
export type Objective = <T>(env: LossEnv<T>) => T;

/** Binds the environment pieces every runtime shares: batch entries, noise, first output. */
export function makeEnv<T>(
  ops: Ops<T>,
  specs: Record<string, GraphSpec>,
  phase: string,
  shard: HostBatch,
  rng: Rng,
  net: (group: string, inputs: Record<string, T>) => Record<string, T>,
): LossEnv<T> {
  const inputs = new Map<string, T>();
  return {
    ops,
    phase,
    shard,
    rng,
    net,
    input: (name) => {
      let t = inputs.get(name);
      if (t === undefined) {
        const e = shard[name];
        if (!e) throw new Error(`batch has no entry '${name}'`);
        t = ops.constant(e.data, e.shape);
        inputs.set(name, t);
      }
      return t;
    },
    randn: (shape) => ops.constant(rng.normalArray(shape.reduce((a, b) => a * b, 1)), shape),
    run: (group, ins) => {
      const spec = specs[group];
      if (!spec) throw new Error(`no model group '${group}'`);
      return net(group, ins)[spec.outputs[0].name];
    },
  };
}
