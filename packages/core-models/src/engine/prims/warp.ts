/**
 * Backward warping in the engine's graph: out(x, y) = image(x + flow_x, y + flow_y), bilinear,
 * coordinates clamped to the image (RIFE's grid_sample: padding 'border', align_corners true).
 * With static shapes (training) it is composed from primitives the engine differentiates: the
 * clamped source coordinate, its floor and fraction, four corner rows gathered from the image
 * as an [N·H·W, C] table, and the bilinear blend; the image gradient comes out as four
 * ScatterND 'add's, the flow gradient from the blend's derivative in the fractions. Sizes known
 * only at run time (inference export) get one GridSample node.
 */
import type { IrGraph } from '../ir';

const NCHW = [0, 3, 1, 2];
const NHWC = [0, 1, 2, 3];

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
  // row indices are computed in float: exact below 2^24 rows
  if (b * h * w >= 2 ** 24) throw new Error(`warp: ${b}x${h}x${w} pixels is too many for one training warp (limit 2^24)`);
  const fl = o.physical(flow, NCHW); // [b, 2, h, w]
  const coordinate = (ch: number, size: number, ramp: number): { lo: number; hi: number; frac: number } => {
    const raw = g.add(g.op('Slice', [fl], { starts: [ch], ends: [ch + 1], axes: [1] }), ramp); // [b, 1, h, w]
    const s = g.op('Clip', [raw], { min: 0, max: size - 1 });
    const lo = g.op('Floor', [s]);
    return { lo, hi: g.op('Min', [g.add(lo, g.scalar(1)), g.scalar(size - 1)]), frac: g.reshape(g.op('Sub', [s, lo]), [b, h, w, 1]) };
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
  const table = g.reshape(o.physical(image, NHWC), [b * h * w, c]);
  const first = g.constant(
    Float32Array.from({ length: b }, (_, i) => i * h * w),
    [b, 1, 1, 1],
  );
  const rows = (yy: number, xx: number) => g.add(g.add(g.mul(yy, g.scalar(w)), xx), first);
  const corner = (yy: number, xx: number) => g.reshape(g.op('Gather', [table, g.op('CastInt64', [rows(yy, xx)])]), [b, h, w, c]);
  const lerp = (a: number, bb: number, t: number) => g.add(a, g.mul(t, g.op('Sub', [bb, a])));
  const top = lerp(corner(y.lo, x.lo), corner(y.lo, x.hi), x.frac);
  const bottom = lerp(corner(y.hi, x.lo), corner(y.hi, x.hi), x.frac);
  return { id: lerp(top, bottom, y.frac), perm: NHWC };
}
