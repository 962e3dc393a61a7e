import { UpscalerModels } from './core';

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
