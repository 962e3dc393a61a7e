/**
 * The IFNet-like interpolator's training task (#25, one phase, g): the main thread draws
 * triplets (i0, target, i1, t) from every training clip (triplets.ts: crops, flips, time
 * reversal, spans 2..6 frames, so t in (0, 1) takes the values k/span; a synthetic pan on half
 * of them); the loss, on either runtime, is the L1 of the network's frame y against the target
 * plus `lapWeight` times RIFE's Laplacian-pyramid L1 (the L1 of each band of y − target: fine
 * detail, e.g. edges half a pixel off, counts as much as the coarse bands) plus `warpWeight`
 * times the L1 of each input frame warped alone by its flow, at the blocks' scales.
 *
 * Why the last two aids: trained on L1 + Laplacian L1 alone (1,000 steps), the net settled on
 * the blend of the unwarped frames (mean |flow| 0.03 px; L1 on training triplets 0.0166, the
 * blend 0.0167): most training windows barely move, and a full-size warp's flow gradient is
 * texture noise for motions of more than a pixel or two.
 */
import { Rng, HostBatch, LossEnv, Ops } from '@diffgan/core-models';
import type { ParallelTask } from '@diffgan/core-models/train';
import { trainingSources, loadTrainingClips, TripletSampler } from './triplets';
import { IFNET_NETS, IfnetNet } from './ifnet';

export interface IfnetTaskConfig {
  videoDir: string;
  patch: number;
  /** the plain term on the frame: mean |y − target| (l1, default) or mean (y − target)² (l2: what PSNR measures) */
  pixelLoss?: 'l1' | 'l2';
  lapWeight: number;
  /** weight of the L1 of each frame warped alone (warp(i0, F_t0), warp(i1, F_t1)) against the target */
  warpWeight: number;
  /** bands of the Laplacian pyramid (the patch must halve that many times) */
  lapLevels: number;
  /** TripletSampler's synthetic pan, pixels per axis from i0 to i1 (0: none) */
  shift: number;
  /** the net (its blocks' scales are the warp term's; absent: v1) */
  net?: IfnetNet;
}

/**
 * Σ over `levels` bands of mean |band|, the bands of x's Laplacian pyramid: G_k − up(G_{k+1})
 * with G_0 = x and G_{k+1} = G_k averaged over 2x2 windows, up = bilinear x2 (RIFE's LapLoss
 * with a box filter for its 5x5 Gaussian). The last low-pass G_levels is not a band.
 */
export function laplacianL1<T>(o: Ops<T>, x: T, levels: number): T {
  let g = x,
    sum: T | null = null;
  for (let k = 0; k < levels; k++) {
    const down = o.avgPool(g, 2);
    const band = o.mean(o.abs(o.sub(g, o.resizeBilinear(down, 2))));
    sum = sum === null ? band : o.add(sum, band);
    g = down;
  }
  if (sum === null) throw new RangeError('laplacianL1: levels must be at least 1');
  return sum;
}

/** The loss of group g on a shard (i0, i1, t, target), for either training runtime. */
export function ifnetObjective(config: Pick<IfnetTaskConfig, 'pixelLoss' | 'lapWeight' | 'lapLevels' | 'warpWeight' | 'net'>) {
  return <T>(e: LossEnv<T>): T => {
    if (e.phase !== 'g') throw new Error(`interp-ifnet task: unknown phase '${e.phase}'`);
    const o = e.ops;
    const i0 = e.input('i0'),
      i1 = e.input('i1'),
      target = e.input('target');
    const { y, flow } = e.net('g', { i0, i1, t: e.input('t') });
    const diff = o.sub(y, target);
    let loss = config.pixelLoss === 'l2' ? o.mean(o.mul(diff, diff)) : o.mean(o.abs(diff));
    if (config.lapWeight > 0) loss = o.add(loss, o.mul(laplacianL1(o, diff, config.lapLevels), config.lapWeight));
    if (config.warpWeight > 0) {
      // each frame warped alone must already look like the target, at the blocks' scales: the
      // blend of the unwarped frames (zero flows, mask 1 - t) is a local minimum of the fused
      // loss, and at full size a warp's flow gradient is noise for motions of many pixels
      const scales = [...new Set(IFNET_NETS[config.net ?? 'v1'].blocks.map((b) => b.scale))];
      for (const s of scales) {
        // box-filtered: a bilinear 1/s resize samples s² of the pixels and keeps their texture (aliasing)
        const at = (x: T) => (s > 1 ? o.avgPool(x, s) : x);
        const f = s > 1 ? o.mul(at(flow), 1 / s) : flow;
        const err = (i: T, c: number) => o.mean(o.abs(o.sub(o.warp(at(i), o.slice(f, [0, 0, 0, c], [-1, -1, -1, 2])), at(target))));
        loss = o.add(loss, o.mul(o.add(err(i0, 0), err(i1, 2)), config.warpWeight / (2 * scales.length)));
      }
    }
    return loss;
  };
}

/** A TripletSampler batch as the task's host batch: images [n, P, P, 3], t [n, 1]. */
export function tripletHostBatch(sampler: TripletSampler, rng: Rng, n: number): HostBatch {
  const b = sampler.sample(n, rng),
    P = sampler.patch,
    img = [n, P, P, 3];
  return { i0: { data: b.i0, shape: img }, i1: { data: b.i1, shape: img }, target: { data: b.target, shape: img }, t: { data: b.t, shape: [n, 1] } };
}

export async function createTask(config: IfnetTaskConfig, role: 'main' | 'worker'): Promise<ParallelTask> {
  // the clips (~3.1 GB) live on the main thread only: workers get shards
  const sampler = role === 'main' ? new TripletSampler(await loadTrainingClips(trainingSources(config.videoDir)), config.patch, { shift: config.shift }) : null;
  return {
    phases: ['g'],
    sampleBatch: (rng: Rng, n: number): HostBatch => tripletHostBatch(sampler!, rng, n),
    objective: ifnetObjective(config),
  };
}
