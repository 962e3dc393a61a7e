/**
 * Backward warping in the engine's graph: out(x, y) = image(x + flow_x, y + flow_y), bilinear,
 * coordinates clamped to the image (RIFE's grid_sample: padding 'border', align_corners true).
 * It is composed from primitives the engine differentiates: the
 * clamped source coordinate, its floor and fraction, the four corners gathered from the NCHW
 * image (GatherElements over [N, C, H·W], the same pixel for every channel), and the bilinear
 * blend; the image gradient comes out as four ScatterElements 'add's, the flow gradient from
 * the blend's derivative in the fractions. All of it stays NCHW, so the weights broadcast over
 * whole planes (an NHWC [N·H·W, C] row table was 3x slower forward+backward: the per-pixel
 * weights broadcast over C = 3). The inference export runs the same composition with the
 * sizes read at run time rather than ONNX GridSample (bilinear, border, align_corners 1), which
 * onnxruntime runs too but slower: forward, 1 thread, 4x64x64x3 1.28 vs 0.33 ms, 1x360x640x3
 * 17.5 vs 6.7 ms, 1x360x640x8 35.8 vs 19.9 ms (fastest of 200 runs).
 * Bicubic (WarpMode): Keys' weights (ops/cubic-weights.ts) of the same clamped coordinate's
 * fraction, 16 taps (floor - 1 .. floor + 2 per axis, each clamped to the border) gathered the
 * same way; the flow gradient is the engine's derivative of the weight polynomials.
 */
import type { WarpMode } from '../../graph';
import { CubicArith, cubicWeights } from '../../ops/cubic-weights';
import type { IrGraph } from '../ir';

const NCHW = [0, 3, 1, 2];

/** What the composition needs of OnnxOps (a structural type: importing the class would be circular). */
interface SymLike {
  id: number;
  shape: number[];
}
interface OpsLike {
  g: IrGraph;
  physical(x: SymLike, perm: number[]): number;
}

/** The warped image's IR id and its physical axis order (`perm[i]` = logical axis of physical axis i). */
export function warpIr(o: OpsLike, image: SymLike, flow: SymLike, mode: WarpMode = 'bilinear'): { id: number; perm: number[] } {
  const [b, h, w, c] = image.shape,
    [fb, fh, fw, fc] = flow.shape;
  if (fc !== 2) throw new Error(`warp: the flow needs 2 channels (x, y), got ${fc}`);
  // sizes known only at run time (the inference export) are read from the flow's shape in the graph
  const dynamic = [b, h, w, fb, fh, fw].includes(-1);
  if (!dynamic && (b !== fb || h !== fh || w !== fw)) throw new Error(`warp: image [${image.shape}] and flow [${flow.shape}] differ in batch or size`);
  const g = o.g;
  const img = o.physical(image, NCHW), // [b, c, h, w]
    fl = o.physical(flow, NCHW); // [b, 2, h, w]
  const last = (axis: number, size: number) => (dynamic ? g.op('AxisLast', [fl], { axis }) : g.scalar(size - 1));
  const ramp = (axis: number, size: number) =>
    dynamic
      ? g.op('AxisRamp', [fl], { axis })
      : g.constant(
          Float32Array.from({ length: size }, (_, i) => i),
          axis === 3 ? [size] : [size, 1],
        );
  // the source coordinate along one axis, clamped; its floor, the next pixel (clamped) and the fraction [b, 1, h·w]
  const coordinate = (ch: number, axis: number, size: number) => {
    const max = last(axis, size);
    const raw = g.add(g.op('Slice', [fl], { starts: [ch], ends: [ch + 1], axes: [1] }), ramp(axis, size)); // [b, 1, h, w]
    const s = g.op('Clip', [raw, g.scalar(0), max]);
    const lo = g.op('Floor', [s]);
    /** the pixel `k` after the floor, clamped to the image (bicubic's outer taps) */
    const tap = (k: number) => g.op('Clip', [g.add(lo, g.scalar(k)), g.scalar(0), max]);
    return { lo, hi: g.op('Min', [g.add(lo, g.scalar(1)), max]), tap, frac: g.reshape(g.op('Sub', [s, lo]), [0, 1, -1]) };
  };
  const x = coordinate(0, 3, w),
    y = coordinate(1, 2, h);
  const width = dynamic ? g.add(last(3, w), g.scalar(1)) : g.scalar(w);
  // each channel reads the same pixels: GatherElements over [b, c, h·w] with the indices expanded over c
  const planes = g.reshape(img, [0, c, -1]);
  const corner = (yy: number, xx: number) => {
    const index = g.op('Expand', [g.reshape(g.op('PixelIndex', [yy, xx, width]), [0, 1, -1])], { shape: [1, c, 1] });
    return g.op('GatherElements', [planes, index], { axis: 2 });
  };
  let out: number; // [b, c, h·w]
  if (mode === 'bicubic') {
    const arith: CubicArith<number> = { affine: (v, a, bb) => affine(g, v, a, bb), mul: (u, v) => g.mul(u, v) };
    const wx = cubicWeights(arith, x.frac),
      wy = cubicWeights(arith, y.frac);
    const xs = [x.tap(-1), x.lo, x.hi, x.tap(2)],
      ys = [y.tap(-1), y.lo, y.hi, y.tap(2)];
    const sum = (terms: number[]) => terms.reduce((acc, v) => g.add(acc, v));
    out = sum(ys.map((yy, j) => g.mul(wy[j], sum(xs.map((xx, i) => g.mul(wx[i], corner(yy, xx)))))));
  } else {
    const lerp = (a: number, bb: number, t: number) => g.add(a, g.mul(t, g.op('Sub', [bb, a])));
    const top = lerp(corner(y.lo, x.lo), corner(y.lo, x.hi), x.frac);
    const bottom = lerp(corner(y.hi, x.lo), corner(y.hi, x.hi), x.frac);
    out = lerp(top, bottom, y.frac);
  }
  return { id: dynamic ? g.op('ReshapeLike', [out, img]) : g.reshape(out, [b, c, h, w]), perm: NCHW };
}

/** a·v + b in the IR, leaving out a multiply by 1 and an add of 0 */
function affine(g: IrGraph, v: number, a: number, b: number): number {
  const scaled = a === 1 ? v : g.mul(v, g.scalar(a));
  return b === 0 ? scaled : g.add(scaled, g.scalar(b));
}
