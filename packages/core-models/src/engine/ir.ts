/**
 * The training engine's graph: ONNX-level primitives in their physical layout, with shapes
 * inferred as they are added, reverse-mode differentiation (each primitive's gradient rule
 * lives with it, in prims/), and emission to an ONNX model (opset 17) that onnxruntime runs.
 *
 * Shapes are static when a training step is traced (the shard shape is known); -1 marks a
 * dimension unknown until run time (inference graphs), which only primitives without a
 * gradient rule need to handle.
 */
import { AttributeProto, AttributeType, DataType, encodeModel, ModelProto, NodeProto, TensorProto } from '../onnx/proto';
import { PRIMS } from './prims';

export type Shape = number[];
export type DType = 'float' | 'int64' | 'bool';

export interface IrValue {
  shape: Shape;
  dtype: DType;
  node: number;
}
export interface IrNode {
  prim: string;
  inputs: number[];
  attrs: Record<string, unknown>;
  out: number;
}

/** What a primitive is: its output shape, its ONNX form and its gradient rule. */
export interface Prim {
  infer(shapes: Shape[], attrs: Record<string, unknown>, dtypes: DType[]): { shape: Shape; dtype?: DType };
  emit(e: Emitter, n: IrNode): void;
  /** Gradients w.r.t. each input given the output gradient `dy`; null where the input needs none. Absent: not differentiable. */
  vjp?(g: IrGraph, n: IrNode, dy: number, needs: boolean[]): (number | null)[];
}

/** ints, an int list, a string, or { f } for a float */
export type AttrValue = number | number[] | string | { f: number };

export interface Emitter {
  name(id: number): string;
  node(opType: string, inputs: string[], outputs: string[], attrs?: Record<string, AttrValue>): void;
  int64(values: number[]): string;
  float(data: Float32Array | number[], dims: number[]): string;
}

const numel = (s: Shape): number => s.reduce((a, b) => a * b, 1);

export class IrGraph {
  readonly values: IrValue[] = [];
  readonly nodes: IrNode[] = [];
  readonly inputs: { name: string; id: number }[] = [];
  readonly consts = new Map<number, { data: Float32Array | BigInt64Array; dims: number[]; dtype: DType }>();
  private scalarCache = new Map<number, number>();
  /** each (primitive, inputs, attributes) computed once: see op() */
  private opCache = new Map<string, number>();

  input(name: string, shape: Shape): number {
    const id = this.newValue(shape, 'float', -1);
    this.inputs.push({ name, id });
    return id;
  }

  /** A float constant baked into the graph (an initializer). */
  constant(data: Float32Array | number[], shape: Shape): number {
    const id = this.newValue(shape, 'float', -1);
    this.consts.set(id, { data: Float32Array.from(data), dims: shape, dtype: 'float' });
    return id;
  }

  scalar(v: number): number {
    let id = this.scalarCache.get(v);
    if (id === undefined) {
      id = this.constant([v], []);
      this.scalarCache.set(v, id);
    }
    return id;
  }

  op(prim: string, inputs: number[], attrs: Record<string, unknown> = {}): number {
    const p = PRIMS[prim];
    if (!p) throw new Error(`engine: unknown primitive ${prim}`);
    // a primitive is a pure function of its inputs, so the same call returns the same value: an
    // objective that runs a net twice on one input (a loss term and R1's unmoved score) traces it
    // once, and its gradient flows back through it once, with the two output gradients summed
    const key = `${prim}|${inputs.join()}|${JSON.stringify(attrs)}`;
    const seen = this.opCache.get(key);
    if (seen !== undefined) return seen;
    const r = p.infer(
      inputs.map((i) => this.values[i].shape),
      attrs,
      inputs.map((i) => this.values[i].dtype),
    );
    const out = this.newValue(r.shape, r.dtype ?? 'float', this.nodes.length);
    this.nodes.push({ prim, inputs, attrs, out });
    this.opCache.set(key, out);
    return out;
  }

  shape(id: number): Shape {
    return this.values[id].shape;
  }

  private newValue(shape: Shape, dtype: DType, node: number): number {
    this.values.push({ shape: shape.slice(), dtype, node });
    return this.values.length - 1;
  }

  /** Values the outputs depend on, not looking past `cut`. */
  liveValues(outputs: number[], cut: Set<number> = new Set()): boolean[] {
    const live = new Array<boolean>(this.values.length).fill(false);
    const stack = outputs.slice();
    while (stack.length) {
      const v = stack.pop()!;
      if (live[v]) continue;
      live[v] = true;
      const nd = this.values[v].node;
      if (nd >= 0 && !cut.has(v)) stack.push(...this.nodes[nd].inputs);
    }
    return live;
  }

  /** FLOPs of the nodes computing `outputs`. */
  flops(outputs: number[]): number {
    const live = this.liveValues(outputs);
    return this.nodes.reduce((t, n) => t + (live[n.out] ? nodeFlops(this, n) : 0), 0);
  }

  // -- helpers used by gradient rules ------------------------------------------------
  add(a: number, b: number): number {
    return this.op('Add', [a, b]);
  }
  mul(a: number, b: number): number {
    return this.op('Mul', [a, b]);
  }
  neg(a: number): number {
    return this.op('Neg', [a]);
  }
  reshape(x: number, shape: Shape): number {
    return shape.join() === this.shape(x).join() ? x : this.op('Reshape', [x], { shape });
  }

  /** a + b; two transposes by the same perm add before it (one transpose of the sum, which a later transpose can cancel) */
  private addTransposed(a: number, b: number): number {
    const [na, nb] = [a, b].map((v) => (this.values[v].node >= 0 ? this.nodes[this.values[v].node] : undefined));
    if (na?.prim === 'Transpose' && nb?.prim === 'Transpose' && (na.attrs.perm as number[]).join() === (nb.attrs.perm as number[]).join())
      return this.op('Transpose', [this.add(na.inputs[0], nb.inputs[0])], { perm: na.attrs.perm });
    return this.add(a, b);
  }

  /** Sums a broadcast gradient back to `shape` (numpy broadcasting, as Add/Mul/Expand do). */
  sumTo(dy: number, shape: Shape): number {
    const ds = this.shape(dy);
    if (ds.join() === shape.join()) return dy;
    const padded = [...new Array(ds.length - shape.length).fill(1), ...shape];
    const axes = ds.map((d, i) => (padded[i] === 1 && d !== 1 ? i : -1)).filter((i) => i >= 0);
    const r = axes.length ? this.op('ReduceSum', [dy], { axes, keepdims: 1 }) : dy;
    return this.reshape(r, shape);
  }

  /**
   * Reverse-mode gradients of the scalar `loss` w.r.t. `wrt`: new nodes appended to this
   * graph. Returns one value per `wrt` (a zero constant where the loss does not depend on it).
   */
  grad(loss: number, wrt: number[]): number[] {
    const needs = new Array<boolean>(this.values.length).fill(false);
    for (const w of wrt) needs[w] = true;
    const fwdNodes = this.nodes.length;
    for (let k = 0; k < fwdNodes; k++) {
      const n = this.nodes[k];
      if (PRIMS[n.prim].vjp && n.inputs.some((i) => needs[i])) needs[n.out] = true;
    }
    const grads = new Map<number, number>();
    const accumulate = (v: number, g: number): void => {
      const prev = grads.get(v);
      grads.set(v, prev === undefined ? g : this.addTransposed(prev, g));
    };
    if (numel(this.shape(loss)) !== 1) throw new Error('engine: the loss must be a scalar');
    grads.set(loss, this.constant([1], this.shape(loss)));
    for (let k = fwdNodes - 1; k >= 0; k--) {
      const n = this.nodes[k];
      const dy = grads.get(n.out);
      if (dy === undefined || !needs[n.out]) continue;
      const p = PRIMS[n.prim];
      const need = n.inputs.map((i) => needs[i]);
      const dx = p.vjp!(this, n, dy, need);
      n.inputs.forEach((i, j) => {
        if (need[j] && dx[j] !== null && dx[j] !== undefined) accumulate(i, dx[j]!);
      });
    }
    return wrt.map((w) => grads.get(w) ?? this.constant(new Float32Array(numel(this.shape(w))), this.shape(w)));
  }

  /**
   * The ONNX model computing `outputs` from the graph's inputs; nodes the outputs do not
   * depend on are left out. Also returns the inputs it reads (feeds must name exactly these).
   */
  toOnnx(outputs: { name: string; id: number }[], o: { name?: string; producer?: string; cut?: number[] } = {}): { model: Uint8Array; inputNames: string[] } {
    const { proto, inputNames } = this.toOnnxProto(outputs, o);
    return { model: encodeModel(proto), inputNames };
  }

  /** The ModelProto toOnnx serializes (a plain object; proto.test.ts compares its bytes with onnx-proto's). */
  toOnnxProto(
    outputs: { name: string; id: number }[],
    o: { name?: string; producer?: string; cut?: number[] } = {},
  ): { proto: ModelProto; inputNames: string[] } {
    // `cut`: values fed from outside (named v<id>) instead of computed, e.g. a backward graph's saved activations
    const cut = new Set(o.cut ?? []);
    const live = this.liveValues(
      outputs.map((x) => x.id),
      cut,
    );
    const protoNodes: NodeProto[] = [];
    const inits: TensorProto[] = [];
    const inputNames = new Map<number, string>(this.inputs.map((i) => [i.id, i.name]));
    let tmp = 0;
    const e: Emitter = {
      name: (id) => inputNames.get(id) ?? `v${id}`,
      node: (opType, ins, outs, attrs = {}) => {
        protoNodes.push({ opType, input: ins, output: outs, name: `${opType}_${tmp++}`, attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)) });
      },
      int64: (values) => {
        const n = `i64_${tmp++}`;
        inits.push(int64Tensor(n, values));
        return n;
      },
      float: (data, dims) => {
        const n = `f_${tmp++}`;
        inits.push(floatTensor(n, dims, Float32Array.from(data)));
        return n;
      },
    };
    for (const [id, c] of this.consts)
      if (live[id])
        inits.push(
          c.dtype === 'int64' ? int64Tensor(e.name(id), Array.from(c.data as BigInt64Array, Number)) : floatTensor(e.name(id), c.dims, c.data as Float32Array),
        );
    for (const n of this.nodes) if (live[n.out] && !cut.has(n.out)) PRIMS[n.prim].emit(e, n);
    const F = DataType.FLOAT;
    const dimsOf = (s: Shape) => ({ dim: s.map((d) => (d >= 0 ? { dimValue: d } : { dimParam: 'dyn' + tmp++ })) });
    const used = [
      ...this.inputs.filter((i) => live[i.id]),
      ...[...cut].filter((v) => live[v] && this.values[v].node >= 0).map((id) => ({ name: `v${id}`, id })),
    ];
    const outs = outputs.map((x) => {
      e.node('Identity', [e.name(x.id)], [x.name]);
      return { name: x.name, type: { tensorType: { elemType: F, shape: dimsOf(this.shape(x.id)) } } };
    });
    const model: ModelProto = {
      irVersion: 8,
      producerName: o.producer ?? 'diffgan',
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: o.name ?? 'train_step',
        node: protoNodes,
        initializer: inits,
        input: used.map((i) => ({ name: i.name, type: { tensorType: { elemType: F, shape: dimsOf(this.shape(i.id)) } } })),
        output: outs,
      },
    };
    return { proto: model, inputNames: used.map((i) => i.name) };
  }
}

/** FLOPs (multiply-adds x2) of the convolutions and matrix products among `nodes`. */
export function nodeFlops(g: IrGraph, n: IrNode): number {
  const s = (id: number) => g.shape(id);
  if (n.prim === 'Conv') {
    const w = s(n.inputs[1]);
    return 2 * numel(s(n.out)) * w[1] * w[2] * w[3];
  }
  if (n.prim === 'ConvTranspose') {
    const w = s(n.inputs[1]);
    return 2 * numel(s(n.inputs[0])) * w[1] * w[2] * w[3];
  }
  if (n.prim === 'Gemm') {
    const a = s(n.inputs[0]);
    return 2 * numel(s(n.out)) * (n.attrs.transA ? a[0] : a[1]);
  }
  return 0;
}

function attr(name: string, v: AttrValue): AttributeProto {
  const A = AttributeType;
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: A.INTS, ints: v };
  if (typeof v === 'object') return { name, type: A.FLOAT, f: v.f };
  return { name, type: A.INT, i: v };
}

function floatTensor(name: string, dims: number[], data: Float32Array): TensorProto {
  return {
    name,
    dims,
    dataType: DataType.FLOAT,
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  };
}

function int64Tensor(name: string, values: number[]): TensorProto {
  const b = new BigInt64Array(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], dataType: DataType.INT64, rawData: new Uint8Array(b.buffer) };
}
