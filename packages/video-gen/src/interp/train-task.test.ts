/**
 * The interpolator's training objective on both runtimes: for each phase (d, g, r), loss and
 * gradients on onnxruntime match tfjs (the reference) on the shipped generator,
 * discriminator and refiner architectures, and the tfjs path reproduces the old tfjs loss.
 */
import { loadOrt, HostBatch, Rng, makeEnv } from '@diffgan/core-models';
import { tf, tfOps, initBackend, createModel, gradientParity, tfjsGradients, Model, forward } from '@diffgan/core-models/train';
import { interpNetSpec, discSpec, refinerSpec, INTERP_IN } from './net';
import { interpObjective, composeTf } from './train-task';

const ort = loadOrt();
const N = 2,
  P = 16;
const config = { tcWeight: 0.5, advWeight: 0.005 };

/**
 * The shipped specs at their shipped sizes. The output layers of the generator and the
 * refiner start at zero (gain 0), which would leave every other gradient zero; all-zero
 * parameters get small random values so every layer is compared.
 */
function models(seed: number): Record<string, Model> {
  const m = { g: createModel(interpNetSpec(), seed), d: createModel(discSpec(), seed + 1), r: createModel(refinerSpec(), seed + 2) };
  const rng = new Rng(seed + 100);
  for (const model of Object.values(m))
    for (const v of model.params.values()) {
      if (v.dataSync().every((x) => x === 0))
        v.assign(
          tf.tensor(
            rng.normalArray(v.size).map((x) => 0.1 * x),
            v.shape,
          ),
        );
    }
  return m;
}

function shard(seed: number): HostBatch {
  const rng = new Rng(seed);
  const img = (c: number, lo: number, hi: number) => ({
    data: Float32Array.from({ length: N * P * P * c }, () => lo + (hi - lo) * rng.uniform()),
    shape: [N, P, P, c],
  });
  return {
    x1: img(INTERP_IN, -0.5, 0.5),
    x2: img(INTERP_IN, -0.5, 0.5),
    w1: img(6, 0, 1),
    w2: img(6, 0, 1),
    y0: img(3, 0, 1),
    y1: img(3, 0, 1),
    y2: img(3, 0, 1),
    y3: img(3, 0, 1),
    y4: img(3, 0, 1),
  };
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

(ort ? describe : describe.skip)('interp objective: onnxruntime gradients match tfjs', () => {
  let nets: Record<string, Model>;
  beforeAll(() => {
    nets = models(7);
  });
  for (const phase of ['d', 'g', 'r']) {
    test(`phase ${phase}`, async () => {
      const rep = await gradientParity(nets, interpObjective(config), phase, shard(11), 3);
      if (process.env.PARITY_LOG) console.log(phase, JSON.stringify(rep));
      expect(rep.params).toBe(nets[phase].params.size);
      expect(rep.worstRelative).toBeLessThan(1e-4);
      expect(Math.abs(rep.ortLoss - rep.tfjsLoss)).toBeLessThan(1e-5 * Math.abs(rep.tfjsLoss));
    });
  }
});

describe('interp objective on tfjs', () => {
  test('phase g is L1 + 0.5·TC + 0.005·LSGAN computed by hand; only g gets gradients', () => {
    const nets = models(3),
      b = shard(5);
    const { loss, grads } = tfjsGradients(nets, interpObjective(config), 'g', b, new Rng(0));
    expect([...grads.keys()].sort()).toEqual([...nets.g.params.keys()].sort());
    const T = (k: string) => tf.tensor4d(b[k].data, b[k].shape as [number, number, number, number]);
    const gen = (x: string, w: string) => composeTf(tfOps, forward(nets.g.spec, nets.g.params, { x: T(x) }).out, T(w)).dataSync() as Float32Array;
    const g1 = gen('x1', 'w1'),
      g3 = gen('x2', 'w2'),
      y1 = b.y1.data,
      y3 = b.y3.data;
    const mean = (f: (i: number) => number) => {
      let s = 0;
      for (let i = 0; i < g1.length; i++) s += f(i);
      return s / g1.length;
    };
    const l1 = 0.5 * (mean((i) => Math.abs(g1[i] - y1[i])) + mean((i) => Math.abs(g3[i] - y3[i])));
    const tc = mean((i) => Math.abs(g3[i] - g1[i] - (y3[i] - y1[i])));
    const D = (f: Float32Array, a: string, c: string) => {
      const fr = tf.tensor4d(f, [N, P, P, 3]);
      return forward(nets.d.spec, nets.d.params, { x: tf.concat([fr, T(a), T(c)], 3) }).score.dataSync();
    };
    const s = [...D(g1, 'y0', 'y2'), ...D(g3, 'y2', 'y4')];
    const adv = (0.5 * s.reduce((a, v) => a + (v - 1) ** 2, 0)) / s.length;
    expect(loss).toBeCloseTo(l1 + 0.5 * tc + 0.005 * adv, 5);
  });

  test('phase r draws t then eps from the env rng', () => {
    const nets = models(3),
      b = shard(5);
    const seen: string[] = [];
    const rng = new Rng(9);
    const spy = {
      int: (n: number) => {
        seen.push('int');
        return rng.int(n);
      },
      normalArray: (k: number) => {
        seen.push(`normal${k}`);
        return rng.normalArray(k);
      },
    } as unknown as Rng;
    const specs = Object.fromEntries(Object.entries(nets).map(([k, m]) => [k, m.spec]));
    tf.tidy(() => interpObjective(config)(makeEnv(tfOps, specs, 'r', b, spy, (g, ins) => forward(nets[g].spec, nets[g].params, ins))));
    expect(seen).toEqual(['int', 'int', 'int', 'int', `normal${2 * N * P * P * 3}`]);
  });
});
