/**
 * A line chart as an RGB image (axes, ticks, legend in the built-in bitmap font): enough for
 * curves such as FID against training steps, with no plotting dependency.
 */
import { PixelImage } from './pixel-image';
import { drawText, measureText } from './bitmap-font';
import { Rgb } from './compose';

/** A series with an empty label is drawn but not listed in the legend (e.g. a second seed in the first one's colour). */
export interface Series {
  label: string;
  color: Rgb;
  points: [number, number][];
}

export interface LinePlotOptions {
  width?: number;
  height?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** logarithmic y axis (e.g. FID spanning 500 to 5); values <= 0 are left out */
  logY?: boolean;
}

/** Round tick values covering [lo, hi]: steps of 1, 2 or 5 x 10^k, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count,
    mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

/** Ticks of a log axis over [lo, hi]: 1, 2, 5 x 10^k inside the range. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** k;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(+v.toPrecision(12));
    }
  }
  return out;
}

const label = (v: number): string => (Math.abs(v) >= 1000 && v % 1000 === 0 ? `${v / 1000}K` : `${+v.toPrecision(4)}`);

export function linePlot(series: Series[], o: LinePlotOptions = {}): PixelImage<Uint8Array> {
  const width = o.width ?? 640,
    height = o.height ?? 400,
    channels = 3;
  const img: PixelImage<Uint8Array> = { data: new Uint8Array(width * height * channels).fill(255), width, height, channels };
  const set = (x: number, y: number, c: Rgb) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (Math.round(y) * width + Math.round(x)) * 3;
    img.data[i] = c[0];
    img.data[i + 1] = c[1];
    img.data[i + 2] = c[2];
  };
  const line = (x0: number, y0: number, x1: number, y1: number, c: Rgb, thick = 1) => {
    const n = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let k = 0; k <= n; k++) {
      const x = x0 + ((x1 - x0) * k) / n,
        y = y0 + ((y1 - y0) * k) / n;
      for (let d = 0; d < thick; d++) {
        set(x, y + d, c);
        set(x + d, y, c);
      }
    }
  };
  const pts = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y) && (!o.logY || y > 0));
  const left = 56,
    right = 12,
    top = o.title ? 24 : 10,
    bottom = 34;
  const pw = width - left - right,
    ph = height - top - bottom;
  const xs = pts.map((p) => p[0]),
    ys = pts.map((p) => p[1]);
  const x0 = Math.min(0, ...xs),
    x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(...ys),
    y1 = Math.max(...ys);
  if (!(y1 > y0)) {
    y0 -= 1;
    y1 += 1;
  }
  const fy = o.logY ? (v: number) => Math.log10(v) : (v: number) => v;
  if (o.logY) {
    y0 /= 1.1;
    y1 *= 1.1;
  } else {
    const pad = (y1 - y0) * 0.05;
    y0 = y0 >= 0 ? Math.max(0, y0 - pad) : y0 - pad;
    y1 += pad;
  }
  const px = (x: number) => left + ((x - x0) / (x1 - x0)) * pw;
  const py = (y: number) => top + ph - ((fy(y) - fy(y0)) / (fy(y1) - fy(y0))) * ph;
  const grey: Rgb = [220, 220, 220],
    ink: Rgb = [0, 0, 0];
  for (const t of o.logY ? logTicks(y0, y1) : niceTicks(y0, y1)) {
    line(left, py(t), left + pw, py(t), grey);
    const s = label(t);
    drawText(img, s, left - 6 - measureText(s).width, Math.round(py(t)) - 3, { color: ink });
  }
  for (const t of niceTicks(x0, x1, 6)) {
    line(px(t), top, px(t), top + ph, grey);
    const s = label(t);
    drawText(img, s, Math.round(px(t) - measureText(s).width / 2), top + ph + 5, { color: ink });
  }
  line(left, top, left, top + ph, ink);
  line(left, top + ph, left + pw, top + ph, ink);
  for (const s of series) {
    const p = s.points.filter(([, y]) => Number.isFinite(y) && (!o.logY || y > 0));
    for (let k = 1; k < p.length; k++) line(px(p[k - 1][0]), py(p[k - 1][1]), px(p[k][0]), py(p[k][1]), s.color, 2);
    for (const [x, y] of p)
      for (let d = -1; d <= 1; d++) {
        set(px(x) + d, py(y), s.color);
        set(px(x), py(y) + d, s.color);
      }
  }
  if (o.title) drawText(img, o.title, left, 8, { color: ink });
  if (o.xLabel) drawText(img, o.xLabel, Math.round(left + pw / 2 - measureText(o.xLabel).width / 2), height - 12, { color: ink });
  if (o.yLabel) drawText(img, o.yLabel, 4, 2 + (o.title ? 12 : 0), { color: ink });
  // legend, top right inside the plot
  series
    .filter((s) => s.label)
    .forEach((s, k) => {
      const w = measureText(s.label).width,
        x = left + pw - w - 30,
        y = top + 6 + k * 11;
      line(x, y + 3, x + 18, y + 3, s.color, 2);
      drawText(img, s.label, x + 24, y, { color: ink });
    });
  return img;
}
