import { denoiseResidual } from './sampler';
import { projectToMel, spectra, filterbank } from '../synth/audio';
import type { Runner } from '@diffgan/core-models';

describe('denoiser sampler', () => {
  it('DDIM with an x0-predictor returns its prediction and feeds it the condition at respaced levels', async () => {
    const frames = 3,
      target = new Float32Array(frames * 513).map((_, i) => Math.sin(i));
    const seen: number[] = [];
    const runner: Runner = {
      run: async (inputs: Record<string, { data: Float32Array; shape: number[] }>) => {
        seen.push(inputs.t.data[0]);
        expect(inputs.x.shape).toEqual([1, frames, 1, 513]);
        expect(inputs.cond.data[0]).toBe(7);
        return { out: { data: target, shape: [1, frames, 1, 513] } };
      },
    } as unknown as Runner;
    const cond = new Float32Array(frames * 513).fill(7);
    const r = await denoiseResidual(runner, cond, frames, 4, 0);
    expect(Array.from(r)).toEqual(Array.from(target));
    expect(seen).toEqual([999, 666, 333, 0]); // respace(cosine T = 1000, 4), from the top
  });

  it('mel projection makes a magnitude match a target mel', () => {
    const n = 20 * 256,
      x = new Float32Array(n).map((_, i) => 0.2 * Math.sin(i * 0.07) + 0.05 * Math.sin(i * 0.5));
    const sp = spectra(x);
    const mag = new Float32Array(sp.logMag.length).fill(1e-3);
    projectToMel(mag, sp.logMel, sp.frames, 8);
    const fb = filterbank();
    // overlapping filters narrower than a bin (lowest bands) cannot all be matched exactly: mean error
    const errs: number[] = [];
    const before: number[] = [];
    for (const t of [3, 10])
      for (let m = 0; m < 80; m++) {
        let v = 0,
          v0 = 0;
        for (let k = 0; k < 513; k++) {
          v += fb.weights[m * 513 + k] * mag[t * 513 + k];
          v0 += fb.weights[m * 513 + k] * 1e-3;
        }
        const want = sp.logMel[t * 80 + m];
        if (want > -9) {
          errs.push(Math.abs(Math.log(v) - want));
          before.push(Math.abs(Math.log(v0) - want));
        }
      }
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
    expect(mean(errs)).toBeLessThan(0.1);
    expect(mean(errs)).toBeLessThan(0.1 * mean(before));
  });
});
