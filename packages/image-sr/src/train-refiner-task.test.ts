/**
 * The refiner task's batches (main role): the residual target and the conditioning are the
 * frozen generator's output on the LR the generator is for (MATLAB bicubic for the fidelity
 * generator, degraded on the fly for the real one), on a small synthetic training folder.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import sharp from 'sharp';
import { loadOrt, Rng } from '@diffgan/core-models';
import { createTask } from './train-refiner-task';
import { RES_SCALE } from './refiner';
import { DEFAULT_WEIGHTS_DIR } from './names';

const d = loadOrt() !== null ? describe : describe.skip;

d('refiner task batches', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refiner-task-'));
    // 160x160 (a 4 px patch takes the generator's receptive radius around it): R = x, B = y
    // (each HR pixel says where it came from), G a checkerboard of 8 px squares
    const W = 160,
      px = Buffer.alloc(W * W * 3);
    for (let y = 0; y < W; y++)
      for (let x = 0; x < W; x++) {
        const k = (y * W + x) * 3;
        px[k] = x;
        px[k + 1] = ((x >> 4) + (y >> 4)) & 1 ? 160 : 90;
        px[k + 2] = y;
      }
    await sharp(px, { raw: { width: W, height: W, channels: 3 } })
      .png()
      .toFile(path.join(dir, 'a.png'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [model, degradation] of [
    ['sr_generator_x4', undefined],
    ['sr_real_x4', 'levels'],
  ] as const) {
    test(`${model}${degradation ? ` on ${degradation}-degraded LR` : ''}: r0 = (HR − G(LR))·RES_SCALE at the crop, cond = 2·G(LR) − 1 of the same place`, async () => {
      const task = await createTask(
        {
          scale: 4,
          patch: 4,
          trainDirs: [dir],
          generatorManifest: path.join(DEFAULT_WEIGHTS_DIR, `${model}.manifest.json`),
          l1Weight: 1,
          r1Gamma: 0,
          degradation,
        },
        'main',
      );
      const b = await task.sampleBatch!(new Rng(3), 2, 0);
      expect(b.r0.shape).toEqual([2, 16, 16, 3]);
      expect(b.cond.shape).toEqual([2, 16, 16, 3]);
      const hr = new Float32Array(b.r0.data.length),
        sr = new Float32Array(b.r0.data.length);
      for (let i = 0; i < hr.length; i++) {
        sr[i] = (b.cond.data[i] + 1) / 2;
        hr[i] = sr[i] + b.r0.data[i] / RES_SCALE;
      }
      for (let k = 0; k < 2; k++) {
        // the target is a 16x16 crop of the image, in one of the 8 orientations: R and B are positions
        const at = (y: number, x: number, c: number) => Math.round(hr[((k * 16 + y) * 16 + x) * 3 + c] * 255);
        const [rx, bx, ry, by] = [at(0, 1, 0) - at(0, 0, 0), at(0, 1, 2) - at(0, 0, 2), at(1, 0, 0) - at(0, 0, 0), at(1, 0, 2) - at(0, 0, 2)];
        expect(Math.abs(rx) + Math.abs(bx)).toBe(1);
        expect(Math.abs(ry) + Math.abs(by)).toBe(1);
        for (let y = 0; y < 16; y++)
          for (let x = 0; x < 16; x++) expect([at(y, x, 0), at(y, x, 2)]).toEqual([at(0, 0, 0) + x * rx + y * ry, at(0, 0, 2) + x * bx + y * by]);
      }
      // the conditioning is the generator's output at the target's place: on the position ramps it is
      // within a few levels of them (measured 3-4; the kept centre shifted by the generator's context,
      // 15 LR px = 60 HR px, would be ~60 levels off)
      let rampErr = 0;
      for (let i = 0; i < hr.length; i += 3) rampErr += Math.abs(hr[i] - sr[i]) + Math.abs(hr[i + 2] - sr[i + 2]);
      expect((rampErr / (hr.length / 3) / 2) * 255).toBeLessThan(8);
      // and the checkerboard leaves a residual to learn
      let residual = 0;
      for (let i = 1; i < hr.length; i += 3) residual += Math.abs(hr[i] - sr[i]);
      expect(residual / (hr.length / 3)).toBeGreaterThan(0.01);
    });
  }
});
