/**
 * A first IFNet-like interpolator graph (#25, RIFE's IFNet in the graph IR; not trained yet):
 * coarse-to-fine bidirectional flow estimation in three blocks at scales 4, 2, 1. Block 0 reads
 * i0 and i1 at 1/scale; later blocks read i0 and i1 at 1/scale warped by the current flows
 * at 1/scale (pixels scaled by 1/scale), the current mask logit and that flow. (RIFE warps at
 * full size and then resizes: nearly the same input for scale² the warping cost.) A block
 * works at a further 1/4 (two stride-2 convs) and predicts a flow residual (4 channels:
 * F_t->0 and F_t->1 in pixels) and a mask-logit residual through a pixel shuffle x2 and a
 * bilinear resize by 2·scale (RIFE's ConvTranspose + interpolate). The time position t in
 * (0, 1) enters every block as a learned per-channel bias linear in t (dense(t)) after its
 * second conv: what concatenating a constant t plane to the input does away from the borders.
 * Output: m·warp(i0, F_t0) + (1 - m)·warp(i1, F_t1), m = σ(mask logit). H and W must be
 * multiples of IFNET_ALIGN (the caller pads, e.g. 640x360 -> 640x368).
 *
 * v2 (IFNET_V2_CONFIG, #25): a fourth block at scale 1 working at 1/2 (one stride-2 conv, down 1)
 * for sub-pixel motion, and Keys' bicubic warp in the final composition only (a bilinear warp
 * blurs: +0.56 dB from recomposing v1's own flows and mask bicubically); warmStartIfnet copies a
 * v1 into it so that its flow and mask start as v1's. v2 at 640x368: 8.11 GFLOPs (the new block
 * 4.66: 4x the pixels of block 2 at the same channels), 655k parameters; exported, onnxruntime-node, batch 1, random weights, 1 thread, median of 10 alternating runs on
 * the loaded 2-core machine (load average ~8, two trainings): v1 96-103 ms, v1 + bicubic final warp
 * 152-158, v1 + the fourth block 159-174, v2 213-226 ms (2 threads: v1 125, v2 263). The exported
 * bicubic warp alone (1x368x640x3) is 45 ms against bilinear's 16 (16 gathered taps, each with its
 * own index and expand over the channels, against 4).
 *
 * Cost at 640x368 (v1): 3.44 GFLOPs, 615k parameters. Exported ONNX on onnxruntime-node, batch 1,
 * random weights, on the loaded 2-core machine (load average ~4.4): 1 thread 69 ms fastest /
 * 89 ms median (11 frames/s), 2 threads 91 / 114 ms. Of ~100 ms (1 thread, profiled) the convs
 * take 24, the warp composition (GatherElements, Expand, Cast, ...) about 40, Resize 12.
 */
import { GraphBuilder, GraphSpec, Value, WarpMode } from '@diffgan/core-models';

/** The weights name of the trained IFNet (interp-ifnet's export; the interpolator loads it). */
export const IFNET_NAME = 'interp_ifnet';

/** H and W multiple: scale 4 times two stride-2 convs (every block's scale · 2^down divides it). */
export const IFNET_ALIGN = 16;

export interface IfnetBlock {
  /** the block reads the frames at 1/scale */
  scale: number;
  /** channels at the block's working resolution and residual 3x3 convs there */
  channels: number;
  convs: number;
  /** stride-2 convs at the block's input (absent: 2, it works at 1/(4·scale); 1: at 1/(2·scale)) */
  down?: 1 | 2;
}

export interface IfnetConfig {
  blocks: IfnetBlock[];
  /** the warps of the final composition y = m·warp(i0) + (1 - m)·warp(i1) (absent: bilinear); the blocks' warps stay bilinear */
  finalWarp?: WarpMode;
}

export const IFNET_CONFIG: IfnetConfig = {
  blocks: [
    { scale: 4, channels: 96, convs: 4 },
    { scale: 2, channels: 64, convs: 4 },
    { scale: 1, channels: 32, convs: 3 },
  ],
};

/** v2: v1's blocks, a fourth at scale 1 working at 1/2 of the image, and a bicubic final warp. */
export const IFNET_V2_CONFIG: IfnetConfig = {
  blocks: [...IFNET_CONFIG.blocks, { scale: 1, channels: 32, convs: 3, down: 1 }],
  finalWarp: 'bicubic',
};

/** The recipe's `net` choices. */
export const IFNET_NETS = { v1: IFNET_CONFIG, v2: IFNET_V2_CONFIG } as const;
export type IfnetNet = keyof typeof IFNET_NETS;

/**
 * One IFBlock at 1/scale of the image: x (the block's frames and mask at 1/scale) and the
 * current flow at 1/scale (in pixels of that size) -> flow and mask-logit residuals at full
 * resolution (flow in full-resolution pixels).
 */
function ifBlock(g: GraphBuilder, x: Value, flow: Value | null, t: Value, b: IfnetBlock): { flow: Value; mask: Value } {
  const lrelu = (v: Value) => g.act(v, 'leakyRelu');
  const down = b.down ?? 2;
  let h = flow ? g.concat([x, flow]) : x;
  h = lrelu(g.conv(h, b.channels / 2, { stride: 2, name: 'down0' }));
  h = lrelu(g.add(g.conv(h, b.channels, { stride: down === 2 ? 2 : 1, name: 'down1' }), g.dense(t, b.channels, { name: 'time' })));
  let r = h;
  for (let k = 0; k < b.convs; k++) r = lrelu(g.conv(r, b.channels, { name: `conv${k}` }));
  h = g.add(r, h);
  // 4 flow + 1 mask channels at 2x the working resolution, then back to full resolution
  const up = b.scale * 2 ** (down - 1);
  const shuffled = g.pixelShuffle(g.conv(h, 5 * 4, { name: 'head', gain: 0.1 }), 2),
    head = up > 1 ? g.resizeBilinear(shuffled, up) : shuffled;
  const flowPx = g.slice(head, 0, 4);
  return { flow: up > 1 ? g.scale(flowPx, up) : flowPx, mask: g.slice(head, 4, 5) };
}

/**
 * Inputs: i0, i1 (RGB images), t (a vector with one channel: the time position per sample).
 * Outputs: y (the frame at t), flow (F_t->0, F_t->1: 4 channels, pixels), mask (σ, 1 channel).
 */
export function ifnetSpec(c: IfnetConfig = IFNET_CONFIG, name = 'ifnet'): GraphSpec {
  for (const b of c.blocks)
    if (IFNET_ALIGN % (b.scale * 2 ** (b.down ?? 2)))
      throw new Error(`ifnet: a block at scale ${b.scale}, down ${b.down}: scale · 2^down must divide ${IFNET_ALIGN}`);
  const g = new GraphBuilder(name);
  const i0 = g.input('i0', 'image', 3),
    i1 = g.input('i1', 'image', 3),
    t = g.input('t', 'vector', 1);
  let flow: Value | null = null,
    mask: Value | null = null;
  const at = (v: Value, scale: number) => (scale > 1 ? g.resizeBilinear(v, 1 / scale) : v);
  /** i0 and i1 at 1/scale warped by the flows at 1/scale: 1/scale² of the pixels of warping at full size, then resizing */
  const warped = (f: Value, scale: number, mode: WarpMode = 'bilinear') => {
    const frames = [i0, i1].map((i) => at(i, scale));
    const fs = scale > 1 ? g.scale(at(f, scale), 1 / scale) : f;
    return { frames: [g.warp(frames[0], g.slice(fs, 0, 2), { mode }), g.warp(frames[1], g.slice(fs, 2, 4), { mode })], flow: fs };
  };
  c.blocks.forEach((b, k) =>
    g.scope(`block${k}`, () => {
      let d: { flow: Value; mask: Value };
      if (flow && mask) {
        const w = warped(flow, b.scale);
        d = ifBlock(g, g.concat([...w.frames, at(mask, b.scale)]), w.flow, t, b);
      } else d = ifBlock(g, g.concat([at(i0, b.scale), at(i1, b.scale)]), null, t, b);
      flow = flow ? g.add(flow, d.flow) : d.flow;
      mask = mask ? g.add(mask, d.mask) : d.mask;
    }),
  );
  const [w0, w1] = warped(flow!, 1, c.finalWarp).frames;
  const m = g.act(mask!, 'sigmoid');
  // y = w1 + m·(w0 - w1), the 1-channel mask spread over RGB
  g.output('y', g.add(w1, g.mul(g.concat([m, m, m]), g.add(w0, g.scale(w1, -1)))));
  g.output('flow', flow!);
  g.output('mask', m);
  return g.build();
}
