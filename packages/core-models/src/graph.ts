/**
 * The model description: a small, JSON-serialisable graph of image-network ops.
 * One description drives three things: tfjs execution (training, fallback inference),
 * ONNX export (fast inference) and the weights manifest (a model rebuilds from it).
 *
 * Tensors are NHWC images, [N, C] vectors, or [N] scalars; ops speak of channels,
 * never raw axes, so each runtime maps them to its own layout.
 */
import { resizeFactor } from './ops/resize-bilinear';

export type Activation = 'relu' | 'leakyRelu' | 'silu' | 'sigmoid' | 'tanh';
export type ValueKind = 'image' | 'vector' | 'scalar';
/**
 * How g.warp samples between pixels: bilinear (2x2 taps) or Keys' cubic convolution with a = -0.75
 * (4x4 taps, PyTorch grid_sample 'bicubic', cv2 INTER_CUBIC). Both clamp the source coordinate to
 * [0, size - 1] first; bicubic's outer taps (floor - 1, floor + 2) are clamped to the border too.
 */
export type WarpMode = 'bilinear' | 'bicubic';

export type GraphNode =
  | { op: 'input'; out: number; name: string; kind: ValueKind; channels: number }
  /** k x kw kernel (kw absent = square); kw = 1 makes a 1-D conv along the height (time). */
  | { op: 'conv'; out: number; x: number; param: string; inCh: number; outCh: number; k: number; kw?: number; stride: number; bias: boolean }
  | { op: 'dense'; out: number; x: number; param: string; inCh: number; outCh: number }
  | { op: 'act'; out: number; x: number; fn: Activation; alpha?: number }
  | { op: 'add'; out: number; a: number; b: number }
  | { op: 'mul'; out: number; a: number; b: number }
  | { op: 'scale'; out: number; x: number; s: number }
  | { op: 'concat'; out: number; xs: number[] }
  | { op: 'pixelShuffle'; out: number; x: number; r: number }
  | { op: 'avgPool'; out: number; x: number; k: number }
  | { op: 'upNearest'; out: number; x: number; r: number }
  | { op: 'groupNorm'; out: number; x: number; param: string; groups: number; eps: number }
  | { op: 'timeEmbed'; out: number; x: number; dim: number; maxPeriod: number }
  | { op: 'vectorAsImage'; out: number; x: number }
  /** backward warp: out(x, y) = image(x + flow_x, y + flow_y), clamped to the border (RIFE's warp); mode absent = bilinear */
  | { op: 'warp'; out: number; image: number; flow: number; mode?: 'bicubic' }
  /** bilinear resize by an integer factor up or 1/k (k even) down, as PyTorch's interpolate(align_corners False) */
  | { op: 'resizeBilinear'; out: number; x: number; factor: number }
  /** channels [from, to) of an image or a vector */
  | { op: 'slice'; out: number; x: number; from: number; to: number };

export interface ParamSpec {
  name: string;
  shape: number[];
  init: 'he' | 'zeros' | 'ones' | 'glorot';
  gain?: number;
}

export interface GraphSpec {
  format: 'diffgan-graph/1';
  name: string;
  values: { kind: ValueKind; channels: number }[];
  nodes: GraphNode[];
  inputs: { name: string; value: number }[];
  outputs: { name: string; value: number }[];
  params: ParamSpec[];
}

/** A handle to a value while building; `channels` lets ops infer their input width. */
export interface Value {
  id: number;
  kind: ValueKind;
  channels: number;
}

export class GraphBuilder {
  private spec: GraphSpec;
  private counters = new Map<string, number>();
  private prefixes: string[] = [];

  constructor(name: string) {
    this.spec = { format: 'diffgan-graph/1', name, values: [], nodes: [], inputs: [], outputs: [], params: [] };
  }

  /** Names params of the layers created inside `fn` as `prefix.<layer>`. */
  scope<T>(prefix: string, fn: () => T): T {
    this.prefixes.push(prefix);
    try {
      return fn();
    } finally {
      this.prefixes.pop();
    }
  }

  private paramName(kind: string, name?: string): string {
    const base = name ?? `${kind}${this.bump(this.prefixes.join('.') + '/' + kind)}`;
    const full = [...this.prefixes, base].join('.');
    if (this.spec.params.some((p) => p.name === full || p.name.startsWith(full + '.'))) throw new Error(`duplicate layer name ${full}`);
    return full;
  }

  private bump(key: string): number {
    const n = this.counters.get(key) ?? 0;
    this.counters.set(key, n + 1);
    return n;
  }

  private value(kind: ValueKind, channels: number): Value {
    this.spec.values.push({ kind, channels });
    return { id: this.spec.values.length - 1, kind, channels };
  }

  private expect(v: Value, kind: ValueKind, op: string): void {
    if (v.kind !== kind) throw new Error(`${op} needs an ${kind}, got a ${v.kind}`);
  }

  input(name: string, kind: ValueKind, channels = 1): Value {
    const v = this.value(kind, kind === 'scalar' ? 1 : channels);
    this.spec.nodes.push({ op: 'input', out: v.id, name, kind, channels: v.channels });
    this.spec.inputs.push({ name, value: v.id });
    return v;
  }

  output(name: string, v: Value): void {
    this.spec.outputs.push({ name, value: v.id });
  }

  /** `kw` sets a kernel width other than `k` (e.g. kw 1 for sequences stored as [N, T, 1, C]: a width-1 image with a square kernel would spend k x the FLOPs on padding). */
  conv(x: Value, outCh: number, o: { k?: number; kw?: number; stride?: number; bias?: boolean; name?: string; gain?: number } = {}): Value {
    this.expect(x, 'image', 'conv');
    const k = o.k ?? 3,
      kw = o.kw ?? k,
      stride = o.stride ?? 1,
      bias = o.bias ?? true;
    const param = this.paramName('conv', o.name);
    this.spec.params.push({ name: `${param}.w`, shape: [k, kw, x.channels, outCh], init: 'he', gain: o.gain ?? 1 });
    if (bias) this.spec.params.push({ name: `${param}.b`, shape: [outCh], init: 'zeros' });
    const v = this.value('image', outCh);
    this.spec.nodes.push({ op: 'conv', out: v.id, x: x.id, param, inCh: x.channels, outCh, k, ...(kw !== k ? { kw } : {}), stride, bias });
    return v;
  }

  dense(x: Value, outCh: number, o: { name?: string; gain?: number } = {}): Value {
    this.expect(x, 'vector', 'dense');
    const param = this.paramName('dense', o.name);
    this.spec.params.push({ name: `${param}.w`, shape: [x.channels, outCh], init: 'he', gain: o.gain ?? 1 });
    this.spec.params.push({ name: `${param}.b`, shape: [outCh], init: 'zeros' });
    const v = this.value('vector', outCh);
    this.spec.nodes.push({ op: 'dense', out: v.id, x: x.id, param, inCh: x.channels, outCh });
    return v;
  }

  act(x: Value, fn: Activation, alpha = 0.2): Value {
    const v = this.value(x.kind, x.channels);
    this.spec.nodes.push(fn === 'leakyRelu' ? { op: 'act', out: v.id, x: x.id, fn, alpha } : { op: 'act', out: v.id, x: x.id, fn });
    return v;
  }

  /** Elementwise sum; an image plus a vector adds the vector to every pixel. */
  add(a: Value, b: Value): Value {
    return this.binary('add', a, b);
  }
  mul(a: Value, b: Value): Value {
    return this.binary('mul', a, b);
  }

  private binary(op: 'add' | 'mul', a: Value, b: Value): Value {
    if (a.kind === 'vector' && b.kind === 'image') [a, b] = [b, a];
    if (a.channels !== b.channels) throw new Error(`${op}: channel mismatch ${a.channels} vs ${b.channels}`);
    if (a.kind !== b.kind && !(a.kind === 'image' && b.kind === 'vector')) throw new Error(`${op}: cannot combine ${a.kind} and ${b.kind}`);
    const v = this.value(a.kind, a.channels);
    this.spec.nodes.push({ op, out: v.id, a: a.id, b: b.id });
    return v;
  }

  scale(x: Value, s: number): Value {
    const v = this.value(x.kind, x.channels);
    this.spec.nodes.push({ op: 'scale', out: v.id, x: x.id, s });
    return v;
  }

  concat(xs: Value[]): Value {
    const kind = xs[0].kind;
    if (xs.some((x) => x.kind !== kind) || kind === 'scalar') throw new Error('concat needs values of one kind, images or vectors');
    const v = this.value(
      kind,
      xs.reduce((s, x) => s + x.channels, 0),
    );
    this.spec.nodes.push({ op: 'concat', out: v.id, xs: xs.map((x) => x.id) });
    return v;
  }

  pixelShuffle(x: Value, r: number): Value {
    this.expect(x, 'image', 'pixelShuffle');
    if (x.channels % (r * r)) throw new Error(`pixelShuffle x${r} needs channels divisible by ${r * r}`);
    const v = this.value('image', x.channels / (r * r));
    this.spec.nodes.push({ op: 'pixelShuffle', out: v.id, x: x.id, r });
    return v;
  }

  avgPool(x: Value, k = 2): Value {
    this.expect(x, 'image', 'avgPool');
    const v = this.value('image', x.channels);
    this.spec.nodes.push({ op: 'avgPool', out: v.id, x: x.id, k });
    return v;
  }

  upNearest(x: Value, r = 2): Value {
    this.expect(x, 'image', 'upNearest');
    const v = this.value('image', x.channels);
    this.spec.nodes.push({ op: 'upNearest', out: v.id, x: x.id, r });
    return v;
  }

  groupNorm(x: Value, groups: number, o: { name?: string; eps?: number } = {}): Value {
    this.expect(x, 'image', 'groupNorm');
    if (x.channels % groups) throw new Error(`groupNorm: ${x.channels} channels not divisible into ${groups} groups`);
    const param = this.paramName('norm', o.name);
    this.spec.params.push({ name: `${param}.gamma`, shape: [x.channels], init: 'ones' });
    this.spec.params.push({ name: `${param}.beta`, shape: [x.channels], init: 'zeros' });
    const v = this.value('image', x.channels);
    this.spec.nodes.push({ op: 'groupNorm', out: v.id, x: x.id, param, groups, eps: o.eps ?? 1e-5 });
    return v;
  }

  /** A [N, C] vector as a 1x1 image with C channels (then e.g. pixelShuffle it to bxb). */
  vectorAsImage(x: Value): Value {
    this.expect(x, 'vector', 'vectorAsImage');
    const v = this.value('image', x.channels);
    this.spec.nodes.push({ op: 'vectorAsImage', out: v.id, x: x.id });
    return v;
  }

  /** Sinusoidal embedding [cos | sin] of a scalar per sample (e.g. a diffusion time). */
  timeEmbed(t: Value, dim: number, maxPeriod = 10000): Value {
    this.expect(t, 'scalar', 'timeEmbed');
    if (dim % 2) throw new Error('timeEmbed dim must be even');
    const v = this.value('vector', dim);
    this.spec.nodes.push({ op: 'timeEmbed', out: v.id, x: t.id, dim, maxPeriod });
    return v;
  }

  /**
   * Backward warping (RIFE/IFNet): out(x, y) = image(x + flow_x(x, y), y + flow_y(x, y)), bilinear,
   * source coordinates clamped to the image (grid_sample padding 'border', align_corners true).
   * `flow` is in pixels, channel 0 = x, 1 = y, the image's size; differentiable in both.
   * `mode` 'bicubic': Keys' cubic convolution instead (WarpMode); a bilinear node records no mode.
   */
  warp(image: Value, flow: Value, opts: { mode?: WarpMode } = {}): Value {
    this.expect(image, 'image', 'warp');
    this.expect(flow, 'image', 'warp');
    if (flow.channels !== 2) throw new Error(`warp: the flow needs 2 channels (x, y), got ${flow.channels}`);
    const v = this.value('image', image.channels);
    this.spec.nodes.push({ op: 'warp', out: v.id, image: image.id, flow: flow.id, ...(opts.mode === 'bicubic' ? { mode: 'bicubic' as const } : {}) });
    return v;
  }

  /**
   * Bilinear resize as PyTorch's F.interpolate(x, scale_factor, mode 'bilinear', align_corners
   * False), which RIFE resizes flows and masks with: `factor` an integer >= 2 (up) or 1/k for an
   * even k (down: 1/2 is a 2x2 average, 1/4 averages the middle 2x2 of each 4x4 block; sizes
   * floor(h/k)). The source coordinate is clamped to the image at the borders. Differentiable.
   */
  resizeBilinear(x: Value, factor: number): Value {
    this.expect(x, 'image', 'resizeBilinear');
    resizeFactor(factor);
    const v = this.value('image', x.channels);
    this.spec.nodes.push({ op: 'resizeBilinear', out: v.id, x: x.id, factor });
    return v;
  }

  /** Channels [from, to) of an image or a vector, e.g. a head's flow and mask out of one conv. */
  slice(x: Value, from: number, to: number): Value {
    if (x.kind === 'scalar') throw new Error('slice needs an image or a vector');
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > x.channels || from >= to)
      throw new Error(`slice: channels [${from}, ${to}) are not a non-empty range of 0..${x.channels}`);
    const v = this.value(x.kind, to - from);
    this.spec.nodes.push({ op: 'slice', out: v.id, x: x.id, from, to });
    return v;
  }

  build(): GraphSpec {
    if (!this.spec.outputs.length) throw new Error(`graph ${this.spec.name} has no outputs`);
    return JSON.parse(JSON.stringify(this.spec)) as GraphSpec;
  }
}
