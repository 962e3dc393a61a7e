/**
 * One phase's gradients on onnxruntime: the objective is traced into the engine's graph,
 * differentiated once, and compiled into one ONNX graph (forward, loss and every parameter
 * gradient of the phase's group) that one session runs per step. Each later step traces
 * again (cheap: no gradients, no ONNX), which yields the step's data feeds and a structural
 * signature; a new signature (another shard shape, another branch) compiles another graph.
 */
import { IrGraph } from './ir';
import { OnnxOps, Sym } from './onnx-ops';
import { makeEnv, HostBatch, Objective } from './objective';
import { forwardWith } from '../ops/table';
import { checkInputs } from '../model';
import type { GraphSpec } from '../graph';
import type { Rng } from '../rng';
import { warnLine } from '../errors';
import type { OrtModule, OrtSessionLike, OrtTensorLike } from '../onnx/ort-session';

export interface OrtEngineOptions {
  /** intra-op threads per session (default 1: one process or worker per core is faster, see README) */
  threads?: number;
  /** execution provider to ask for ('cpu' default; e.g. 'cuda'); falls back to cpu with a warning */
  executionProvider?: string;
  /** where the fallback warning goes (default stderr) */
  warn?: (line: string) => void;
}

/** A session on the requested provider, else on cpu with a one-line warning. */
export async function createSession(ort: OrtModule, model: Uint8Array, o: OrtEngineOptions = {}): Promise<{ session: OrtSessionLike; provider: string }> {
  const base = { intraOpNumThreads: o.threads ?? 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
  const ep = o.executionProvider ?? 'cpu';
  if (ep !== 'cpu') {
    try {
      return { session: await ort.InferenceSession.create(model, { ...base, executionProviders: [ep] }), provider: ep };
    } catch (e) {
      (o.warn ?? warnLine)(`onnxruntime: execution provider '${ep}' is not available (${(e as Error).message.split('\n')[0]}); using cpu`);
    }
  }
  return { session: await ort.InferenceSession.create(model, { ...base, executionProviders: ['cpu'] }), provider: 'cpu' };
}

/** The traced form of one step: graph, loss, parameter inputs and data feeds. */
export interface Trace {
  graph: IrGraph;
  ops: OnnxOps;
  loss: Sym;
  params: Map<string, Sym>;
  signature: string;
}

/** Records `objective` for `phase` on `shard` into a new graph; parameters become inputs named `p:group/name`. */
export function traceObjective(objective: Objective, specs: Record<string, GraphSpec>, phase: string, shard: HostBatch, rng: Rng): Trace {
  const graph = new IrGraph(),
    ops = new OnnxOps(graph),
    params = new Map<string, Sym>();
  const net = (group: string, inputs: Record<string, Sym>): Record<string, Sym> => {
    const spec = specs[group];
    if (!spec) throw new Error(`no model group '${group}'`);
    checkInputs(spec, Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t.shape])));
    const shapes = new Map(spec.params.map((p) => [p.name, p.shape]));
    return forwardWith(
      ops,
      spec,
      (name) => {
        const key = `${group}/${name}`;
        let s = params.get(key);
        if (!s) {
          const shape = shapes.get(name);
          if (!shape) throw new Error(`${spec.name}: parameter '${name}' missing`);
          s = ops.input(`p:${key}`, shape);
          params.set(key, s);
        }
        return s;
      },
      inputs,
    );
  };
  const loss = objective(makeEnv(ops, specs, phase, shard, rng, net));
  if (loss.shape.length !== 0) throw new Error(`phase '${phase}': the objective must return a scalar, got shape [${loss.shape}]`);
  const signature = JSON.stringify([
    graph.nodes,
    graph.inputs.map((i) => [i.name, graph.shape(i.id)]),
    [...graph.consts].map(([id, c]) => [id, c.dims, Array.from(c.data as Float32Array)]),
  ]);
  return { graph, ops, loss, params, signature };
}

/** Appends the gradients of `group`'s parameters to a trace: the outputs of its training graph (`loss`, `g:<name>`). */
export function trainingOutputs(t: Trace, group: string): { outputs: { name: string; id: number }[]; gradNames: string[]; forwardNodes: number } {
  const own = [...t.params].filter(([k]) => k.startsWith(`${group}/`));
  const forwardNodes = t.graph.nodes.length;
  const grads = t.graph.grad(
    t.loss.id,
    own.map(([, s]) => s.id),
  );
  const outputs = [{ name: 'loss', id: t.loss.id }, ...own.map(([k], i) => ({ name: `g:${k.slice(group.length + 1)}`, id: grads[i] }))];
  return { outputs, gradNames: own.map(([k]) => k.slice(group.length + 1)), forwardNodes };
}

/** Builds the training graph of a trace: one ONNX graph computing the loss and every gradient of `group`. */
export function compileTrace(t: Trace, group: string): { model: Uint8Array; inputNames: string[]; gradNames: string[]; flops: number } {
  const { outputs, gradNames } = trainingOutputs(t, group);
  const { model, inputNames } = t.graph.toOnnx(outputs, { name: `train_${group}` });
  return { model, inputNames, gradNames, flops: t.graph.flops(outputs.map((o) => o.id)) };
}

/**
 * The same step as two graphs (benchmark only): a forward graph that outputs the loss and
 * every activation the backward needs, and a backward graph that takes them back in.
 */
export function compileTraceSplit(
  t: Trace,
  group: string,
): { forward: Uint8Array; forwardInputs: string[]; saved: string[]; backward: Uint8Array; backwardInputs: string[]; gradNames: string[] } {
  const { outputs, gradNames, forwardNodes } = trainingOutputs(t, group);
  const g = t.graph;
  const live = g.liveValues(outputs.map((o) => o.id));
  const saved = new Set<number>();
  for (let k = forwardNodes; k < g.nodes.length; k++) {
    if (!live[g.nodes[k].out]) continue;
    for (const i of g.nodes[k].inputs) {
      const p = g.values[i].node;
      if (p >= 0 && p < forwardNodes) saved.add(i);
    }
  }
  const savedList = [...saved];
  const fwd = g.toOnnx([{ name: 'loss', id: t.loss.id }, ...savedList.map((id) => ({ name: `s${id}`, id }))], { name: `forward_${group}` });
  const bwd = g.toOnnx(outputs.slice(1), { name: `backward_${group}`, cut: savedList });
  return {
    forward: fwd.model,
    forwardInputs: fwd.inputNames,
    saved: savedList.map((id) => `v${id}`),
    backward: bwd.model,
    backwardInputs: bwd.inputNames,
    gradNames,
  };
}

interface Compiled {
  session: OrtSessionLike;
  inputNames: string[];
  gradNames: string[];
}

export class OrtEngine {
  private compiled = new Map<string, Promise<Compiled>>();
  provider = 'cpu';

  constructor(
    private ort: OrtModule,
    private specs: Record<string, GraphSpec>,
    private opts: OrtEngineOptions = {},
  ) {}

  /** Loss and gradients of `phase`'s parameters; `params` holds every group's current values by `group/name`. */
  async gradients(
    objective: Objective,
    phase: string,
    shard: HostBatch,
    rng: Rng,
    params: (key: string) => Float32Array,
  ): Promise<{ loss: number; grads: Map<string, Float32Array> }> {
    const t = traceObjective(objective, this.specs, phase, shard, rng);
    let c = this.compiled.get(t.signature);
    if (!c) {
      c = (async () => {
        const { model, inputNames, gradNames } = compileTrace(t, phase);
        const { session, provider } = await createSession(this.ort, model, this.opts);
        this.provider = provider;
        return { session, inputNames, gradNames };
      })();
      this.compiled.set(t.signature, c);
    }
    const { session, inputNames, gradNames } = await c;
    const feeds: Record<string, OrtTensorLike> = {};
    for (const name of inputNames) {
      if (name.startsWith('p:')) {
        const key = name.slice(2),
          s = t.params.get(key)!;
        feeds[name] = new this.ort.Tensor('float32', params(key), s.shape);
      } else {
        const f = t.ops.feeds.get(name)!;
        feeds[name] = new this.ort.Tensor('float32', f.data, f.shape);
      }
    }
    const out = await session.run(feeds);
    const grads = new Map<string, Float32Array>();
    for (const n of gradNames) grads.set(n, out[`g:${n}`].data as Float32Array);
    return { loss: (out.loss.data as Float32Array)[0], grads };
  }

  /** How many distinct graphs were compiled (a test and benchmark fact). */
  get graphCount(): number {
    return this.compiled.size;
  }

  async dispose(): Promise<void> {
    for (const c of this.compiled.values()) await (await c).session.release();
    this.compiled.clear();
  }
}
