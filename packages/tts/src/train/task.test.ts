/**
 * The TTS training objectives on both runtimes: for every phase of every task, loss and
 * gradients on onnxruntime match tfjs (the reference) on the shipped acoustic model, vocoder
 * generator + frame discriminator and spectrogram denoiser (shipped sizes, small random
 * batches), and the tfjs path reproduces the former tfjs-only losses.
 */
import { loadOrt, l1Loss, Rng } from '@diffgan/core-models';
import { tf, tfOps, initBackend, createModel, apply, discriminatorLoss, generatorLoss, gradientParity, tfjsGradients } from '@diffgan/core-models/train';
import type { HostBatch, HostArray, LossEnv, Objective } from '@diffgan/core-models';
import type { Model } from '@diffgan/core-models/train';
import { acousticSpec, vocoderSpec, denoiserSpec, frameDiscriminatorSpec, N_BINS, N_MELS, MAG_MEAN, MAG_STD, DIFFUSION_T } from '../synth/nets';
import { FEATURE_CHANNELS } from '../synth/features';
import { filterbank } from '../synth/audio';
import { logMelOfLogMag } from '../vocoder/tfdsp';
import { createTask } from './task';
import type { TaskConfig } from './task';

const ort = loadOrt();
const N = 2,
  S = 8;

const acoustic: TaskConfig = { kind: 'acoustic', segment: S, prosody: '', teacherCount: 0, teacherCache: '', pretrainSteps: 0, realShare: 0.8 };
const vocoderL1: TaskConfig = { kind: 'vocoder', segment: S, adversarial: false, advWeight: 0.1, melWeight: 1 };
const vocoderAdv: TaskConfig = { kind: 'vocoder', segment: S, adversarial: true, advWeight: 0.1, melWeight: 1 };
const denoiser: TaskConfig = { kind: 'denoiser', segment: S, vocoder: '' };

async function objectiveOf(config: TaskConfig): Promise<{ phases: string[]; objective: Objective }> {
  const task = await createTask(config, 'worker');
  expect(task.loss).toBeUndefined();
  return { phases: task.phases, objective: task.objective! };
}

function arr(shape: number[], f: () => number): HostArray {
  return { data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f), shape };
}

/** Random batches with the shapes and value ranges sampleBatch produces. */
function batch(kind: TaskConfig['kind'], seed: number): HostBatch {
  const r = new Rng(seed),
    img = (c: number): number[] => [N, S, 1, c];
  const normal = (): number => r.normal(),
    uniform = (lo: number, hi: number) => (): number => lo + (hi - lo) * r.uniform();
  if (kind === 'acoustic') return { x: arr(img(FEATURE_CHANNELS), uniform(0, 1)), y: arr(img(N_MELS), normal) };
  if (kind === 'vocoder') {
    return {
      mel: arr(img(N_MELS), normal),
      pitch: arr(img(2), uniform(0, 1)),
      comb: arr(img(N_BINS), uniform(-4, 3)),
      mag: arr(img(N_BINS), normal),
      realMel: arr([N, S, N_MELS], () => -6 + 2.5 * r.normal()),
    };
  }
  return { x: arr(img(N_BINS), normal), cond: arr(img(N_BINS), normal), t: arr([N], () => r.int(DIFFUSION_T)), r0: arr(img(N_BINS), normal) };
}

const models = {
  acoustic: (): Record<string, Model> => ({ a: createModel(acousticSpec(), 1) }),
  vocoderL1: (): Record<string, Model> => ({ g: createModel(vocoderSpec(), 2) }),
  vocoderAdv: (): Record<string, Model> => ({ g: createModel(vocoderSpec(), 2), disc: createModel(frameDiscriminatorSpec(), 3) }),
  denoiser: (): Record<string, Model> => ({ den: createModel(denoiserSpec(), 4) }),
};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

(ort ? describe : describe.skip)('TTS objectives: onnxruntime gradients match tfjs', () => {
  const cases: [string, TaskConfig, () => Record<string, Model>, string[]][] = [
    ['acoustic model', acoustic, models.acoustic, ['a']],
    ['vocoder, L1 only', vocoderL1, models.vocoderL1, ['g']],
    ['vocoder + frame discriminator (LSGAN)', vocoderAdv, models.vocoderAdv, ['disc', 'g']],
    ['denoiser', denoiser, models.denoiser, ['den']],
  ];
  for (const [name, config, make, phases] of cases) {
    describe(name, () => {
      let nets: Record<string, Model>;
      beforeAll(() => {
        nets = make();
      });
      test('phases', async () => {
        expect((await objectiveOf(config)).phases).toEqual(phases);
      });
      for (const phase of phases) {
        test(`phase ${phase}`, async () => {
          const rep = await gradientParity(nets, (await objectiveOf(config)).objective, phase, batch(config.kind, 11), 3);
          if (process.env.PARITY_LOG) process.stderr.write(`${name} ${phase}: ${JSON.stringify(rep)}\n`);
          expect(rep.params).toBe(nets[phase].params.size);
          expect(rep.worstRelative).toBeLessThan(1e-4);
          expect(Math.abs(rep.ortLoss - rep.tfjsLoss)).toBeLessThan(1e-5 * Math.abs(rep.tfjsLoss));
        });
      }
    });
  }

  describe('the log-mel helper', () =>
    test('logMelOfLogMag through both clamps (ln-magnitude above 6, mel below 1e-5)', async () => {
      const nets = models.vocoderL1(),
        b = batch('vocoder', 5);
      // the generator's output spread to about [-30, 30]: some bins above the cap, some bands under the floor
      const objective = <T>(e: LossEnv<T>): T => {
        const o = e.ops,
          logMag = o.mul(e.run('g', { mel: e.input('mel'), pitch: e.input('pitch'), comb: e.input('comb') }), 40);
        return l1Loss(o, o.constant(b.realMel.data, [N * S, N_MELS]), logMelOfLogMag(o, logMag));
      };
      const rep = await gradientParity(nets, objective, 'g', b, 0);
      if (process.env.PARITY_LOG) process.stderr.write(`log-mel clamps: ${JSON.stringify(rep)}\n`);
      expect(rep.worstRelative).toBeLessThan(1e-4);
      expect(Math.abs(rep.ortLoss - rep.tfjsLoss)).toBeLessThan(1e-5 * Math.abs(rep.tfjsLoss));
    }));
});

describe('TTS objectives on tfjs reproduce the former tfjs losses', () => {
  const T4 = (a: HostArray): tf.Tensor4D => tf.tensor4d(a.data, a.shape as [number, number, number, number]);
  const value = (nets: Record<string, Model>, objective: Objective, phase: string, b: HostBatch): { loss: number; groups: string[] } => {
    const { loss, grads } = tfjsGradients(nets, objective, phase, b, new Rng(0));
    return { loss, groups: [...grads.keys()] };
  };
  const scalar = (f: () => tf.Tensor): number => tf.tidy(() => f().dataSync()[0]);

  test('acoustic: L1 of the predicted normalised log-mel', async () => {
    const nets = models.acoustic(),
      b = batch('acoustic', 1);
    const { loss, groups } = value(nets, (await objectiveOf(acoustic)).objective, 'a', b);
    expect(groups.sort()).toEqual([...nets.a.params.keys()].sort());
    expect(loss).toBeCloseTo(
      scalar(() => tf.losses.absoluteDifference(T4(b.y), apply(nets.a, { x: T4(b.x) }))),
      6,
    );
  });

  test('vocoder: disc = LSGAN on real/fake magnitudes; g = L1 + L1 on the log-mel / MAG_STD + 0.1 LSGAN', async () => {
    const nets = models.vocoderAdv(),
      b = batch('vocoder', 2);
    const fb = filterbank();
    const basis = new Float32Array(N_BINS * N_MELS);
    for (let m = 0; m < N_MELS; m++) for (let k = 0; k < N_BINS; k++) basis[k * N_MELS + m] = fb.weights[m * N_BINS + k];
    const old = (phase: string): number =>
      scalar(() => {
        const fake = apply(nets.g, { mel: T4(b.mel), pitch: T4(b.pitch), comb: T4(b.comb) }) as tf.Tensor4D;
        const real = T4(b.mag);
        if (phase === 'disc') return discriminatorLoss('lsgan', apply(nets.disc, { x: real }), apply(nets.disc, { x: fake })) as tf.Tensor;
        const magLoss = tf.losses.absoluteDifference(real, fake);
        const logMag = tf.add(tf.mul(fake, MAG_STD), MAG_MEAN).reshape([N * S, N_BINS]);
        const fakeMel = tf.log(tf.maximum(tf.matMul(tf.exp(tf.minimum(logMag, 6)), tf.tensor2d(basis, [N_BINS, N_MELS])), 1e-5));
        const melLoss = tf.losses.absoluteDifference(tf.tensor2d(b.realMel.data, [N * S, N_MELS]), fakeMel);
        return tf.add(tf.add(magLoss, tf.mul(melLoss, 1 / MAG_STD)), tf.mul(generatorLoss('lsgan', apply(nets.disc, { x: fake })), 0.1));
      });
    const { objective } = await objectiveOf(vocoderAdv);
    for (const phase of ['disc', 'g']) {
      const { loss, groups } = value(nets, objective, phase, b);
      expect(groups.sort()).toEqual([...nets[phase].params.keys()].sort());
      expect(loss).toBeCloseTo(old(phase), 6);
    }
  });

  test('denoiser: L1 of the predicted clean residual', async () => {
    const nets = models.denoiser(),
      b = batch('denoiser', 3);
    const { loss } = value(nets, (await objectiveOf(denoiser)).objective, 'den', b);
    expect(loss).toBeCloseTo(
      scalar(() => tf.losses.absoluteDifference(T4(b.r0), apply(nets.den, { x: T4(b.x), cond: T4(b.cond), t: tf.tensor1d(b.t.data) }))),
      6,
    );
  });

  test('logMelOfLogMag on tfjs equals the host formula', () => {
    const r = new Rng(4),
      x = r.normalArray(3 * N_BINS).map((v) => 4 * v);
    const got = tf.tidy(() => logMelOfLogMag(tfOps, tf.tensor(x, [3, 1, N_BINS])).dataSync());
    const fb = filterbank();
    for (let t = 0; t < 3; t++)
      for (let m = 0; m < N_MELS; m++) {
        let s = 0;
        for (let k = 0; k < N_BINS; k++) s += fb.weights[m * N_BINS + k] * Math.exp(Math.min(x[t * N_BINS + k], 6));
        expect(got[t * N_MELS + m]).toBeCloseTo(Math.log(Math.max(s, 1e-5)), 4);
      }
  });
});
