/** Reusable blocks, expressed with the graph builder so they train on tfjs and export to ONNX. */
import { Activation, GraphBuilder, Value } from './graph';

export function convAct(g: GraphBuilder, x: Value, ch: number, act: Activation = 'leakyRelu', k = 3): Value {
  return g.act(g.conv(x, ch, { k }), act);
}

/**
 * conv-act-conv plus identity (EDSR-style, no norm). The second conv starts small
 * (gain) so a deep stack begins near the identity and trains stably without norms.
 * An optional vector `emb` (time/noise embedding) is projected and added after the first conv.
 */
export function residualBlock(g: GraphBuilder, x: Value, o: { act?: Activation; emb?: Value; norm?: number; gain?: number; name?: string } = {}): Value {
  const act = o.act ?? 'leakyRelu';
  return g.scope(o.name ?? `res${resCount(g)}`, () => {
    let h = o.norm ? g.groupNorm(x, o.norm) : x;
    h = g.conv(o.norm ? g.act(h, act) : h, x.channels);
    if (o.emb) h = g.add(h, g.dense(o.emb, x.channels, { name: 'emb' }));
    h = o.norm ? g.groupNorm(h, o.norm) : h;
    h = g.conv(g.act(h, act), x.channels, { gain: o.gain ?? 0.1 });
    return g.add(x, h);
  });
}

const resCounters = new WeakMap<GraphBuilder, number>();
function resCount(g: GraphBuilder): number {
  const n = resCounters.get(g) ?? 0;
  resCounters.set(g, n + 1);
  return n;
}

/** x2 steps of conv → pixel shuffle (ESPCN); scale 4 = two x2 steps, 3 = one x3 step. */
export function pixelShuffleUpsampler(g: GraphBuilder, x: Value, scale: number, act: Activation = 'leakyRelu'): Value {
  const steps = scale === 3 ? [3] : Array.from({ length: Math.log2(scale) }, () => 2);
  if (steps.reduce((a, b) => a * b, 1) !== scale) throw new Error(`unsupported upscale factor ${scale}`);
  let h = x;
  steps.forEach((r, i) =>
    g.scope(`up${i}`, () => {
      h = g.act(g.pixelShuffle(g.conv(h, x.channels * r * r), r), act);
    }),
  );
  return h;
}

/** Halves the resolution without a strided conv (whose gradients were the trouble on wasm). */
export function downsample(g: GraphBuilder, x: Value, ch?: number): Value {
  return g.conv(g.avgPool(x, 2), ch ?? x.channels);
}

export function upsample(g: GraphBuilder, x: Value, ch?: number): Value {
  return g.conv(g.upNearest(x, 2), ch ?? x.channels);
}

/** Sinusoidal embedding followed by a 2-layer MLP, as in DDPM. */
export function timeEmbeddingMlp(g: GraphBuilder, t: Value, dim: number, hidden = dim * 2): Value {
  return g.scope('temb', () => g.dense(g.act(g.dense(g.timeEmbed(t, dim), hidden), 'silu'), hidden));
}
