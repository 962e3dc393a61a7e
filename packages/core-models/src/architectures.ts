/**
 * Reference networks built from the blocks. Each returns a description; createModel()
 * makes the weights. Models never know how they are trained or sampled.
 */
import { GraphBuilder, GraphSpec, Value } from './graph';
import { convAct, downsample, residualBlock, timeEmbeddingMlp, upsample } from './blocks';

export interface SrNetConfig {
  scale: number;
  channels: number;
  blocks: number;
  inChannels?: number;
}

/**
 * Super-resolution generator: head conv, residual body (EDSR-style, no norms), and an
 * ESPCN-style tail: one conv straight to 3·s² channels at LR resolution, pixel-shuffled.
 * (EDSR's tail convolves at the upscaled resolutions, 5-20x the FLOPs of this one.)
 * The net predicts a residual over a nearest upsample of the input. RGB in [0, 1].
 */
export function srNet(c: SrNetConfig, name = `srnet_x${c.scale}`): GraphSpec {
  const g = new GraphBuilder(name);
  const lr = g.input('lr', 'image', c.inChannels ?? 3);
  const head = g.conv(lr, c.channels, { name: 'head' });
  let h = head;
  for (let i = 0; i < c.blocks; i++) h = residualBlock(g, h, { name: `body${i}` });
  h = g.add(g.conv(h, c.channels, { name: 'bodyEnd' }), head);
  const res = g.pixelShuffle(g.conv(h, 3 * c.scale * c.scale, { name: 'tail', gain: 0.1 }), c.scale);
  const base = g.upNearest(c.inChannels && c.inChannels !== 3 ? g.conv(lr, 3, { k: 1, name: 'baseProj' }) : lr, c.scale);
  g.output('sr', g.add(res, base));
  return g.build();
}

/** The 8-conv 48-channel x4 upscaler used for runtime benchmarks (runtime.md). */
export function benchUpscaler(): GraphSpec {
  const g = new GraphBuilder('bench_x4');
  let h = g.input('lr', 'image', 3);
  h = convAct(g, h, 48);
  for (let i = 0; i < 6; i++) h = convAct(g, h, 48);
  h = g.conv(h, 48);
  g.output('sr', g.pixelShuffle(h, 4)); // 48 = 4*4*3
  return g.build();
}

export interface UNetConfig {
  inChannels: number;
  outChannels: number;
  channels: number[];
  blocksPerLevel: number;
  embDim: number;
  groups?: number;
  latentDim?: number;
  condChannels?: number;
}

/**
 * A small time-conditioned UNet (DDPM family). Optional inputs: `z` (a latent vector, for
 * DiffGAN generators) and `cond` (an image the output is conditioned on, e.g. an LR
 * upsample). Down: avgPool+conv, up: nearest+conv, both with clean wasm gradients.
 */
export function unet(c: UNetConfig, name = 'unet'): GraphSpec {
  const g = new GraphBuilder(name);
  const x = g.input('x', 'image', c.inChannels);
  const t = g.input('t', 'scalar');
  let emb = timeEmbeddingMlp(g, t, c.embDim);
  if (c.latentDim) {
    const z = g.input('z', 'vector', c.latentDim);
    emb = g.add(
      emb,
      g.scope('zemb', () => g.dense(g.act(g.dense(z, emb.channels), 'silu'), emb.channels)),
    );
  }
  emb = g.act(emb, 'silu');
  let h: Value = x;
  if (c.condChannels) h = g.concat([x, g.input('cond', 'image', c.condChannels)]);
  h = g.conv(h, c.channels[0], { name: 'head' });
  const skips: Value[] = [];
  c.channels.forEach((ch, lvl) =>
    g.scope(`down${lvl}`, () => {
      if (h.channels !== ch) h = g.conv(h, ch, { k: 1, name: 'proj' });
      for (let b = 0; b < c.blocksPerLevel; b++) h = residualBlock(g, h, { emb, act: 'silu', norm: c.groups, gain: 1, name: `b${b}` });
      skips.push(h);
      if (lvl < c.channels.length - 1) h = downsample(g, h);
    }),
  );
  h = residualBlock(g, h, { emb, act: 'silu', norm: c.groups, gain: 1, name: 'mid' });
  for (let lvl = c.channels.length - 1; lvl >= 0; lvl--)
    g.scope(`up${lvl}`, () => {
      if (lvl < c.channels.length - 1) h = upsample(g, h, c.channels[lvl]);
      h = g.conv(g.concat([h, skips[lvl]]), c.channels[lvl], { k: 1, name: 'merge' });
      for (let b = 0; b < c.blocksPerLevel; b++) h = residualBlock(g, h, { emb, act: 'silu', norm: c.groups, gain: 1, name: `b${b}` });
    });
  if (c.groups) h = g.groupNorm(h, c.groups, { name: 'outNorm' });
  g.output('out', g.conv(g.act(h, 'silu'), c.outChannels, { name: 'out', gain: 0.1 }));
  return g.build();
}

/** `extraConvs`: conv+LeakyReLU layers added at the end of every level (default 0: two convs per level). */
export interface DiscriminatorConfig {
  inChannels: number;
  channels: number[];
  embDim?: number;
  extraConvs?: number;
}

/**
 * Patch discriminator (conv, avgPool down): returns a score map. With embDim, it is time
 * conditioned (input `t`), as the DiffGAN discriminator D(x_{t-1}, x_t, t).
 */
export function patchDiscriminator(c: DiscriminatorConfig, name = 'disc'): GraphSpec {
  const g = new GraphBuilder(name);
  let h = g.input('x', 'image', c.inChannels);
  const emb = c.embDim ? g.act(timeEmbeddingMlp(g, g.input('t', 'scalar'), c.embDim), 'leakyRelu') : undefined;
  c.channels.forEach((ch, i) =>
    g.scope(`d${i}`, () => {
      h = g.act(g.conv(h, ch), 'leakyRelu');
      if (emb) h = g.add(h, g.dense(emb, ch, { name: 'emb' }));
      h = g.act(g.conv(h, ch), 'leakyRelu');
      for (let k = 0; k < (c.extraConvs ?? 0); k++) h = g.act(g.conv(h, ch), 'leakyRelu');
      if (i < c.channels.length - 1) h = g.avgPool(h, 2);
    }),
  );
  g.output('score', g.conv(h, 1, { k: 3, name: 'score' }));
  return g.build();
}

/** DCGAN-style generator: z → dense → 7x7 → (nearest+conv) x2 → 28x28 (MNIST-sized by default). */
export function dcganGenerator(c: { latentDim: number; channels: number; outChannels: number; base?: number }, name = 'dcgan_g'): GraphSpec {
  const g = new GraphBuilder(name);
  const z = g.input('z', 'vector', c.latentDim);
  const base = c.base ?? 7;
  // dense → a 1x1 image of C·b² channels → pixel shuffle to bxb: only ops with clean gradients
  const d = g.act(g.dense(z, c.channels * base * base), 'leakyRelu');
  g.output('img', g.act(generatorTail(g, d, c.channels, c.outChannels, base), 'tanh'));
  return g.build();
}

function generatorTail(g: GraphBuilder, vec: Value, ch: number, outCh: number, base: number): Value {
  let h = g.pixelShuffle(g.vectorAsImage(vec), base);
  h = g.act(g.conv(h, ch), 'leakyRelu');
  h = g.act(g.conv(g.upNearest(h, 2), ch), 'leakyRelu');
  h = g.act(g.conv(g.upNearest(h, 2), Math.max(ch / 2, 8)), 'leakyRelu');
  return g.conv(h, outCh, { name: 'toImg' });
}
