/** Reductions and layout primitives (reshape, transpose, slice, concat, pad, expand, depth/space). */
import type { Prim, Shape } from '../ir';
import { broadcastShape } from './elementwise';

const numel = (s: Shape): number => s.reduce((a, b) => a * b, 1);
const normAxes = (axes: number[], r: number): number[] => axes.map((a) => (a < 0 ? a + r : a));

function reduce(kind: 'ReduceSum' | 'ReduceMean' | 'ReduceMax'): Prim {
  return {
    infer: (s, a) => {
      const axes = normAxes(a.axes as number[], s[0].length),
        keep = a.keepdims as number;
      return { shape: keep ? s[0].map((d, i) => (axes.includes(i) ? 1 : d)) : s[0].filter((_, i) => !axes.includes(i)) };
    },
    emit: (e, n) => {
      const axes = n.attrs.axes as number[];
      // opset 17: ReduceSum takes axes as an input, ReduceMean as an attribute
      if (kind === 'ReduceSum') e.node('ReduceSum', [e.name(n.inputs[0]), e.int64(axes)], [e.name(n.out)], { keepdims: n.attrs.keepdims as number });
      else e.node(kind, [e.name(n.inputs[0])], [e.name(n.out)], { axes, keepdims: n.attrs.keepdims as number });
    },
    // ReduceMax has no gradient rule: the engine uses it only as log-sum-exp's shift, whose gradient is zero
    vjp:
      kind === 'ReduceMax'
        ? undefined
        : (g, n, dy) => {
            const x = g.shape(n.inputs[0]),
              axes = normAxes(n.attrs.axes as number[], x.length);
            const kept = g.reshape(
              dy,
              x.map((d, i) => (axes.includes(i) ? 1 : d)),
            );
            let d = g.op('Expand', [kept], { shape: x });
            if (kind === 'ReduceMean') d = g.mul(d, g.scalar(1 / axes.reduce((p, a) => p * x[a], 1)));
            return [d];
          },
  };
}

export const layout: Record<string, Prim> = {
  ReduceSum: reduce('ReduceSum'),
  ReduceMean: reduce('ReduceMean'),
  ReduceMax: reduce('ReduceMax'),
  Reshape: {
    infer: (s, a) => {
      const want = (a.shape as number[]).map((d, i) => (d === 0 ? s[0][i] : d)),
        known = numel(want.filter((d) => d !== -1));
      const total = numel(s[0]);
      if (want.includes(-1)) want[want.indexOf(-1)] = s[0].includes(-1) ? -1 : total / known;
      else if (!s[0].includes(-1) && numel(want) !== total) throw new Error(`engine: cannot reshape [${s[0]}] to [${want}]`);
      return { shape: want };
    },
    emit: (e, n) => e.node('Reshape', [e.name(n.inputs[0]), e.int64(n.attrs.shape as number[])], [e.name(n.out)]),
    vjp: (g, n, dy) => [g.reshape(dy, g.shape(n.inputs[0]))],
  },
  /**
   * Group normalisation of NCHW x without the affine part: each sample's channel groups to mean 0,
   * variance 1. Forward as onnxruntime's fused InstanceNormalization over [N, G, C/G*H*W]; the
   * gradient in closed form, dx = (dy - mean(dy) - x̂·mean(dy·x̂)) / σ per group (7 passes over
   * the tensor instead of the ~20 of differentiating the composite).
   */
  GroupNorm: {
    infer: (s) => ({ shape: s[0] }),
    emit: (e, n) => {
      const x = e.name(n.inputs[0]),
        out = e.name(n.out),
        G = n.attrs.groups as number;
      e.node('Reshape', [x, e.int64([0, G, -1])], [`${out}_grouped`]);
      e.node('InstanceNormalization', [`${out}_grouped`, e.float(new Array(G).fill(1), [G]), e.float(new Array(G).fill(0), [G])], [`${out}_normed`], {
        epsilon: { f: n.attrs.eps as number },
      });
      e.node('Shape', [x], [`${out}_shape`]);
      e.node('Reshape', [`${out}_normed`, `${out}_shape`], [out]);
    },
    vjp: (g, n, dy) => {
      const x = n.inputs[0],
        shape = g.shape(x),
        [N, C, H, W] = shape,
        G = n.attrs.groups as number,
        grouped = [N, G, (C / G) * H * W];
      const mean = (v: number) => g.op('ReduceMean', [v], { axes: [2], keepdims: 1 });
      const xr = g.reshape(x, grouped),
        centred = g.op('Sub', [xr, mean(xr)]);
      const invStd = g.op('Div', [g.scalar(1), g.op('Sqrt', [g.add(mean(g.mul(centred, centred)), g.scalar(n.attrs.eps as number))])]);
      const dyr = g.reshape(dy, grouped),
        xhat = g.reshape(n.out, grouped);
      const inner = g.op('Sub', [g.op('Sub', [dyr, mean(dyr)]), g.mul(xhat, mean(g.mul(dyr, xhat)))]);
      return [g.reshape(g.mul(inner, invStd), shape)];
    },
  },
  /**
   * y = x̂·γ + β per channel, inputs [x, x̂ = GroupNorm(x), γ, β] ([C] each): the affine and the
   * normalisation differentiated together. With Q = Σ_hw dy and P = Σ_hw dy·x̂ per sample and
   * channel (dβ, dγ summed over the batch), the group means of dx̂ = dy·γ and dx̂·x̂ are sums of
   * γ·Q and γ·P, so dx = dy·(γσ⁻¹) + x̂·(-σ⁻¹·mean(dx̂·x̂)) - σ⁻¹·mean(dx̂) takes 11 passes over the
   * tensor where the affine's and GroupNorm's rules in turn take 15. x̂ itself gets no gradient.
   */
  GroupNormAffine: {
    infer: (s) => ({ shape: s[1] }),
    emit: (e, n) => {
      const [, xhat, gamma, beta] = n.inputs.map(e.name),
        out = e.name(n.out);
      e.node('Reshape', [gamma, e.int64([1, -1, 1, 1])], [`${out}_gamma`]);
      e.node('Reshape', [beta, e.int64([1, -1, 1, 1])], [`${out}_beta`]);
      e.node('Mul', [xhat, `${out}_gamma`], [`${out}_scaled`]);
      e.node('Add', [`${out}_scaled`, `${out}_beta`], [out]);
    },
    vjp: (g, n, dy, need) => {
      const [x, xhat, gamma] = n.inputs,
        [N, C, H, W] = g.shape(x),
        G = n.attrs.groups as number,
        K = C / G;
      const sumHw = (v: number) => g.op('ReduceSum', [v], { axes: [2, 3], keepdims: 1 }); // [N, C, 1, 1]
      const overBatch = (v: number) => g.reshape(g.op('ReduceSum', [v], { axes: [0], keepdims: 0 }), [C]);
      const q = sumHw(dy),
        p = sumHw(g.mul(dy, xhat));
      const out: (number | null)[] = [null, null, need[2] ? overBatch(p) : null, need[3] ? overBatch(q) : null];
      if (need[0]) {
        const gamma4 = g.reshape(gamma, [1, C, 1, 1]);
        // σ⁻¹ per sample and group, recomputed from x as GroupNorm's own rule does
        const mean = (v: number) => g.op('ReduceMean', [v], { axes: [2], keepdims: 1 });
        const xr = g.reshape(x, [N, G, K * H * W]),
          centred = g.op('Sub', [xr, mean(xr)]);
        const invStd = g.op('Div', [g.scalar(1), g.op('Sqrt', [g.add(mean(g.mul(centred, centred)), g.scalar(n.attrs.eps as number))])]); // [N, G, 1]
        const groupMean = (v: number) =>
          g.mul(g.op('ReduceSum', [g.reshape(g.mul(v, gamma4), [N, G, K])], { axes: [2], keepdims: 1 }), g.scalar(1 / (K * H * W)));
        const perChannel = (v: number) => g.reshape(g.op('Expand', [v], { shape: [N, G, K] }), [N, C, 1, 1]);
        const scale = g.mul(gamma4, perChannel(invStd)),
          xhatCoef = perChannel(g.neg(g.mul(groupMean(p), invStd))),
          shift = perChannel(g.neg(g.mul(groupMean(q), invStd)));
        out[0] = g.add(g.add(g.mul(dy, scale), g.mul(xhat, xhatCoef)), shift);
      }
      return out;
    },
  },
  Transpose: {
    infer: (s, a) => ({ shape: (a.perm as number[]).map((p) => s[0][p]) }),
    emit: (e, n) => e.node('Transpose', [e.name(n.inputs[0])], [e.name(n.out)], { perm: n.attrs.perm as number[] }),
    vjp: (g, n, dy) => {
      const perm = n.attrs.perm as number[],
        inv = perm.map((_, i) => perm.indexOf(i));
      // a gradient that arrives transposed (conv weight gradients in HWIO order) moves once, or not at all
      const from = g.values[dy].node >= 0 ? g.nodes[g.values[dy].node] : undefined;
      if (from?.prim === 'Transpose') {
        const inner = from.attrs.perm as number[],
          both = inv.map((a) => inner[a]);
        return [both.every((a, i) => a === i) ? from.inputs[0] : g.op('Transpose', [from.inputs[0]], { perm: both })];
      }
      return [g.op('Transpose', [dy], { perm: inv })];
    },
  },
  /** starts/ends/axes/steps as ONNX Slice (ends clipped to the dim). */
  Slice: {
    infer: (s, a) => {
      const shape = s[0].slice(),
        steps = (a.steps as number[] | undefined) ?? (a.axes as number[]).map(() => 1);
      (a.axes as number[]).forEach((ax, k) => {
        const d = shape[ax],
          step = steps[k];
        // ONNX: negative indices count from the end; a negative step clamps to [-1, d-1] (a flip)
        const at = (i: number, lo: number, hi: number) => Math.min(Math.max(i < 0 ? i + d : i, lo), hi);
        const st = step > 0 ? at((a.starts as number[])[k], 0, d) : at((a.starts as number[])[k], -1, d - 1),
          en = step > 0 ? at((a.ends as number[])[k], 0, d) : at((a.ends as number[])[k], -1, d - 1);
        shape[ax] = d < 0 ? -1 : Math.max(0, Math.ceil((en - st) / step));
      });
      return { shape };
    },
    emit: (e, n) => {
      const a = n.attrs,
        ins = [e.name(n.inputs[0]), e.int64(a.starts as number[]), e.int64(a.ends as number[]), e.int64(a.axes as number[])];
      if (a.steps) ins.push(e.int64(a.steps as number[]));
      e.node('Slice', ins, [e.name(n.out)]);
    },
    vjp: (g, n, dy) => {
      const a = n.attrs,
        x = g.shape(n.inputs[0]),
        out = g.shape(n.out);
      if ((a.steps as number[] | undefined)?.some((s) => s !== 1)) throw new Error('engine: no gradient for a strided Slice');
      const pads = new Array(2 * x.length).fill(0);
      (a.axes as number[]).forEach((ax, k) => {
        pads[ax] = (a.starts as number[])[k];
        pads[x.length + ax] = x[ax] - (a.starts as number[])[k] - out[ax];
      });
      return [g.op('Pad', [dy], { pads })];
    },
  },
  Concat: {
    infer: (s, a) => {
      const ax = a.axis as number,
        shape = s[0].slice();
      shape[ax] = s.reduce((t, x) => t + x[ax], 0);
      return { shape };
    },
    emit: (e, n) => e.node('Concat', n.inputs.map(e.name), [e.name(n.out)], { axis: n.attrs.axis as number }),
    vjp: (g, n, dy, need) => {
      const ax = n.attrs.axis as number;
      let start = 0;
      return n.inputs.map((i, k) => {
        const d = g.shape(i)[ax],
          s = start;
        start += d;
        return need[k] ? g.op('Slice', [dy], { starts: [s], ends: [s + d], axes: [ax] }) : null;
      });
    },
  },
  /** Zero padding: pads = [begin_0.., end_0..] as ONNX. */
  Pad: {
    infer: (s, a) => {
      const p = a.pads as number[],
        r = s[0].length;
      return { shape: s[0].map((d, i) => d + p[i] + p[r + i]) };
    },
    emit: (e, n) => e.node('Pad', [e.name(n.inputs[0]), e.int64(n.attrs.pads as number[])], [e.name(n.out)]),
    vjp: (g, n, dy) => {
      const p = n.attrs.pads as number[],
        x = g.shape(n.inputs[0]),
        r = x.length;
      const axes = x.map((_, i) => i).filter((i) => p[i] || p[r + i]);
      return [axes.length ? g.op('Slice', [dy], { starts: axes.map((i) => p[i]), ends: axes.map((i) => p[i] + x[i]), axes }) : dy];
    },
  },
  Expand: {
    infer: (s, a) => ({ shape: broadcastShape(s[0], a.shape as number[]) }),
    emit: (e, n) => e.node('Expand', [e.name(n.inputs[0]), e.int64(n.attrs.shape as number[])], [e.name(n.out)]),
    vjp: (g, n, dy) => [g.sumTo(dy, g.shape(n.inputs[0]))],
  },
  /** NCHW, DCR order: equal to tfjs depthToSpace and to the pixel shuffle of the graph IR. */
  DepthToSpace: {
    infer: (s, a) => {
      const r = a.r as number,
        [n, c, h, w] = s[0];
      return { shape: [n, c / (r * r), h * r, w * r] };
    },
    emit: (e, n) => e.node('DepthToSpace', [e.name(n.inputs[0])], [e.name(n.out)], { blocksize: n.attrs.r as number, mode: 'DCR' }),
    vjp: (g, n, dy) => [g.op('SpaceToDepth', [dy], { r: n.attrs.r })],
  },
  SpaceToDepth: {
    infer: (s, a) => {
      const r = a.r as number,
        [n, c, h, w] = s[0];
      return { shape: [n, c * r * r, h / r, w / r] };
    },
    emit: (e, n) => e.node('SpaceToDepth', [e.name(n.inputs[0])], [e.name(n.out)], { blocksize: n.attrs.r as number }),
    vjp: (g, n, dy) => [g.op('DepthToSpace', [dy], { r: n.attrs.r })],
  },
};
