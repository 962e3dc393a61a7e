/**
 * How well a trained discriminator still tells real from generated inputs, per condition
 * (per diffusion step for DiffGAN). A discriminator at chance gives its generator no signal,
 * which is what this measures: `npm run bench -w @diffgan/seed-table -- d-accuracy --model diffgan4`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DiffganError, Rng, writeFileAtomic, mean, defineCommand } from '@diffgan/core-models';
import { tf, Model, Trainer, disposeModel, initBackend } from '@diffgan/core-models/train';
import { seedTableData } from '@diffgan/eval';
import { markdownTable } from '@diffgan/core-models';
import { Family, IMG, PIXELS, pickImages } from './common';
import { familyByName } from './families';

export interface DiscriminatorAccuracy {
  condition: string;
  /** P(a real input scores above a generated one), ties half: separability, whatever D's offset */
  auc: number;
  /** share of real inputs scored above the threshold, and of generated ones below it (ties count half) */
  realAccuracy: number;
  fakeAccuracy: number;
  accuracy: number;
  meanReal: number;
  meanFake: number;
}

/** Mann-Whitney AUC: the share of (a, b) pairs with a > b, ties counted half. */
export function rankAuc(a: number[], b: number[]): number {
  let wins = 0;
  for (const x of a) for (const y of b) wins += x > y ? 1 : x === y ? 0.5 : 0;
  return wins / (a.length * b.length);
}

/** Runs the family's discriminator probe on `real` (n images, NHWC in [-1, 1]), in chunks of `batch` (the wasm heap is small). */
export function discriminatorAccuracy(fam: Family, models: Record<string, Model>, real: Float32Array, rng: Rng, batch = 64): DiscriminatorAccuracy[] {
  const info = fam.discriminator;
  if (!info) throw new DiffganError(`${fam.id} has no discriminator`);
  const n = real.length / PIXELS,
    th = info.threshold;
  const scores = new Map<string, { real: number[]; fake: number[] }>();
  for (let k = 0; k < n; k += batch) {
    const m = Math.min(batch, n - k);
    tf.tidy(() => {
      for (const c of info.probe(models, tf.tensor4d(real.subarray(k * PIXELS, (k + m) * PIXELS), [m, IMG, IMG, 1]), rng)) {
        const e = scores.get(c.condition) ?? { real: [], fake: [] };
        e.real.push(...c.real.dataSync());
        e.fake.push(...c.fake.dataSync());
        scores.set(c.condition, e);
      }
    });
  }
  const side = (v: number[], above: boolean) => v.reduce((a, x) => a + (x === th ? 0.5 : x > th === above ? 1 : 0), 0) / v.length;
  return [...scores].map(([condition, { real: r, fake: f }]) => {
    const realAccuracy = side(r, true),
      fakeAccuracy = side(f, false);
    return { condition, auc: rankAuc(r, f), realAccuracy, fakeAccuracy, accuracy: (realAccuracy + fakeAccuracy) / 2, meanReal: mean(r), meanFake: mean(f) };
  });
}

/** The models of a seed-table checkpoint (raw weights: the D has no EMA), read from a copy so the run is not touched. */
export function checkpointModels(fam: Family, seed: number, dir: string): { models: Record<string, Model>; step: number; dispose(): void } {
  const ckpt = path.join(dir, 'checkpoint.dgw');
  if (!fs.existsSync(ckpt)) throw new DiffganError(`${ckpt}: no checkpoint (finished seeds keep only their sampling nets)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'd-accuracy-'));
  try {
    fs.copyFileSync(ckpt, path.join(tmp, 'checkpoint.dgw'));
    const tr = new Trainer({ dir: tmp, steps: 0, seed, groups: fam.groups(seed), progress: false });
    const models = Object.fromEntries(Object.entries(tr.groups).map(([k, g]) => [k, g.model]));
    return {
      models,
      step: tr.step,
      dispose: () => {
        tr.dispose();
        for (const m of Object.values(models)) disposeModel(m);
      },
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The seed table's discriminator check of one seed after training: cached in
 * <dir>/d-accuracy.json for the trained step count; undefined when the checkpoint is gone
 * (finished seeds keep only their sampling nets) and nothing is cached.
 */
export function seedDiscriminatorCheck(
  fam: Family,
  seed: number,
  dir: string,
  steps: number,
  train: Float32Array,
  n = 256,
): DiscriminatorAccuracy[] | undefined {
  const file = path.join(dir, 'd-accuracy.json');
  if (fs.existsSync(file)) {
    const c = JSON.parse(fs.readFileSync(file, 'utf8')) as { trainedSteps: number; n: number; rows: DiscriminatorAccuracy[] };
    if (c.trainedSteps === steps && c.n === n) return c.rows;
  }
  if (!fs.existsSync(path.join(dir, 'checkpoint.dgw'))) return undefined;
  const ck = checkpointModels(fam, seed, dir);
  try {
    if (ck.step !== steps) return undefined;
    const rng = new Rng(77 + seed);
    const rows = discriminatorAccuracy(fam, ck.models, pickImages(train, n, rng), rng);
    writeFileAtomic(file, JSON.stringify({ trainedSteps: steps, n, rows }, null, 1), { makeDirs: true });
    return rows;
  } finally {
    ck.dispose();
  }
}

export const dAccuracyCommand = defineCommand({
  name: 'npm run bench -w @diffgan/seed-table -- d-accuracy',
  usage: '--model M [options]',
  summary: "A seed-table discriminator's accuracy, real vs generated.",
  description: `Scores real train-split images and generated ones with the discriminator of a seed-table
checkpoint and prints, per condition (per diffusion step for DiffGAN), how well it separates
them: AUC (0.5 = chance, whatever D's offset) and accuracy at the loss's threshold.`,
  options: {
    model: {
      type: 'string',
      required: true,
      placeholder: 'M',
      help: 'gan, diffgan2, diffgan4 (= diffgan) or pipeline',
      validate: (name: string) => familyByName(name)?.discriminator !== undefined || 'one of gan, diffgan2, diffgan4, pipeline',
    },
    seed: { type: 'integer', min: 0, default: 0, placeholder: 'K', help: "the seed's run" },
    run: { type: 'string', default: 'runs/seed-table', placeholder: 'DIR', help: "the seed table's run directory" },
    n: { type: 'integer', min: 1, default: 256, help: 'images per side' },
  },
});

export async function dAccuracyMain(argv: string[]): Promise<void> {
  const a = dAccuracyCommand.parse(argv);
  if (a.help) {
    process.stdout.write(dAccuracyCommand.help());
    return;
  }
  const fam = familyByName(a.model)!,
    { seed, n } = a;
  const dir = path.join(a.run, fam.id, `seed${seed}`);
  await initBackend();
  const { models, step } = checkpointModels(fam, seed, dir);
  const rng = new Rng(77 + seed);
  const rows = discriminatorAccuracy(fam, models, pickImages(seedTableData().train, n, rng), rng);
  process.stdout.write(`${fam.id} seed ${seed}, step ${step}, ${n} real and ${n} generated inputs (threshold ${fam.discriminator!.threshold}):\n\n`);
  process.stdout.write(
    markdownTable(rows, [
      { key: 'condition' },
      { key: 'auc', title: 'AUC', digits: 3 },
      { key: 'accuracy', title: 'accuracy at threshold', digits: 3 },
      { key: 'realAccuracy', title: 'real', digits: 3 },
      { key: 'fakeAccuracy', title: 'generated', digits: 3 },
      { key: 'meanReal', title: 'mean score, real', digits: 3 },
      { key: 'meanFake', title: 'mean score, generated', digits: 3 },
    ]),
  );
}
