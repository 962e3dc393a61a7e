import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  createRunner,
  unet,
  Rng,
  linearSchedule,
  vpSdeSchedule,
  createDenoiser,
  sampleAncestral,
  sampleDdim,
  sampleDiffgan,
  saveWeights,
  loadWeights,
  dcganGenerator,
  makeEnv,
  HostNet,
} from '@diffgan/core-models';
import { tf, initBackend, createModel, forward, tfOps, Model, paramCount, disposeModel } from '@diffgan/core-models/train';
import { sampleUnet, netDenoiser, imageShape, PIXELS, Family, TABLE_D } from './common';
import { ganFamily } from './gan';
import { diffganFamily } from './diffgan';
import { FAMILIES, familyByName } from './families';
import {
  parseSeedTableArgs,
  loggedRuntimes,
  trainFamily,
  loadNets,
  disposeNets,
  sampleMany,
  collapseOf,
  evaluateTargets,
  notReportable,
  lossTail,
  measuredContext,
  targetLines,
  meanAuc,
  recordSeedTableMetrics,
  SeedTableRow,
} from './run';
import { findDataRoot } from '@diffgan/core-models';
import { discriminatorAccuracy, rankAuc, DiscriminatorAccuracy } from './diagnose';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('the seed-table samplers feed the exported nets as trained (x, t = index·1000/T, z)', () => {
  const spec = unet({ inChannels: 1, outChannels: 1, channels: [8, 16], blocksPerLevel: 1, embDim: 8, groups: 4 });
  const gspec = unet({ inChannels: 1, outChannels: 1, channels: [8, 16], blocksPerLevel: 1, embDim: 8, groups: 4, latentDim: 4 });
  const weightsOf = (m: ReturnType<typeof createModel>) => new Map([...m.params].map(([k, p]) => [k, { shape: p.shape, data: p.dataSync() as Float32Array }]));
  const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  /** the reference net: tfjs forward, with the time input written out (t·1000/T) instead of taken from the library */
  const direct =
    (sp: typeof spec, m: Model, T: number, steps: number[]): HostNet =>
    async ({ x, t, z }) => {
      steps.push((t.data[0] * T) / 1000);
      const inputs: Record<string, tf.Tensor> = { x: tf.tensor4d(x.data, x.shape as [number, number, number, number]), t: tf.tensor1d(Array.from(t.data)) };
      if (z) inputs.z = tf.tensor2d(z.data, z.shape as [number, number]);
      return forward(sp, m.params, inputs).out.dataSync() as Float32Array;
    };

  test.each([
    ['ddpm', 6],
    ['ddim', 5],
  ] as const)('%s with %i steps', async (kind, steps) => {
    const m = createModel(spec, 1),
      s = linearSchedule(1000),
      n = 2;
    const runner = await createRunner(spec, weightsOf(m), { runtime: 'tfjs' });
    const seen: number[] = [];
    const den = createDenoiser({ net: direct(spec, m, 1000, seen), parameterisation: 'eps', schedule: s });
    const o = { shape: [n, 28, 28, 1], rng: new Rng(3), steps, clip: [-1, 1] as [number, number] };
    const ref = kind === 'ddpm' ? await sampleAncestral(den, o) : await sampleDdim(den, o);
    expect(seen).toEqual(kind === 'ddpm' ? [999, 799, 599, 400, 200, 0] : [999, 749, 500, 250, 0]);
    expect(maxDiff(await sampleUnet(runner, s, n, new Rng(3), { sampler: kind, steps, clip: [-1, 1] }), ref)).toBeLessThan(1e-5);
    await runner.dispose();
  });

  test('diffgan, T = 4', async () => {
    const m = createModel(gspec, 2),
      s = vpSdeSchedule(4),
      n = 2;
    const runner = await createRunner(gspec, weightsOf(m), { runtime: 'tfjs' });
    const seen: number[] = [];
    const ref = await sampleDiffgan(createDenoiser({ net: direct(gspec, m, 4, seen), parameterisation: 'x0', schedule: s, latentDim: 4 }), {
      shape: [n, 28, 28, 1],
      rng: new Rng(5),
    });
    expect(seen).toEqual([3, 2, 1, 0]);
    // the family's sampler is sampleDiffgan over netDenoiser (with LATENT_DIM 64): here with this net's 4
    const host = await sampleDiffgan(netDenoiser(runner, s, 'x0', 4), { shape: imageShape(n), rng: new Rng(5) });
    expect(maxDiff(host, ref)).toBeLessThan(1e-5);
    await runner.dispose();
  });
});

// training reads the MNIST split (and runs data parallel from dist: build first)
const withData = findDataRoot() ? describe : describe.skip;
if (!findDataRoot()) console.warn('seed-table training smoke test skipped: no shared data (set DIFFGAN_DATA)');

withData('seed-table smoke: a training step, resume, export, sampling shapes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-table-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const train = { batch: 4, workers: 2 };

  test.each([ganFamily, diffganFamily(2)])('$id: 1 step, resumed to 2, samples [n, 28, 28, 1] in [-1, 1]', async (fam) => {
    const d = path.join(dir, fam.id);
    const a = await trainFamily(fam, 0, d, train, { steps: 1 }, { progress: false });
    expect(a).toMatchObject({ steps: 1, done: true });
    const b = await trainFamily(fam, 0, d, train, { steps: 2 }, { progress: false });
    expect(b.steps).toBe(2);
    const { nets } = await loadNets(fam, d);
    const x = await sampleMany(fam.samplers[0], nets, 3, new Rng(1), 2);
    expect(x.length).toBe(3 * PIXELS);
    expect(x.every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true);
    await disposeNets(nets);
  });
});

describe('seed-table training flags', () => {
  test('--runtime, --threads, --ep: defaults (auto, 1 thread, cpu) and validation', () => {
    expect(parseSeedTableArgs([])).toMatchObject({ runtime: undefined, threads: 1, ep: 'cpu', workers: undefined });
    expect(parseSeedTableArgs(['--runtime', 'onnxruntime', '--threads', '2', '--ep', 'cuda', '--workers', '1'])).toMatchObject({
      runtime: 'onnxruntime',
      threads: 2,
      ep: 'cuda',
      workers: 1,
    });
    expect(parseSeedTableArgs(['--runtime=tfjs'])!.runtime).toBe('tfjs');
    expect(parseSeedTableArgs(['--runtime', 'auto'])!.runtime).toBe('auto');
    expect(() => parseSeedTableArgs(['--runtime', 'ort'])).toThrow(/--runtime: ort/);
    expect(() => parseSeedTableArgs(['--threads', '0'])).toThrow(/--threads/);
    expect(() => parseSeedTableArgs(['--threads', '1.5'])).toThrow(/--threads/);
    expect(() => parseSeedTableArgs(['--ep', ''])).toThrow(/--ep/);
    expect(() => parseSeedTableArgs(['--ep'])).toThrow(/--ep needs a value/);
  });
  test("the table's training runtime comes from the seeds' logs (lines without one: tfjs)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-runtime-'));
    expect(loggedRuntimes(dir, 100)).toEqual([]);
    fs.writeFileSync(
      path.join(dir, 'log.jsonl'),
      [
        { step: 25, d: 1 },
        { step: 50, d: 1, runtime: 'tfjs' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n') + '\n',
    );
    expect(loggedRuntimes(dir, 100)).toEqual(['tfjs']);
    fs.appendFileSync(path.join(dir, 'log.jsonl'), JSON.stringify({ step: 75, d: 1, runtime: 'onnxruntime' }) + '\n');
    expect(loggedRuntimes(dir, 100)).toEqual(['tfjs', 'onnxruntime']);
    expect(loggedRuntimes(dir, 50)).toEqual(['tfjs']); // lines past the reported budget do not count
  });
});

describe('collapse criterion and targets', () => {
  test('collapse: low recall, low precision, or one dominant class', () => {
    expect(collapseOf({ precision: 0.6, recall: 0.5, topClassShare: 0.12 })).toBeUndefined();
    expect(collapseOf({ precision: 0.6, recall: 0.01, topClassShare: 0.12 })).toMatch(/recall/);
    expect(collapseOf({ precision: 0.01, recall: 0.5, topClassShare: 0.12 })).toMatch(/precision/);
    expect(collapseOf({ precision: 0.6, recall: 0.5, topClassShare: 0.7 })).toMatch(/one class/);
  });
  test('targets: FID within 10%, >= 100x speed, better recall than the GAN', () => {
    const row = (sampler: string, fid: number, ips: number, recall: number, okRuns = 3) =>
      ({ sampler, fid, imagesPerSecond: ips, recall, okRuns }) as SeedTableRow;
    const t = evaluateTargets([row('gan', 30, 5000, 0.2), row('ddpm-1000', 10, 1, 0.6), row('diffgan-4', 10.5, 150, 0.5)]);
    expect(t.map((x) => x.met)).toEqual([true, true, true]);
    const u = evaluateTargets([row('gan', 30, 5000, 0.6), row('ddpm-1000', 10, 1, 0.6), row('diffgan-4', 12, 50, 0.5)]);
    expect(u.map((x) => x.met)).toEqual([false, false, false]);
    // all runs of DDPM-1000 collapsed: its quality targets are not judged, the speed target is
    const v = evaluateTargets([row('gan', 30, 5000, 0.6), row('ddpm-1000', 10, 1, 0.6, 0), row('diffgan-4', 12, 150, 0.5)]);
    expect(v.map((x) => x.met)).toEqual([undefined, true, false]);
    expect(targetLines(v, false)).toEqual([
      'Targets:',
      '',
      expect.stringMatching(/^- n\/a: DiffGAN-4 FID/),
      expect.stringMatching(/^- met: DiffGAN-4 >= 100x/),
      expect.stringMatching(/^- \*\*missed\*\*: DiffGAN-4 recall/),
    ]);
    // an ablation run alone has none of the compared rows: a sentence, not an empty heading
    const alone = evaluateTargets([row('diffgan-4-nor1', 109, 500, 0.5)]);
    expect(alone).toEqual([]);
    expect(targetLines(alone, false)[0]).toMatch(/^Targets: not judged in this run/);
  });
});

describe('measured context under the targets', () => {
  test('lossTail: mean of a phase over the last 10% of the steps, from log.jsonl', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-tail-'));
    expect(lossTail(dir, 'd', 1000)).toBeNaN();
    // one line per 25 steps; the last 10% of 1,000 steps are the lines of steps 925, 950, 975, 1000
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ step: 25 * (i + 1), d: i < 36 ? 9 : i, g: 0.7 }));
    fs.writeFileSync(path.join(dir, 'log.jsonl'), lines.join('\n') + '\n');
    expect(lossTail(dir, 'd', 1000)).toBeCloseTo((36 + 37 + 38 + 39) / 4, 12);
    expect(lossTail(dir, 'd', 500)).toBe(9); // a budget that ended earlier: lines past it are ignored
    expect(lossTail(dir, 'den', 1000)).toBeNaN();
  });
  test('states D loss against chance and, for a missed FID target, the nearest row and the CPU ratio', () => {
    const row = (model: string, sampler: string, fid: number, cpu: number, extra: Partial<SeedTableRow> = {}) =>
      ({
        model,
        sampler,
        fid,
        trainSteps: 3000,
        trainCpuMinutes: cpu,
        imagesPerSecond: 1,
        precision: 0.6,
        recall: 0.5,
        okRuns: 3,
        runs: 3,
        nfe: 1,
        ...extra,
      }) as SeedTableRow;
    const rows = [
      row('ddpm', 'ddpm-1000', 75, 40),
      row('ddpm', 'ddim-10', 125, 40),
      row('diffgan4', 'diffgan-4', 133, 112, {
        dLossEnd: 1.3859,
        dLossAtChance: 2 * Math.LN2,
        dAuc: [
          { condition: 't=0 (alphaBar 0.524)', auc: 0.984, seeds: 2 },
          { condition: 't=1 (alphaBar 0.079)', auc: 0.6, seeds: 2 },
        ],
      }),
      row('gan', 'gan', 90, 30, { dLossEnd: 0.2, dLossAtChance: 0.25, recall: 0.6, precision: 0.7 }),
      row('diffgan2', 'diffgan-2', 82.5, 110, { dLossEnd: 1.3, dLossAtChance: 2 * Math.LN2 }),
      row('pipeline', 'pipeline', 30, 190, { dLossEnd: 0.2, dLossAtChance: 0.25, recall: 0.81, runs: 1 }),
    ];
    const text = measuredContext(rows, evaluateTargets(rows), 3000).join('\n');
    expect(text).toContain('diffgan4 1.386 (1.386), gan 0.200 (0.250)');
    expect(text).toContain("nearest to ddim-10's 125.0");
    expect(text).toContain('diffgan4 t=0 0.98, t=1 0.60 (2 seeds)');
    expect(text).toContain('2.8x DDPM'); // 112 / 40
    expect(text).toContain('calls per image'); // speed missed too (1 vs 1 images/s)
    expect(text).toContain('precision 0.600 (DiffGAN-4) vs 0.700 (GAN)'); // recall 0.5 vs 0.6: missed
    expect(text).toContain("the other DiffGAN-style rows: diffgan-2's FID 82.5 is 1.10x DDPM-1000's, pipeline's FID 30.0 is 0.40x DDPM-1000's");
    expect(text).toContain("rows with recall above the GAN's 0.600: pipeline 0.810 (1 seed)"); // diffgan-2's 0.5 is not
    // every target met: only the discriminator line
    const good = [row('ddpm', 'ddpm-1000', 75, 40), row('diffgan4', 'diffgan-4', 76, 80, { imagesPerSecond: 500, dLossEnd: 1.2, dLossAtChance: 2 * Math.LN2 })];
    expect(measuredContext(good, evaluateTargets(good), 3000).join('\n')).not.toContain('missed');
  });
});

test('meanAuc: per condition over the seeds that have it', () => {
  const r = (condition: string, auc: number) => ({ condition, auc }) as DiscriminatorAccuracy;
  expect(
    meanAuc([
      [r('t=0', 0.9), r('t=1', 0.5)],
      [r('t=0', 0.7), r('t=1', 0.6)],
    ]),
  ).toEqual([
    { condition: 't=0', auc: 0.8, seeds: 2 },
    { condition: 't=1', auc: 0.55, seeds: 2 },
  ]);
  expect(meanAuc([])).toEqual([]);
});

describe('discriminator accuracy (d-accuracy)', () => {
  // a D whose every weight is 0 and whose score bias is b scores b on every input
  const constantD = (fam: Family, b: number) => {
    const models = Object.fromEntries(Object.entries(fam.groups(0)).map(([k, g]) => [k, g.model]));
    for (const [name, v] of models.d.params) v.assign(tf.fill(v.shape, name === 'score.b' ? b : 0));
    return models;
  };
  const real = new Rng(3).normalArray(4 * PIXELS).map((v) => Math.tanh(v));
  test('DiffGAN: one row per step; a constant D is right on one side only, a D at its threshold is at 0.5', () => {
    const fam = diffganFamily(2);
    const up = discriminatorAccuracy(fam, constantD(fam, 3), real, new Rng(1));
    expect(up.map((r) => r.condition)).toEqual([expect.stringMatching(/^t=0 \(alphaBar 0\.\d+\)$/), expect.stringMatching(/^t=1 /)]);
    for (const r of up) {
      expect(r).toMatchObject({ realAccuracy: 1, fakeAccuracy: 0, accuracy: 0.5, auc: 0.5 });
      expect(r.meanReal).toBeCloseTo(3, 5);
      expect(r.meanFake).toBeCloseTo(3, 5);
    }
    for (const r of discriminatorAccuracy(fam, constantD(fam, 0), real, new Rng(1))) expect(r).toMatchObject({ realAccuracy: 0.5, fakeAccuracy: 0.5 });
  });
  test('rankAuc: hand-counted pairs', () => {
    expect(rankAuc([3, 4], [1, 2])).toBe(1);
    expect(rankAuc([1, 2], [3, 4])).toBe(0);
    expect(rankAuc([1, 3], [2, 2])).toBe(0.5); // 3 > both, 1 < both
    expect(rankAuc([2, 3], [2, 1])).toBe(0.875); // (0.5 + 1 + 1 + 1) / 4
  });
  test('GAN (LSGAN): the threshold is 0.5', () => {
    const [r] = discriminatorAccuracy(ganFamily, constantD(ganFamily, 0.2), real, new Rng(1));
    expect(r).toMatchObject({ condition: 'all', realAccuracy: 0, fakeAccuracy: 1 });
    expect(() => discriminatorAccuracy({ ...ganFamily, discriminator: undefined }, {}, real, new Rng(1))).toThrow(/no discriminator/);
  });
});

describe('--report-only', () => {
  test('reports a seed only when its training finished at the budget and every sampler was scored on it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-report-'));
    const fam = { samplers: [{ id: 'ddpm-1000' }, { id: 'ddim-10' }] } as unknown as Parameters<typeof notReportable>[1];
    const put = (f: string, v: unknown) => fs.writeFileSync(path.join(dir, f), JSON.stringify(v));
    expect(notReportable(dir, fam, 3000, 1000)).toMatch(/not finished \(0 of 3000/);
    put('train.json', { steps: 2750, done: false });
    expect(notReportable(dir, fam, 3000, 1000)).toMatch(/not finished \(2750 of 3000/);
    put('train.json', { steps: 3000, done: true });
    put('metrics-ddpm-1000.json', { trainedSteps: 3000, samples: 1000 });
    expect(notReportable(dir, fam, 3000, 1000)).toMatch(/not scored/);
    put('metrics-ddim-10.json', { trainedSteps: 3000, samples: 64 });
    expect(notReportable(dir, fam, 3000, 1000)).toMatch(/not scored/); // scored on another sample count
    put('metrics-ddim-10.json', { trainedSteps: 3000, samples: 1000 });
    expect(notReportable(dir, fam, 3000, 1000)).toBeNull();
    expect(notReportable(dir, fam, 6000, 1000)).toMatch(/not finished \(3000 of 6000/); // a larger budget
    put('train.json', { steps: 800, done: true, failed: 'loss became NaN' });
    expect(notReportable(dir, fam, 3000, 1000)).toBeNull(); // a diverged run is a result (collapsed)
  });
});

test("recordSeedTableMetrics: every exported net's manifest gets each sampler's scores, and the weights stay loadable", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-manifest-'));
  const spec = dcganGenerator({ latentDim: 4, channels: 4, outChannels: 1 });
  const w = new Map(spec.params.map((p) => [p.name, { shape: p.shape, data: new Float32Array(p.shape.reduce((a, b) => a * b, 1)).fill(0.01) }]));
  const info = { version: '0', config: {}, training: { data: 't', command: 't', steps: 1 }, metrics: {} };
  saveWeights(dir, 'g', spec, w, info);
  saveWeights(dir, 'den', spec, w, info);
  const m = { fid: 42.2868, kid: 6.4712, kidStd: 1, precision: 0.591, recall: 0.739, topClassShare: 0.1, collapsed: false, samples: 1000 };
  recordSeedTableMetrics(dir, ['g', 'den'], { 'ddpm-1000': m, 'ddim-10': { ...m, fid: 125.271 } }, 2000);
  for (const name of ['g', 'den']) {
    const { manifest } = loadWeights(path.join(dir, `${name}.manifest.json`));
    expect(manifest.metrics['ddpm-1000']).toEqual({
      fid: 42.29,
      kid: 6.471,
      precision: 0.591,
      recall: 0.739,
      collapsed: false,
      samples: 1000,
      referenceImages: 2000,
    });
    expect((manifest.metrics['ddim-10'] as { fid: number }).fid).toBe(125.27);
    expect(manifest.metrics.protocol).toMatch(/reference split/);
  }
});

describe('DiffGAN ablations (never default rows)', () => {
  // the R1 and loss ablations ran with the base D: compared against the base-D row
  const withR1 = familyByName('diffgan4-dbase')!,
    noR1 = familyByName('diffgan4-nor1-dbase')!,
    lsgan = familyByName('diffgan4-lsgan-dbase')!;
  const n = 4,
    rng = new Rng(3);
  const batch = { real: { data: Float32Array.from(rng.normalArray(n * PIXELS), (v) => Math.tanh(v)), shape: [n, 28, 28, 1] }, ...withR1.stepInputs(rng, n) };
  /** a phase's loss on the batch (the objective on tfjs), fresh seed-0 nets; zeroD: every D parameter 0, so D scores 0 everywhere */
  const loss = (fam: Family, phase: string, zeroD = false) =>
    tf.tidy(() => {
      const g = fam.groups(0);
      if (zeroD) for (const p of g.d.model.params.values()) p.assign(tf.zerosLike(p));
      const models: Record<string, Model> = { g: g.g.model, d: g.d.model };
      const specs = { g: models.g.spec, d: models.d.spec };
      const env = makeEnv(tfOps, specs, phase, batch, new Rng(9), (k, ins) => forward(models[k].spec, models[k].params, ins));
      const v = fam.objective(env).dataSync()[0];
      for (const x of Object.values(g)) for (const p of x.model.params.values()) p.dispose();
      return v;
    });

  test("discriminator variants: same G; the table's DiffGAN rows have the deep D, the base and wide ones are ablations", () => {
    const wide = familyByName('diffgan4-dwide')!,
      deep = familyByName('diffgan4')!;
    expect(TABLE_D).toBe('deep');
    expect(deep).toBe(FAMILIES.find((f) => f.id === 'diffgan4'));
    expect([withR1, wide, deep, familyByName('diffgan2-dbase')!].map((f) => f.samplers[0].id)).toEqual([
      'diffgan-4-dbase',
      'diffgan-4-dwide',
      'diffgan-4',
      'diffgan-2-dbase',
    ]);
    expect(familyByName('diffgan4-ddeep')).toBeUndefined(); // the deep D is the row itself, not a variant of it
    for (const id of ['diffgan2-dbase', 'diffgan4-dbase', 'diffgan4-dwide']) expect(FAMILIES.map((f) => f.id)).not.toContain(id);
    const params = (f: Family) => {
      const g = f.groups(0);
      const c = { g: paramCount(g.g.model.spec), d: paramCount(g.d.model.spec) };
      for (const x of Object.values(g)) disposeModel(x.model);
      return c;
    };
    const base = params(withR1),
      w = params(wide),
      d = params(deep);
    expect(w.g).toBe(base.g);
    expect(d.g).toBe(base.g);
    // base D: levels 32/64/128, two 3x3 convs each, 2 input channels, time embedding 32 → per-level dense
    expect(base.d).toBe(308705);
    expect(w.d).toBe(1182529);
    // deep: + two 3x3 convs per level: 9·(32² + 64² + 128²)·2 weights + (32 + 64 + 128)·2 biases
    expect(d.d - base.d).toBe(9 * (32 * 32 + 64 * 64 + 128 * 128) * 2 + (32 + 64 + 128) * 2);
  });

  test('names, samplers and chance levels; none is in the default table', () => {
    expect([noR1, lsgan].map((f) => f.samplers[0].id)).toEqual(['diffgan-4-nor1-dbase', 'diffgan-4-lsgan-dbase']);
    expect(FAMILIES.map((f) => f.id)).not.toContain('diffgan4-nor1-dbase');
    expect(FAMILIES.map((f) => f.id)).not.toContain('diffgan4-lsgan-dbase');
    expect([withR1, noR1, lsgan].map((f) => f.discriminator!.lossAtChance)).toEqual([2 * Math.LN2, 2 * Math.LN2, 0.25]);
  });

  test('diffgan4-nor1-dbase: same nets and batch, D loss smaller by the R1 term, same G loss', () => {
    expect(loss(withR1, 'd') - loss(noR1, 'd')).toBeGreaterThan(1e-6); // R1 = gamma/2 * E|grad D|^2 > 0 for an untrained D
    expect(loss(noR1, 'g')).toBe(loss(withR1, 'g'));
  });

  test('a D that scores 0: non-saturating D 2 ln 2 and G ln 2 (R1 of a constant D is 0); LSGAN D 0.5 and G 0.5', () => {
    for (const fam of [withR1, noR1]) {
      expect(loss(fam, 'd', true)).toBeCloseTo(2 * Math.LN2, 5);
      expect(loss(fam, 'g', true)).toBeCloseTo(Math.LN2, 5);
    }
    expect(loss(lsgan, 'd', true)).toBeCloseTo(0.5, 6); // (1/2)((0 - 1)^2 + 0^2)
    expect(loss(lsgan, 'g', true)).toBeCloseTo(0.5, 6); // (1/2)(0 - 1)^2
  });
});
