/**
 * The training objectives on both runtimes: for each shipped net and each phase, the
 * onnxruntime engine's loss and gradients must match tfjs autodiff (the reference) on the
 * same parameters, batch and random draws.
 */
import { loadOrt, Rng } from '@diffgan/core-models';
import { initBackend, createModel, gradientParity } from '@diffgan/core-models/train';
import type { HostBatch, LossEnv } from '@diffgan/core-models';
import type { Model, ParityReport } from '@diffgan/core-models/train';
import { srGeneratorSpec } from './models';
import { refinerSpec, refinerDiscriminatorSpec, LATENT_DIM, REFINER_T } from './refiner';
import { createTask as createSrTask } from './train-task';
import { createTask as createRefinerTask, refinerObjective } from './train-refiner-task';
import { realGanObjective } from './train-real-gan-task';
import { patchDiscriminator } from '@diffgan/core-models';

const haveOrt = loadOrt() !== null;
const d = haveOrt ? describe : describe.skip;

beforeAll(async () => {
  await initBackend();
});

const gaussian = (rng: Rng, shape: number[]) => ({ data: rng.normalArray(shape.reduce((a, b) => a * b, 1)), shape });

/** PARITY_LOG=1 prints each case's numbers */
function log(r: ParityReport): void {
  if (process.env.PARITY_LOG)
    process.stderr.write(
      `${expect.getState().currentTestName}: loss ${r.tfjsLoss} / ${r.ortLoss}, worst ${r.worstRelative.toExponential(2)} (${r.worstParam})\n`,
    );
}

function expectParity(r: ParityReport): void {
  log(r);
  expect(r.params).toBeGreaterThan(0);
  expect(Math.abs(r.ortLoss - r.tfjsLoss)).toBeLessThanOrEqual(1e-5 * Math.abs(r.tfjsLoss) + 1e-7);
  expect(r.worstRelative).toBeLessThan(1e-4);
}

d('generator L1 task: onnxruntime gradients = tfjs', () => {
  for (const scale of [2, 4] as const) {
    test(`srGeneratorSpec(${scale}), phase g`, async () => {
      const task = await createSrTask({ scale, patch: 8, trainDirs: [] }, 'worker');
      const rng = new Rng(10 + scale),
        n = 2,
        p = 8,
        hp = p * scale;
      // LR/HR in [0, 1], HR close to an upsampled LR plus detail, as in training
      const shard: HostBatch = {
        lr: { data: rng.normalArray(n * p * p * 3).map((v) => 0.5 + 0.2 * v), shape: [n, p, p, 3] },
        hr: { data: rng.normalArray(n * hp * hp * 3).map((v) => 0.5 + 0.2 * v), shape: [n, hp, hp, 3] },
      };
      const models: Record<string, Model> = { g: createModel(srGeneratorSpec(scale), 7) };
      expectParity(await gradientParity(models, task.objective!, 'g', shard, 3));
    });
  }
});

d('refiner DiffGAN task: onnxruntime gradients = tfjs', () => {
  const scale = 4;
  const shard = (): HostBatch => {
    const rng = new Rng(21),
      n = REFINER_T,
      hp = 16,
      shape = [n, hp, hp, 3];
    return {
      r0: gaussian(rng, shape),
      cond: { data: rng.normalArray(n * hp * hp * 3).map((v) => Math.tanh(v)), shape },
      t: { data: Float32Array.from({ length: n }, (_, i) => i), shape: [n] }, // every level, t = 0 (no posterior noise) included
      eps1: gaussian(rng, shape),
      eps2: gaussian(rng, shape),
      epsP: gaussian(rng, shape),
      z: gaussian(rng, [n, LATENT_DIM]),
    };
  };
  const models = (): Record<string, Model> => ({ g: createModel(refinerSpec(scale), 5), d: createModel(refinerDiscriminatorSpec(scale), 6) });
  const shipped = { l1Weight: 1, r1Gamma: 0.1 };
  const task = (cfg: { l1Weight: number; r1Gamma: number }) => createRefinerTask({ scale, patch: 4, trainDirs: [], generatorManifest: '', ...cfg }, 'worker');

  for (const [label, cfg] of [
    ['shipped (L1 1, R1 γ 0.1)', shipped],
    ['no R1, L1 0.5', { l1Weight: 0.5, r1Gamma: 0 }],
  ] as const) {
    test(`${label}, phase g`, async () => {
      const t = await task(cfg);
      expect(t.phases).toEqual(['d', 'g']);
      expectParity(await gradientParity(models(), t.objective!, 'g', shard(), 4));
    });
  }

  test('no R1, phase d', async () => {
    expectParity(await gradientParity(models(), (await task({ l1Weight: 1, r1Gamma: 0 })).objective!, 'd', shard(), 4));
  });

  // R1 is a finite difference, (D(x + σδ) − D(x)) / σ with σ = 1e-2: float32 rounding of the
  // two forward passes is amplified by 1/σ, whichever runtime computes them. On this case
  // tfjs-wasm and tfjs-cpu (one library, two kernel sets) differ by 4.2e-3 in the d gradients,
  // onnxruntime and tfjs-wasm by 3.1e-3. The same graph with σ = 1 (100x less amplification)
  // meets the strict bound; the shipped σ is held to the float32 floor.
  test('shipped R1 graph at σ = 1, phase d (strict)', async () => {
    expectParity(await gradientParity(models(), <T>(e: LossEnv<T>) => refinerObjective(e, shipped, { perPatch: true, sigma: 1 }), 'd', shard(), 4));
  });

  test('shipped (R1 γ 0.1, σ = 1e-2), phase d: within the float32 floor of the finite difference', async () => {
    const t = await task(shipped);
    const r = await gradientParity(models(), t.objective!, 'd', shard(), 4);
    log(r);
    expect(Math.abs(r.ortLoss - r.tfjsLoss)).toBeLessThanOrEqual(1e-5 * Math.abs(r.tfjsLoss));
    expect(r.worstRelative).toBeLessThan(1e-2);
  });

  test("the task's R1 is per patch of D's map (the issue's ask; summed over the map it flattened D in training)", async () => {
    const loss = async (o: (e: LossEnv<unknown>) => unknown) => (await gradientParity(models(), o as never, 'd', shard(), 4)).tfjsLoss;
    const task = await loss((await createRefinerTask({ scale, patch: 4, trainDirs: [], generatorManifest: '', ...shipped }, 'worker')).objective as never);
    expect(task).toBeCloseTo(await loss(<T>(e: LossEnv<T>) => refinerObjective(e, shipped, { perPatch: true })), 6);
    // the R1 terms alone: summed over D's map they are ~(map size) times the per-patch mean
    const noR1 = await loss(<T>(e: LossEnv<T>) => refinerObjective(e, { ...shipped, r1Gamma: 0 }));
    const summed = await loss(<T>(e: LossEnv<T>) => refinerObjective(e, shipped, { perPatch: false }));
    expect(task - noR1).toBeGreaterThan(0);
    expect((summed - noR1) / (task - noR1)).toBeGreaterThan(2);
  });
});

d('real GAN fine-tune task: onnxruntime gradients = tfjs', () => {
  const scale = 2;
  const shard = (): HostBatch => {
    const rng = new Rng(31),
      n = 2,
      p = 8,
      hp = p * scale;
    return {
      lr: { data: rng.normalArray(n * p * p * 3).map((v) => 0.5 + 0.2 * v), shape: [n, p, p, 3] },
      hr: { data: rng.normalArray(n * hp * hp * 3).map((v) => 0.5 + 0.2 * v), shape: [n, hp, hp, 3] },
    };
  };
  const models = (): Record<string, Model> => ({
    g: createModel(srGeneratorSpec(scale, 'real'), 8),
    d: createModel(patchDiscriminator({ inChannels: 3, channels: [8, 8] }, 'd'), 9),
  });
  const cfg = { l1Weight: 1, advWeight: 0.1, r1Gamma: 0.1 };
  test('phase g (L1 + adversarial)', async () => {
    expectParity(await gradientParity(models(), <T>(e: LossEnv<T>) => realGanObjective(e, cfg), 'g', shard(), 4));
  });
  test('phase d with per-patch R1 at σ = 1 (strict)', async () => {
    expectParity(await gradientParity(models(), <T>(e: LossEnv<T>) => realGanObjective(e, cfg, { perPatch: true, sigma: 1 }), 'd', shard(), 4));
  });
});
