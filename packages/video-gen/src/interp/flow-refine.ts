/**
 * Test-time refinement of the IFNet's flows (#25): a few symmetric Lucas-Kanade steps at full
 * resolution on the two input frames, then the net's own composition y = m·warp(i0, F_t0) +
 * (1 − m)·warp(i1, F_t1) with Keys' bicubic warp (a = −0.75, border-clamped: the same warp as the
 * v2 graph's final composition, so 0 steps reproduce the net's y).
 *
 * Why: the net predicts flow at 1/2 of the image and below, and on hand-held and face footage its
 * flows are off by a fraction of a pixel, which costs more than a dB where the classical block
 * matcher (ffmpeg minterpolate) is exact. The frame at t is not known, but the two inputs warped to
 * it must agree: with the inter-frame motion corrected by δ (F_t0 −= t·δ, F_t1 += (1 − t)·δ, the
 * motion stays linear through t), linearising r = W1 − W0 in δ gives, per pixel, the 2x2 system
 * (Σ g gᵀ + λI) δ = −Σ g r with g = (1 − t)∇W1 + t∇W0 and Σ a square window, on luma.
 * λ keeps flat regions where the net put them; each step is clamped to ±1 px. Measured on
 * 41-frame snippets of training clips (docs/experiments/video-gen-ifnet.md): 2 steps +0.97 dB on
 * foreman, +0.44 on a hand-held sweep, within ±0.1 on static or already well-matched footage.
 */

export interface FlowRefineOptions {
  /** symmetric Lucas-Kanade steps (0: the net's flows unchanged) */
  steps: number;
  /** the window is (2·radius + 1)² pixels */
  radius: number;
  /** Tikhonov term added to the 2x2 system's diagonal (luma in [0, 1]) */
  lambda: number;
}

export const DEFAULT_FLOW_REFINE: FlowRefineOptions = { steps: 2, radius: 3, lambda: 1e-4 };

/** BT.601 luma of an RGB float image (HWC), the plane the refinement matches. */
export function lumaOf(rgb: Float32Array, n: number): Float32Array {
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2];
  return y;
}

/** Keys' cubic kernel at the four taps floor − 1 .. floor + 2 of fraction f; core-models ops/cubic-weights.ts is the graph's copy (a = −0.75). */
function keys(f: number, a: number, w: Float64Array): void {
  // |x| <= 1: (a + 2)|x|³ − (a + 3)|x|² + 1; 1 < |x| < 2: a|x|³ − 5a|x|² + 8a|x| − 4a
  const g = 1 - f,
    u = 1 + f,
    v = 2 - f;
  w[0] = ((a * u - 5 * a) * u + 8 * a) * u - 4 * a;
  w[1] = ((a + 2) * f - (a + 3)) * f * f + 1;
  w[2] = ((a + 2) * g - (a + 3)) * g * g + 1;
  w[3] = ((a * v - 5 * a) * v + 8 * a) * v - 4 * a;
}

/** The graph's Keys parameter (its final composition) */
export const KEYS_GRAPH = -0.75;
/**
 * Catmull-Rom (a = −0.5), the refinement's matching warps: the only Keys kernel exact to third
 * order. With −0.75 the interpolation error depends on the fraction, and the two warps (fractions
 * f and 1 − f) disagree at the true motion: on a smooth texture moving 0.6 px the matching settled
 * at 0.51.
 */
export const KEYS_MATCH = -0.5;

/**
 * Bicubic backward warp of a `channels`-channel HWC image by one flow of `flow` (HWC with
 * `flowChannels` channels, x at `offset`, y at `offset + 1`) with Keys' kernel of parameter `a`: out(x, y) = image(x + fx, y + fy),
 * the source coordinate clamped to the image, each tap clamped to the border.
 */
export function warpBicubic(
  image: Float32Array,
  channels: number,
  flow: Float32Array,
  flowChannels: number,
  offset: number,
  width: number,
  height: number,
  a = KEYS_GRAPH,
): Float32Array {
  const out = new Float32Array(width * height * channels);
  const wx = new Float64Array(4),
    wy = new Float64Array(4),
    xs = new Int32Array(4),
    ys = new Int32Array(4);
  const stride = width * channels;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const sx = Math.min(width - 1, Math.max(0, x + flow[p * flowChannels + offset])),
        sy = Math.min(height - 1, Math.max(0, y + flow[p * flowChannels + offset + 1]));
      const x0 = Math.floor(sx),
        y0 = Math.floor(sy);
      keys(sx - x0, a, wx);
      keys(sy - y0, a, wy);
      if (x0 >= 1 && y0 >= 1 && x0 + 2 < width && y0 + 2 < height) {
        // all 16 taps inside: no clamping (the same sums in the same order as below, so the same result)
        const wx0 = wx[0],
          wx1 = wx[1],
          wx2 = wx[2],
          wx3 = wx[3];
        const base = ((y0 - 1) * width + x0 - 1) * channels;
        for (let c = 0; c < channels; c++) {
          let acc = 0;
          for (let j = 0, i = base + c; j < 4; j++, i += stride)
            acc += wy[j] * (wx0 * image[i] + wx1 * image[i + channels] + wx2 * image[i + 2 * channels] + wx3 * image[i + 3 * channels]);
          out[p * channels + c] = acc;
        }
        continue;
      }
      for (let k = 0; k < 4; k++) {
        xs[k] = Math.min(width - 1, Math.max(0, x0 - 1 + k));
        ys[k] = Math.min(height - 1, Math.max(0, y0 - 1 + k));
      }
      for (let c = 0; c < channels; c++) {
        let acc = 0;
        for (let j = 0; j < 4; j++) {
          const row = ys[j] * width;
          let r = 0;
          for (let i = 0; i < 4; i++) r += wx[i] * image[(row + xs[i]) * channels + c];
          acc += wy[j] * r;
        }
        out[p * channels + c] = acc;
      }
    }
  return out;
}

/**
 * Mean over the (2r + 1)² window of a plane, borders clamped (running sums along rows, then
 * columns: O(1) per pixel; a Gaussian window of σ 2 measured the same on foreman, 37.19-37.20 dB, at 5x the time).
 */
export function boxMean(plane: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(plane.length),
    out = new Float32Array(plane.length),
    norm = 1 / (2 * r + 1);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let acc = 0;
    for (let i = -r; i <= r; i++) acc += plane[row + Math.min(width - 1, Math.max(0, i))];
    for (let x = 0; x < width; x++) {
      tmp[row + x] = acc * norm;
      acc += plane[row + Math.min(width - 1, x + r + 1)] - plane[row + Math.max(0, x - r)];
    }
  }
  const col = new Float64Array(width);
  for (let i = -r; i <= r; i++) {
    const row = Math.min(height - 1, Math.max(0, i)) * width;
    for (let x = 0; x < width; x++) col[x] += tmp[row + x];
  }
  for (let y = 0; y < height; y++) {
    const add = Math.min(height - 1, y + r + 1) * width,
      sub = Math.max(0, y - r) * width,
      row = y * width;
    for (let x = 0; x < width; x++) {
      out[row + x] = col[x] * norm;
      col[x] += tmp[add + x] - tmp[sub + x];
    }
  }
  return out;
}

/** Central differences (one-sided at the borders): ∂/∂x and ∂/∂y of a plane. */
function gradients(p: Float32Array, width: number, height: number): [Float32Array, Float32Array] {
  const gx = new Float32Array(p.length),
    gy = new Float32Array(p.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const xl = x > 0 ? i - 1 : i,
        xr = x < width - 1 ? i + 1 : i,
        yu = y > 0 ? i - width : i,
        yd = y < height - 1 ? i + width : i;
      gx[i] = (p[xr] - p[xl]) / (xr - xl || 1);
      gy[i] = (p[yd] - p[yu]) / ((yd - yu) / width || 1);
    }
  return [gx, gy];
}

/** The luma planes warped by a flow: l0 by F_t→0 and l1 by F_t→1 (KEYS_MATCH). */
export interface LumaWarps {
  w0: Float32Array;
  w1: Float32Array;
}

/**
 * The flows (HWC, 4 channels: F_t→0 x, y, F_t→1 x, y, pixels) after `o.steps` symmetric
 * Lucas-Kanade steps on the luma planes l0, l1 (see the file comment). Returns a new array;
 * `firstWarps`, when given, receives the first step's warps (those of `flow` itself: selectFlow
 * takes them back instead of warping the same candidate again).
 */
export function refineFlow(
  l0: Float32Array,
  l1: Float32Array,
  flow: Float32Array,
  width: number,
  height: number,
  t: number,
  o: FlowRefineOptions = DEFAULT_FLOW_REFINE,
  firstWarps?: Partial<LumaWarps>,
): Float32Array {
  const f = Float32Array.from(flow);
  if (o.steps <= 0) return f;
  const n = width * height;
  const xx = new Float32Array(n),
    xy = new Float32Array(n),
    yy = new Float32Array(n),
    xr = new Float32Array(n),
    yr = new Float32Array(n);
  for (let step = 0; step < o.steps; step++) {
    // the luma planes warped, and the derivatives of the warped planes (warping the derivatives
    // instead: the same dB on foreman at 1.6x the time)
    const w0 = warpBicubic(l0, 1, f, 4, 0, width, height, KEYS_MATCH),
      w1 = warpBicubic(l1, 1, f, 4, 2, width, height, KEYS_MATCH);
    if (step === 0 && firstWarps) Object.assign(firstWarps, { w0, w1 });
    const [gx0, gy0] = gradients(w0, width, height),
      [gx1, gy1] = gradients(w1, width, height);
    for (let i = 0; i < n; i++) {
      const r = w1[i] - w0[i];
      const gx = (1 - t) * gx1[i] + t * gx0[i],
        gy = (1 - t) * gy1[i] + t * gy0[i];
      xx[i] = gx * gx;
      xy[i] = gx * gy;
      yy[i] = gy * gy;
      xr[i] = gx * r;
      yr[i] = gy * r;
    }
    const [a, b, c, bx, by] = [xx, xy, yy, xr, yr].map((p) => boxMean(p, width, height, o.radius));
    for (let i = 0; i < n; i++) {
      const A = a[i] + o.lambda,
        C = c[i] + o.lambda,
        B = b[i];
      const det = A * C - B * B;
      // a flat window (λ = 0) leaves the flow as it is
      if (!(det > 1e-12)) continue;
      const dx = Math.min(1, Math.max(-1, -(C * bx[i] - B * by[i]) / det)),
        dy = Math.min(1, Math.max(-1, -(A * by[i] - B * bx[i]) / det));
      f[4 * i] -= t * dx;
      f[4 * i + 1] -= t * dy;
      f[4 * i + 2] += (1 - t) * dx;
      f[4 * i + 3] += (1 - t) * dy;
    }
  }
  return f;
}

/**
 * Per pixel, the flow (HWC, 4 channels as refineFlow's) among `candidates` whose two warped inputs
 * agree best: the least mean of (W1 − W0)² on luma over the (2·radius + 1)² window, Catmull-Rom
 * warps. The frame at t is unknown but both inputs warped to it must match there, so this needs no
 * ground truth. Why: the net's flows are smooth and a fraction of a pixel off on textured, rigid
 * motion where a block matcher is exact, and the block matcher fails where the net does not (large or
 * non-rigid motion); on 8 training snippets choosing between the two (radius 8) beat the net's flows
 * refined by refineFlow on every one, by +0.09 to +0.67 dB (docs/experiments/video-gen-ifnet.md).
 * Ties go to the earlier candidate. Where candidate j wins, `outputs[j]` is written (default: the
 * candidate itself; the interpolator judges the net's raw flow but writes its refined one).
 * `warps[j]`, when given, are candidate j's luma warps already made (refineFlow's firstWarps). Returns a new array.
 */
export function selectFlow(
  l0: Float32Array,
  l1: Float32Array,
  candidates: readonly Float32Array[],
  width: number,
  height: number,
  radius: number,
  outputs: readonly Float32Array[] = candidates,
  warps: readonly (LumaWarps | undefined)[] = [],
): Float32Array {
  if (outputs.length !== candidates.length) throw new RangeError(`selectFlow: ${outputs.length} outputs for ${candidates.length} candidates`);
  const n = width * height;
  const errors = candidates.map((flow, j) => {
    const a = warps[j]?.w0 ?? warpBicubic(l0, 1, flow, 4, 0, width, height, KEYS_MATCH),
      b = warps[j]?.w1 ?? warpBicubic(l1, 1, flow, 4, 2, width, height, KEYS_MATCH);
    const e = new Float32Array(n);
    for (let p = 0; p < n; p++) e[p] = (b[p] - a[p]) * (b[p] - a[p]);
    return boxMean(e, width, height, radius);
  });
  const out = new Float32Array(n * 4);
  for (let p = 0; p < n; p++) {
    let best = 0;
    for (let j = 1; j < candidates.length; j++) if (errors[j][p] < errors[best][p]) best = j;
    for (let c = 0; c < 4; c++) out[4 * p + c] = outputs[best][4 * p + c];
  }
  return out;
}

/**
 * The flows at time t (HWC, 4 channels) of a motion measured at the midpoint: (fx, fy) is half the motion
 * from frame 0 to frame 1 (image(x) at t = ½ is i0(x − f) = i1(x + f), as net.ts's block matcher gives it),
 * kept linear through t: F_t0 = −2t·f, F_t1 = 2(1 − t)·f.
 */
export function flowsAt(fx: Float32Array, fy: Float32Array, t: number): Float32Array {
  const out = new Float32Array(fx.length * 4);
  for (let p = 0; p < fx.length; p++) {
    out[4 * p] = -2 * t * fx[p];
    out[4 * p + 1] = -2 * t * fy[p];
    out[4 * p + 2] = 2 * (1 - t) * fx[p];
    out[4 * p + 3] = 2 * (1 - t) * fy[p];
  }
  return out;
}

/** y = m·warp(i0, F_t0) + (1 − m)·warp(i1, F_t1), bicubic, clamped to [0, 1]: the v2 net's final composition. */
export function composeFrame(i0: Float32Array, i1: Float32Array, flow: Float32Array, mask: Float32Array, width: number, height: number): Float32Array {
  const w0 = warpBicubic(i0, 3, flow, 4, 0, width, height),
    w1 = warpBicubic(i1, 3, flow, 4, 2, width, height);
  const y = new Float32Array(w0.length);
  for (let p = 0; p < mask.length; p++)
    for (let c = 0; c < 3; c++) {
      const v = w1[3 * p + c] + mask[p] * (w0[3 * p + c] - w1[3 * p + c]);
      y[3 * p + c] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  return y;
}
