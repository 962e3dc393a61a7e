/**
 * Convolution (NCHW x, OIHW w, optional bias) and its gradients: the input gradient is a
 * ConvTranspose of dy with the same weights; the weight gradient is one Gemm per kernel tap
 * over shifted windows of x ('taps', the default), the same windows assembled into one
 * im2col matrix and one Gemm ('im2col'), or a Conv of x with dy, batch and channels swapped
 * ('conv'). The core-models bench measures all three (README, "Engine design").
 */
import type { IrGraph, IrNode, Prim } from '../ir';

export type WeightGradForm = 'im2col' | 'taps' | 'conv';
let weightGradForm: WeightGradForm = 'taps';
/** Chooses how conv weight gradients are written into training graphs (benchmarks compare both). */
export function setWeightGradForm(f: WeightGradForm): void {
  weightGradForm = f;
}

interface ConvAttrs {
  k: [number, number];
  stride: number;
  pads: [number, number, number, number];
}

/** tf 'same' padding for one axis: [begin, end] (the extra pixel goes at the end). */
export function samePads(size: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
  return [total >> 1, total - (total >> 1)];
}

function outSize(size: number, k: number, s: number, pb: number, pe: number): number {
  return size < 0 ? -1 : Math.floor((size + pb + pe - k) / s) + 1;
}

/**
 * Weight gradient [Co, Ci, kh, kw] as im2col + one Gemm. x is moved to [Ci, N, H, W] once, so
 * the kh*kw shifted windows stack along axis 0 straight into the [K*Ci, N*Ho*Wo] matrix the
 * Gemm reads (no transpose of the K-times larger column matrix).
 */
function weightGradIm2col(g: IrGraph, x: number, dy: number, a: ConvAttrs): number {
  const [n, ci] = g.shape(x),
    [, co, ho, wo] = g.shape(dy),
    [kh, kw] = a.k,
    s = a.stride,
    [pt, pl, pb, pr] = a.pads;
  const xt = g.op('Transpose', [x], { perm: [1, 0, 2, 3] }); // [Ci, N, H, W]
  const xp = pt || pl || pb || pr ? g.op('Pad', [xt], { pads: [0, 0, pt, pl, 0, 0, pb, pr] }) : xt;
  const [, , hp, wp] = g.shape(xp);
  const cols: number[] = [];
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) {
      const endH = i + (ho - 1) * s + 1,
        endW = j + (wo - 1) * s + 1;
      const whole = i === 0 && j === 0 && endH === hp && endW === wp && s === 1;
      // the tap at the padding offset reads x itself ('same' stride-1 convs: the centre tap)
      const unpadded = xp !== xt && i === pt && j === pl && s === 1 && ho === g.shape(xt)[2] && wo === g.shape(xt)[3];
      cols.push(whole ? xp : unpadded ? xt : g.op('Slice', [xp], { starts: [i, j], ends: [endH, endW], axes: [2, 3], ...(s > 1 ? { steps: [s, s] } : {}) }));
    }
  const dyM = g.reshape(g.op('Transpose', [dy], { perm: [1, 0, 2, 3] }), [co, n * ho * wo]);
  // the [Ci, Co] blocks stack in the HWIO order of the parameter, so this transpose to OIHW cancels
  // against the parameter's own (Transpose's gradient rule composes the two away)
  const fromHwio = (blocks: number) => g.op('Transpose', [g.reshape(blocks, [kh, kw, ci, co])], { perm: [3, 2, 0, 1] });
  if (weightGradForm === 'taps' && cols.length > 1) {
    // one Gemm per kernel tap: no K-times larger column matrix is assembled
    const taps = cols.map((c) => g.reshape(g.op('Gemm', [g.reshape(c, [ci, n * ho * wo]), dyM], { transA: 0, transB: 1 }), [1, ci, co]));
    return fromHwio(g.op('Concat', taps, { axis: 0 }));
  }
  const col = cols.length > 1 ? g.op('Concat', cols, { axis: 0 }) : cols[0]; // [K*Ci, N, Ho, Wo], K-major
  return fromHwio(g.op('Gemm', [g.reshape(col, [kh * kw * ci, n * ho * wo]), dyM], { transA: 0, transB: 1 })); // [K*Ci, Co]
}

/** Weight gradient as a Conv of x^T (batch <-> channels) with dy^T as the filter (stride 1 only). */
function weightGradConv(g: IrGraph, x: number, dy: number, a: ConvAttrs): number {
  if (a.stride !== 1) return weightGradIm2col(g, x, dy, a);
  const xt = g.op('Transpose', [x], { perm: [1, 0, 2, 3] }); // [Ci, N, H, W]
  const dyt = g.op('Transpose', [dy], { perm: [1, 0, 2, 3] }); // [Co, N, Ho, Wo]
  const [, , ho, wo] = g.shape(dy);
  const r = g.op('Conv', [xt, dyt], { k: [ho, wo], stride: 1, pads: a.pads }); // [Ci, Co, kh, kw]
  return g.op('Transpose', [r], { perm: [1, 0, 2, 3] });
}

/**
 * Input gradient of a stride-1 conv as a Conv of dy with the filter's in/out swapped and its
 * taps flipped: dx[a] = Σ_i dy[a + i - (k-1-pad_begin)] w[k-1-i], pads (k-1-begin, k-1-end).
 */
function inputGradConv(g: IrGraph, dy: number, w: number, a: ConvAttrs): number {
  const [kh, kw] = a.k,
    [pt, pl, pb, pr] = a.pads;
  const swapped = g.op('Transpose', [w], { perm: [1, 0, 2, 3] });
  const flipped = g.op('Slice', [swapped], { starts: [kh - 1, kw - 1], ends: [-kh - 1, -kw - 1], axes: [2, 3], steps: [-1, -1] });
  return g.op('Conv', [dy, flipped], { k: a.k, stride: 1, pads: [kh - 1 - pt, kw - 1 - pl, kh - 1 - pb, kw - 1 - pr] });
}

export const conv: Record<string, Prim> = {
  Conv: {
    infer: (s, a) => {
      const c = a as unknown as ConvAttrs,
        [n, , h, w] = s[0],
        co = s[1][0];
      if (a.autoPad) return { shape: [n, co, h < 0 ? -1 : Math.ceil(h / c.stride), w < 0 ? -1 : Math.ceil(w / c.stride)] };
      return { shape: [n, co, outSize(h, c.k[0], c.stride, c.pads[0], c.pads[2]), outSize(w, c.k[1], c.stride, c.pads[1], c.pads[3])] };
    },
    emit: (e, n) => {
      const c = n.attrs as unknown as ConvAttrs;
      const attrs: Record<string, number[] | string> = { kernel_shape: c.k, strides: [c.stride, c.stride] };
      if (n.attrs.autoPad) attrs.auto_pad = 'SAME_UPPER';
      else attrs.pads = c.pads;
      e.node('Conv', n.inputs.map(e.name), [e.name(n.out)], attrs);
    },
    vjp: (g: IrGraph, n: IrNode, dy: number, need: boolean[]) => {
      const c = n.attrs as unknown as ConvAttrs,
        [x, w] = n.inputs;
      const out: (number | null)[] = [null, null, null];
      if (need[0]) {
        const [, , h, wd] = g.shape(x),
          [, , ho, wo] = g.shape(dy),
          [kh, kw] = c.k,
          s = c.stride;
        const outputPadding = [h - ((ho - 1) * s + kh - c.pads[0] - c.pads[2]), wd - ((wo - 1) * s + kw - c.pads[1] - c.pads[3])];
        // stride 1 with no more outputs than inputs: a Conv of dy (its im2col has Co·k² rows) beats
        // ConvTranspose (whose col2im has Ci·k²): DDPM steps 1.05x faster, DiffGAN-4 1.03x
        // (docs/experiments/core-models-training-engine.md)
        const [co, ci] = g.shape(w);
        out[0] =
          s === 1 && co <= ci && kh * kw > 1
            ? inputGradConv(g, dy, w, c)
            : g.op('ConvTranspose', [dy, w], { k: c.k, stride: s, pads: c.pads, outputPadding, outShape: g.shape(x) });
      }
      if (need[1]) out[1] = weightGradForm === 'conv' ? weightGradConv(g, x, dy, c) : weightGradIm2col(g, x, dy, c);
      if (n.inputs.length > 2 && need[2]) out[2] = g.op('ReduceSum', [dy], { axes: [0, 2, 3], keepdims: 0 });
      return out.slice(0, n.inputs.length);
    },
  },
  ConvTranspose: {
    infer: (_s, a) => ({ shape: a.outShape as number[] }),
    emit: (e, n) => {
      const a = n.attrs,
        attrs: Record<string, number[]> = { kernel_shape: a.k as number[], strides: [a.stride as number, a.stride as number], pads: a.pads as number[] };
      if ((a.outputPadding as number[]).some((p) => p)) attrs.output_padding = a.outputPadding as number[];
      e.node('ConvTranspose', n.inputs.map(e.name), [e.name(n.out)], attrs);
    },
  },
  /** Y = op(A) · op(B) (2-D; op = transpose when transA / transB). */
  Gemm: {
    infer: (s, a) => {
      const [m] = a.transA ? [s[0][1]] : [s[0][0]],
        nn = a.transB ? s[1][0] : s[1][1];
      return { shape: [m, nn] };
    },
    emit: (e, n) => e.node('Gemm', n.inputs.map(e.name), [e.name(n.out)], { transA: n.attrs.transA as number, transB: n.attrs.transB as number }),
    vjp: (g, n, dy, need) => {
      const [A, B] = n.inputs,
        tA = n.attrs.transA as number,
        tB = n.attrs.transB as number;
      const gemm = (x: number, y: number, ta: number, tb: number) => g.op('Gemm', [x, y], { transA: ta, transB: tb });
      // Y = A'B': dA' = dY B'^T, dB' = A'^T dY; undo the transposes for A and B themselves
      const dA = !tA ? gemm(dy, B, 0, tB ? 0 : 1) : gemm(B, dy, tB ? 1 : 0, 1);
      const dB = !tB ? gemm(A, dy, tA ? 0 : 1, 0) : gemm(dy, A, 1, tA ? 1 : 0);
      return [need[0] ? dA : null, need[1] ? dB : null];
    },
  },
  /** k x k average over non-overlapping windows (stride k). */
  AveragePool: {
    infer: (s, a) => {
      const k = a.k as number,
        [n, c, h, w] = s[0];
      return { shape: [n, c, h < 0 ? -1 : Math.floor(h / k), w < 0 ? -1 : Math.floor(w / k)] };
    },
    emit: (e, n) =>
      e.node('AveragePool', [e.name(n.inputs[0])], [e.name(n.out)], {
        kernel_shape: [n.attrs.k as number, n.attrs.k as number],
        strides: [n.attrs.k as number, n.attrs.k as number],
      }),
    vjp: (g, n, dy) => {
      const k = n.attrs.k as number;
      return [g.mul(g.op('Upsample', [dy], { r: k }), g.scalar(1 / (k * k)))];
    },
  },
  /** Nearest-neighbour upsampling by an integer factor r. */
  Upsample: {
    infer: (s, a) => {
      const r = a.r as number,
        [n, c, h, w] = s[0];
      return { shape: [n, c, h < 0 ? -1 : h * r, w < 0 ? -1 : w * r] };
    },
    emit: (e, n) => {
      const r = n.attrs.r as number;
      e.node('Resize', [e.name(n.inputs[0]), '', e.float([1, 1, r, r], [4])], [e.name(n.out)], {
        mode: 'nearest',
        coordinate_transformation_mode: 'asymmetric',
        nearest_mode: 'floor',
      });
    },
    vjp: (g, n, dy) => {
      const r = n.attrs.r as number;
      return [g.mul(g.op('AveragePool', [dy], { k: r }), g.scalar(r * r))];
    },
  },
};
