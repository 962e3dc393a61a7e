/**
 * `Ops` recorded into the engine's graph. A symbolic tensor keeps tfjs's meaning (NHWC
 * images, HWIO filters) but may be stored in another axis order: `perm[i]` is the logical
 * axis held by physical axis i. Convolutions and pools want NCHW, so images live NCHW
 * after their first conv; a transpose is inserted only where an op needs a layout the
 * value does not have (cached), and a logical transpose is free (it only relabels axes).
 */
import { IrGraph } from './ir';
import { samePads } from './prims';
import { warpIr } from './prims/warp';
import type { Ops } from '../ops/ops';
import type { WarpMode } from '../graph';

export class Sym {
  constructor(
    readonly id: number,
    readonly shape: number[],
    readonly perm: number[],
  ) {}
}

const identity = (r: number): number[] => Array.from({ length: r }, (_, i) => i);
const NCHW = [0, 3, 1, 2];
const OIHW = [3, 2, 0, 1]; // HWIO filter stored as [out, in, kh, kw]
const same = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Host transpose of a dense row-major array: out axis i = in axis perm[i]. */
export function transposeHost(data: Float32Array, shape: number[], perm: number[]): Float32Array {
  const r = shape.length,
    out = new Float32Array(data.length),
    outShape = perm.map((p) => shape[p]);
  const inStride = new Array<number>(r);
  for (let i = r - 1, s = 1; i >= 0; i--) {
    inStride[i] = s;
    s *= shape[i];
  }
  const idx = new Array<number>(r).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < r; i++) src += idx[i] * inStride[perm[i]];
    out[o] = data[src];
    for (let i = r - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

export interface OnnxOpsOptions {
  /**
   * 'feeds' (training): every constant() is a graph input fed each step, so one compiled
   * graph serves every step's data. 'initializers' (inference export): constants are baked in.
   */
  constants?: 'feeds' | 'initializers';
}

export class OnnxOps implements Ops<Sym> {
  /** host data of every constant() so far, by graph input name ('feeds' mode) */
  readonly feeds = new Map<string, { data: Float32Array; shape: number[] }>();
  private fixedConstants = new Map<string, Sym>();
  private layoutCache = new Map<string, number>();

  constructor(
    readonly g: IrGraph,
    private opts: OnnxOpsOptions = {},
  ) {}

  /** A graph input in logical layout. */
  input(name: string, shape: number[]): Sym {
    return new Sym(this.g.input(name, shape), shape, identity(shape.length));
  }

  /** The value's IR id in physical order `perm`. */
  physical(x: Sym, perm: number[]): number {
    if (same(x.perm, perm)) return x.id;
    const key = `${x.id}:${perm}`;
    let id = this.layoutCache.get(key);
    if (id === undefined) {
      const inv = x.perm.map((_, i) => x.perm.indexOf(i)); // logical axis -> physical position in x
      const p = perm.map((a) => inv[a]),
        c = this.g.consts.get(x.id);
      // a baked constant (exported weights) is transposed on the host, not in the graph
      id = c
        ? this.g.constant(
            transposeHost(c.data as Float32Array, c.dims, p),
            p.map((a) => c.dims[a]),
          )
        : this.g.op('Transpose', [x.id], { perm: p });
      this.layoutCache.set(key, id);
    }
    return id;
  }

  private wrap(id: number, perm: number[]): Sym {
    const phys = this.g.shape(id);
    const shape = new Array<number>(perm.length);
    perm.forEach((a, i) => {
      shape[a] = phys[i];
    });
    return new Sym(id, shape, perm);
  }

  shape(x: Sym): number[] {
    return x.shape.slice();
  }

  constant(data: Float32Array | number[], shape: number[], fixed = false): Sym {
    const arr = data instanceof Float32Array ? data : Float32Array.from(data);
    if (arr.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`constant: ${arr.length} values for shape [${shape}]`);
    if (fixed) {
      // one value for equal data: a net run twice (a time embedding's frequencies) then makes the same calls, traced once (IrGraph.op)
      const key = `${shape}|${arr.join()}`;
      let s = this.fixedConstants.get(key);
      if (!s) {
        s = new Sym(this.g.constant(arr, shape), shape, identity(shape.length));
        this.fixedConstants.set(key, s);
      }
      return s;
    }
    if (this.opts.constants === 'initializers') return new Sym(this.g.constant(arr, shape), shape, identity(shape.length));
    const name = `c${this.feeds.size}`;
    this.feeds.set(name, { data: arr, shape });
    return this.input(name, shape);
  }

  private binary(prim: string, a: Sym | number, b: Sym | number): Sym {
    if (typeof a === 'number' && typeof b === 'number') throw new Error(`${prim} of two numbers`);
    if (typeof a === 'number') {
      const y = b as Sym;
      return this.wrap(this.g.op(prim, [this.g.scalar(a), y.id]), y.perm);
    }
    if (typeof b === 'number') return this.wrap(this.g.op(prim, [a.id, this.g.scalar(b)]), a.perm);
    const r = Math.max(a.shape.length, b.shape.length);
    // numpy broadcasting aligns logical trailing axes: lift the lower rank first, then share a layout
    const lift = (x: Sym): Sym => (x.shape.length === r ? x : this.reshape(x, [...new Array(r - x.shape.length).fill(1), ...x.shape]));
    const A = lift(a),
      B = lift(b);
    const perm = !same(A.perm, identity(r)) ? A.perm : B.perm;
    return this.wrap(this.g.op(prim, [this.physical(A, perm), this.physical(B, perm)]), perm);
  }

  private unary(prim: string, x: Sym, attrs: Record<string, unknown> = {}): Sym {
    return this.wrap(this.g.op(prim, [x.id], attrs), x.perm);
  }

  // elementwise ops, one ONNX op each
  readonly add = (a: Sym | number, b: Sym | number): Sym => this.binary('Add', a, b);
  readonly sub = (a: Sym | number, b: Sym | number): Sym => this.binary('Sub', a, b);
  readonly mul = (a: Sym | number, b: Sym | number): Sym => this.binary('Mul', a, b);
  readonly div = (a: Sym | number, b: Sym | number): Sym => this.binary('Div', a, b);
  readonly neg = (x: Sym): Sym => this.unary('Neg', x);
  readonly abs = (x: Sym): Sym => this.unary('Abs', x);
  readonly square = (x: Sym): Sym => this.wrap(this.g.op('Mul', [x.id, x.id]), x.perm);
  readonly sqrt = (x: Sym): Sym => this.unary('Sqrt', x);
  readonly exp = (x: Sym): Sym => this.unary('Exp', x);
  readonly log = (x: Sym): Sym => this.unary('Log', x);
  readonly sigmoid = (x: Sym): Sym => this.unary('Sigmoid', x);
  readonly silu = (x: Sym): Sym => this.unary('Silu', x);
  readonly tanh = (x: Sym): Sym => this.unary('Tanh', x);
  readonly relu = (x: Sym): Sym => this.unary('Relu', x);
  readonly leakyRelu = (x: Sym, alpha: number): Sym => this.unary('LeakyRelu', x, { alpha });
  readonly softplus = (x: Sym): Sym => this.unary('Softplus', x);
  readonly sin = (x: Sym): Sym => this.unary('Sin', x);
  readonly cos = (x: Sym): Sym => this.unary('Cos', x);
  readonly minimum = (x: Sym, c: number): Sym => this.binary('Min', x, c);
  readonly maximum = (x: Sym, c: number): Sym => this.binary('Max', x, c);

  private reduce(prim: string, x: Sym, axes: number[] | undefined, keepDims: boolean): Sym {
    const r = x.shape.length,
      logical = (axes ?? identity(r)).map((a) => (a < 0 ? a + r : a));
    const phys = logical.map((a) => x.perm.indexOf(a));
    const id = this.g.op(prim, [x.id], { axes: phys, keepdims: keepDims ? 1 : 0 });
    if (keepDims) return this.wrap(id, x.perm);
    const kept = x.perm.filter((a) => !logical.includes(a));
    const order = [...kept].sort((p, q) => p - q);
    return this.wrap(
      id,
      kept.map((a) => order.indexOf(a)),
    );
  }

  sum(x: Sym, axes?: number[], keepDims = false): Sym {
    return this.reduce('ReduceSum', x, axes, keepDims);
  }

  logSumExp(x: Sym, axes: number[], keepDims = false): Sym {
    // the shift m has no gradient rule, which is exact here: d/dm [m + log Σ exp(x - m)] = 0
    const m = this.reduce('ReduceMax', x, axes, true);
    const lse = this.add(this.log(this.sum(this.exp(this.sub(x, m)), axes, true)), m);
    return keepDims
      ? lse
      : this.reshape(
          lse,
          x.shape.filter((_, i) => !axes.map((a) => (a < 0 ? a + x.shape.length : a)).includes(i)),
        );
  }
  mean(x: Sym, axes?: number[], keepDims = false): Sym {
    return this.reduce('ReduceMean', x, axes, keepDims);
  }

  reshape(x: Sym, shape: number[]): Sym {
    // a size known only at run time (inference export): ONNX's -1 takes the rest
    if (x.shape.includes(-1)) return this.wrap(this.g.op('Reshape', [this.physical(x, identity(x.shape.length))], { shape }), identity(shape.length));
    const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const total = x.shape.reduce((a, b) => a * b, 1);
    const want = shape.map((d) => (d === -1 ? total / known : d));
    if (same(want, x.shape)) return x;
    return this.wrap(this.g.op('Reshape', [this.physical(x, identity(x.shape.length))], { shape: want }), identity(want.length));
  }

  transpose(x: Sym, perm: number[]): Sym {
    // out logical axis i = in logical axis perm[i]: relabel, no data moves
    const inv = perm.map((_, i) => perm.indexOf(i));
    return new Sym(
      x.id,
      perm.map((p) => x.shape[p]),
      x.perm.map((a) => inv[a]),
    );
  }

  slice(x: Sym, begin: number[], size: number[]): Sym {
    const axes: number[] = [],
      starts: number[] = [],
      ends: number[] = [];
    begin.forEach((b, a) => {
      const s = size[a] === -1 ? x.shape[a] - b : size[a];
      if (b === 0 && s === x.shape[a]) return;
      axes.push(x.perm.indexOf(a));
      starts.push(b);
      ends.push(b + s);
    });
    if (!axes.length) return x;
    return this.wrap(this.g.op('Slice', [x.id], { starts, ends, axes }), x.perm);
  }

  concat(xs: Sym[], axis: number): Sym {
    const r = xs[0].shape.length,
      a = axis < 0 ? axis + r : axis;
    const perm = xs.find((x) => !same(x.perm, identity(r)))?.perm ?? identity(r);
    return this.wrap(
      this.g.op(
        'Concat',
        xs.map((x) => this.physical(x, perm)),
        { axis: perm.indexOf(a) },
      ),
      perm,
    );
  }

  matMul(a: Sym, b: Sym): Sym {
    // a logically transposed operand is a Gemm flag, not a copy
    const ta = same(a.perm, [1, 0]) ? 1 : 0,
      tb = same(b.perm, [1, 0]) ? 1 : 0;
    return this.wrap(this.g.op('Gemm', [a.id, b.id], { transA: ta, transB: tb }), [0, 1]);
  }

  conv2d(x: Sym, filter: Sym, stride: number, bias?: Sym): Sym {
    const [kh, kw] = filter.shape,
      [, h, w] = x.shape;
    const ins = [this.physical(x, NCHW), this.physical(filter, OIHW)];
    if (bias) ins.push(bias.id);
    // stride 1: 'same' pads do not depend on the size; a strided conv of a size known only at run time pads SAME_UPPER (= tf 'same')
    const dynamic = stride > 1 && (h < 0 || w < 0);
    const [pt, pb] = samePads(h < 0 ? kh : h, kh, stride),
      [pl, pr] = samePads(w < 0 ? kw : w, kw, stride);
    return this.wrap(this.g.op('Conv', ins, { k: [kh, kw], stride, pads: [pt, pl, pb, pr], ...(dynamic ? { autoPad: 1 } : {}) }), NCHW);
  }

  depthToSpace(x: Sym, r: number): Sym {
    return this.wrap(this.g.op('DepthToSpace', [this.physical(x, NCHW)], { r }), NCHW);
  }
  avgPool(x: Sym, k: number): Sym {
    return this.wrap(this.g.op('AveragePool', [this.physical(x, NCHW)], { k }), NCHW);
  }
  upNearest(x: Sym, r: number): Sym {
    return this.wrap(this.g.op('Upsample', [this.physical(x, NCHW)], { r }), NCHW);
  }

  groupNormalize(x: Sym, groups: number, eps: number): Sym {
    return this.wrap(this.g.op('GroupNorm', [this.physical(x, NCHW)], { groups, eps }), NCHW);
  }

  groupNorm(x: Sym, groups: number, eps: number, gamma: Sym, beta: Sym): Sym {
    const nchw = this.physical(x, NCHW),
      normed = this.g.op('GroupNorm', [nchw], { groups, eps });
    return this.wrap(this.g.op('GroupNormAffine', [nchw, normed, gamma.id, beta.id], { groups, eps }), NCHW);
  }

  warp(image: Sym, flow: Sym, mode: WarpMode = 'bilinear'): Sym {
    const r = warpIr(this, image, flow, mode);
    return this.wrap(r.id, r.perm);
  }

  resizeBilinear(x: Sym, factor: number): Sym {
    return this.wrap(this.g.op('ResizeBilinear', [this.physical(x, NCHW)], { factor }), NCHW);
  }
}
