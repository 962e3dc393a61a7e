/**
 * Tile layout for seamless tiled inference.
 *
 * Along each axis the LR image is cut into "cores" that partition it. A tile's output
 * covers its core plus half a blend band on each side, and its network input adds
 * `context` more LR pixels on each side (clipped at the image border, where the conv's
 * zero padding is what the untiled run sees too). With context >= the network's
 * receptive radius, every output pixel a tile keeps is exactly what the untiled run
 * computes, and the linear ramps in the blend band (complementary weights, so no
 * normalisation buffer is needed) only matter for stochastic stages (refinement).
 */
// How far an output pixel sees (the context a tile needs) is a property of the graph's ops: core-models' op table computes it.
export { receptiveRadius } from '@diffgan/core-models/portable';

/** One tile along one axis, in LR pixels: [inStart, inEnd) is fed to the net, [outStart, outEnd) is kept. */
export interface AxisTile {
  inStart: number;
  inEnd: number;
  outStart: number;
  outEnd: number;
  coreStart: number;
  coreEnd: number;
}

export interface AxisPlan {
  tiles: AxisTile[];
  context: number;
  blend: number;
}

/**
 * Splits [0, length) into tiles whose network input is at most `tile` pixels, with
 * `overlap` pixels shared by neighbouring inputs. The overlap is spent first on
 * `radius` pixels of context on each side, the rest is the blend band. When the
 * overlap is smaller than 2·radius there is no exact context and the whole overlap is
 * blended instead (approximate, as in classic tiled upscalers).
 */
export function planAxis(length: number, tile: number, overlap: number, radius: number): AxisPlan {
  let context: number, blend: number;
  if (overlap >= 2 * radius + 2) {
    context = radius;
    blend = overlap - 2 * radius;
  } else {
    context = 0;
    blend = overlap;
  }
  if (length <= tile) return { tiles: [{ inStart: 0, inEnd: length, outStart: 0, outEnd: length, coreStart: 0, coreEnd: length }], context, blend };
  const half0 = Math.floor(blend / 2),
    half1 = blend - half0;
  const coreMax = tile - blend - 2 * context;
  if (coreMax < Math.max(1, blend)) throw new Error(`tile ${tile} is too small for overlap ${overlap} (needs at least ${2 * blend + 2 * context + 1})`);
  const n = Math.ceil(length / coreMax);
  const tiles: AxisTile[] = [];
  for (let i = 0; i < n; i++) {
    const coreStart = Math.round((i * length) / n),
      coreEnd = Math.round(((i + 1) * length) / n);
    const outStart = i === 0 ? 0 : coreStart - half0;
    const outEnd = i === n - 1 ? length : coreEnd + half1;
    tiles.push({ coreStart, coreEnd, outStart, outEnd, inStart: Math.max(0, outStart - context), inEnd: Math.min(length, outEnd + context) });
  }
  return { tiles, context, blend };
}

/**
 * Blend weight of output pixel `p` (HR units) for tile `i` of an axis plan scaled by `s`:
 * 1 in the core, a linear ramp across each seam's band, and the neighbour's ramp is
 * exactly 1 minus this one, so weights of all tiles sum to 1 everywhere.
 */
export function rampWeight(plan: AxisPlan, i: number, p: number, s: number): number {
  const t = plan.tiles[i];
  const pc = p + 0.5;
  if (i > 0) {
    const a = t.outStart * s,
      b = plan.tiles[i - 1].outEnd * s; // band [a, b)
    if (pc < b) return (pc - a) / (b - a);
  }
  if (i < plan.tiles.length - 1) {
    const a = plan.tiles[i + 1].outStart * s,
      b = t.outEnd * s;
    if (pc >= a) return 1 - (pc - a) / (b - a);
  }
  return 1;
}
