import { UpscalerModels, upscalerSettings, withRefinerReady, withUpscaler } from './core';

/** A runner stand-in that counts its dispose calls. */
const runner = () => {
  const r = { disposed: 0, dispose: async () => void r.disposed++ };
  return r;
};

describe('UpscalerModels (what the Node and browser upscalers hold)', () => {
  it('loads the refiner once, however many calls ask for it at the same time', async () => {
    const held = new UpscalerModels<{ runner: ReturnType<typeof runner> }>(runner());
    let loads = 0;
    const load = async () => {
      loads++;
      return { runner: runner() };
    };
    const [a, b] = await Promise.all([held.refiner(load), held.refiner(load)]);
    expect(loads).toBe(1);
    expect(a).toBe(b);
  });
  it('tries a failed load again on the next call', async () => {
    const held = new UpscalerModels<{ runner: ReturnType<typeof runner> }>(runner());
    let calls = 0;
    const load = async () => {
      if (++calls === 1) throw new Error('network');
      return { runner: runner() };
    };
    await expect(held.refiner(load)).rejects.toThrow('network');
    await expect(held.refiner(load)).resolves.toHaveProperty('runner');
    expect(calls).toBe(2);
  });
  it('dispose frees the generator and a loaded refiner once; afterwards checkLive throws', async () => {
    const gen = runner(),
      ref = runner();
    const held = new UpscalerModels<{ runner: typeof ref }>(gen);
    await held.refiner(async () => ({ runner: ref }));
    held.checkLive();
    await held.dispose();
    await held.dispose();
    expect([gen.disposed, ref.disposed]).toEqual([1, 1]);
    expect(() => held.checkLive()).toThrow('this upscaler has been disposed');
  });
  it('dispose after a failed refiner load frees the generator and does not throw', async () => {
    const gen = runner();
    const held = new UpscalerModels<{ runner: ReturnType<typeof runner> }>(gen);
    const pending = held.refiner(async () => {
      throw new Error('bad weights');
    });
    const disposed = held.dispose();
    await expect(pending).rejects.toThrow('bad weights');
    await disposed;
    expect(gen.disposed).toBe(1);
  });
});

describe('creating and one-shot helpers (shared by the Node and browser upscalers)', () => {
  const noCheck = () => {};
  it('upscalerSettings: scale 4, refine 0 and model fidelity by default; a bad scale, refine, model or step count is an error', () => {
    expect(upscalerSettings({}, noCheck)).toEqual({ scale: 4, refine: 0, model: 'fidelity' });
    expect(upscalerSettings({ scale: 2, refine: 3, model: 'real' }, noCheck)).toEqual({ scale: 2, refine: 3, model: 'real' });
    expect(() => upscalerSettings({ model: 'sharp' }, noCheck)).toThrow("unknown model 'sharp': use fidelity or real");
    expect(() => upscalerSettings({ scale: 3 }, noCheck)).toThrow('invalid scale 3: use 2 or 4');
    expect(() => upscalerSettings({ refine: 1.5 }, noCheck)).toThrow('invalid refine steps 1.5: use an integer >= 0');
    const seen: number[] = [];
    upscalerSettings({ refine: 2 }, (r) => void seen.push(r));
    expect(seen).toEqual([2]);
    expect(() =>
      upscalerSettings({ refine: 9 }, () => {
        throw new Error('too many');
      }),
    ).toThrow('too many');
  });
  it('withRefinerReady loads the refiner only for refine > 0, and frees the upscaler when that load fails', async () => {
    const sr = runner();
    let loads = 0;
    await expect(withRefinerReady(sr, 0, async () => void loads++)).resolves.toBe(sr);
    expect(loads).toBe(0);
    await expect(withRefinerReady(sr, 2, async () => void loads++)).resolves.toBe(sr);
    expect([loads, sr.disposed]).toEqual([1, 0]);
    await expect(
      withRefinerReady(sr, 1, async () => {
        throw new Error('refiner missing');
      }),
    ).rejects.toThrow('refiner missing');
    expect(sr.disposed).toBe(1);
  });
  it('withUpscaler frees the upscaler after the call, also when it fails', async () => {
    const sr = runner();
    await expect(withUpscaler(Promise.resolve(sr), async () => 'out')).resolves.toBe('out');
    expect(sr.disposed).toBe(1);
    await expect(
      withUpscaler(Promise.resolve(sr), async () => {
        throw new Error('tile failed');
      }),
    ).rejects.toThrow('tile failed');
    expect(sr.disposed).toBe(2);
  });
});
