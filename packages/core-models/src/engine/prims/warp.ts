/**
 * Backward warping in the engine's graph: out(x, y) = image(x + flow_x, y + flow_y), bilinear,
 * coordinates clamped to the image (RIFE's grid_sample: padding 'border', align_corners true).
 * With static shapes (training) it is composed from primitives the engine differentiates: the
 * clamped source coordinate, its floor and fraction, the four corners gathered from the NCHW
 * image (GatherElements over [N, C, H·W], the same pixel for every channel), and the bilinear
 * blend; the image gradient comes out as four ScatterElements 'add's, the flow gradient from
 * the blend's derivative in the fractions. All of it stays NCHW, so the weights broadcast over
 * whole planes (an NHWC [N·H·W, C] row table was 3x slower forward+backward: the per-pixel
 * weights broadcast over C = 3). Sizes known only at run time (inference export) get one
 * GridSample node.
 */
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
export function warpIr(o: OpsLike, image: SymLike, flow: SymLike): { id: number; perm: number[] } {
  const [b, h, w, c] = image.shape,
    [fb, fh, fw, fc] = flow.shape;
  if (fc !== 2) throw new Error(`warp: the flow needs 2 channels (x, y), got ${fc}`);
  const dynamic = [b, h, w, fb, fh, fw].includes(-1);
  if (!dynamic && (b !== fb || h !== fh || w !== fw)) throw new Error(`warp: image [${image.shape}] and flow [${flow.shape}] differ in batch or size`);
  const g = o.g;
  if (dynamic) return { id: g.op('WarpGridSample', [o.physical(image, NCHW), o.physical(flow, NCHW)]), perm: NCHW };
  // pixel indices are computed in float: exact below 2^24 pixels per image
  if (h * w >= 2 ** 24) throw new Error(`warp: ${h}x${w} pixels is too many for a training warp (limit 2^24)`);
  const fl = o.physical(flow, NCHW); // [b, 2, h, w]
  const coordinate = (ch: number, size: number, ramp: number): { lo: number; hi: number; frac: number } => {
    const raw = g.add(g.op('Slice', [fl], { starts: [ch], ends: [ch + 1], axes: [1] }), ramp); // [b, 1, h, w]
    const s = g.op('Clip', [raw], { min: 0, max: size - 1 });
    const lo = g.op('Floor', [s]);
    return { lo, hi: g.op('Min', [g.add(lo, g.scalar(1)), g.scalar(size - 1)]), frac: g.op('Sub', [s, lo]) };
  };
  const x = coordinate(
    0,
    w,
    g.constant(
      Float32Array.from({ length: w }, (_, i) => i),
      [w],
    ),
  );
  const y = coordinate(
    1,
    h,
    g.constant(
      Float32Array.from({ length: h }, (_, i) => i),
      [h, 1],
    ),
  );
  // each channel reads the same pixels: GatherElements over [b, c, h·w] with the indices expanded over c
  const planes = g.reshape(o.physical(image, NCHW), [b, c, h * w]);
  const corner = (yy: number, xx: number) => {
    const index = g.op('Expand', [g.reshape(g.op('CastInt64', [g.add(g.mul(yy, g.scalar(w)), xx)]), [b, 1, h * w])], { shape: [b, c, h * w] });
    return g.reshape(g.op('GatherElements', [planes, index], { axis: 2 }), [b, c, h, w]);
  };
  const lerp = (a: number, bb: number, t: number) => g.add(a, g.mul(t, g.op('Sub', [bb, a])));
  const top = lerp(corner(y.lo, x.lo), corner(y.lo, x.hi), x.frac);
  const bottom = lerp(corner(y.hi, x.lo), corner(y.hi, x.hi), x.frac);
  return { id: lerp(top, bottom, y.frac), perm: NCHW };
}
