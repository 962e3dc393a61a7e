/**
 * Where `--model auto` should switch from the fidelity to the real generator: both models on
 * JPEGs of every quality, on photographs that are in no training or evaluation set here.
 *
 *   node packages/image-sr/dist/bench-auto.js --photos DIR [--scale 4] [--real-weights DIR]
 *
 * DIR holds photographs (JPEG or PNG, the larger the better: each is area-downscaled by 2 to
 * shed its own compression, and its central 512x512 is the HR). LR = MATLAB bicubic / scale,
 * then JPEG at each quality (sharp, 4:2:0) or none; PSNR-Y under the main table's protocol.
 * The photos used for the README: the KDE wallpapers that are photographs (Debian package
 * plasma-workspace-wallpapers 5.27.5-2, LGPLv3: `apt-get download plasma-workspace-wallpapers`,
 * usr/share/wallpapers/NAME/contents/images/2560x1600.jpg for BytheWater, ColdRipple,
 * DarkestHour, EveningGlow, FallenLeaf, Grey, Kite, OneStandsOut, Path, summer_1am).
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { defineCommand, DiffganError } from '@diffgan/core-models';
import { makeSrPair, bicubicUpscale, psnrY } from '@diffgan/eval';
import { createUpscaler, Scale } from './upscale';
import { sharpJpeg } from './bench-degraded';
import type { Img } from './bench-common';

export const QUALITIES = [30, 40, 50, 60, 70, 80, 85, 90, 95];

const command = defineCommand({
  name: 'bench-auto',
  usage: '--photos DIR [--scale 2|4] [--real-weights DIR]',
  summary: 'Fidelity vs real generator over JPEG qualities, on photographs outside every data set here.',
  options: {
    photos: { type: 'string', placeholder: 'DIR', help: 'folder of photographs (JPEG/PNG)' },
    scale: { type: 'integer', choices: [2, 4], default: 4, help: 'upscaling factor' },
    'real-weights': { type: 'string', placeholder: 'DIR', help: 'folder holding sr_real_x<scale> (default: the shipped weights)' },
    crop: { type: 'integer', min: 64, default: 512, help: 'HR crop side, pixels' },
  },
});

async function loadPhoto(file: string, crop: number): Promise<Img> {
  const meta = await sharp(file).metadata();
  const w = Math.floor((meta.width ?? 0) / 2),
    h = Math.floor((meta.height ?? 0) / 2);
  const half = sharp(file).rotate().removeAlpha().resize(w, h, { kernel: 'cubic' });
  const side = Math.min(crop, w, h);
  const { data, info } = await sharp(await half.png().toBuffer())
    .extract({ left: Math.floor((w - side) / 2), top: Math.floor((h - side) / 2), width: side, height: side })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}

export async function main(argv: string[]): Promise<void> {
  const a = command.parse(argv);
  if (a.help) return void process.stdout.write(command.help());
  if (!a.photos || !fs.existsSync(a.photos)) throw new DiffganError('--photos DIR: a folder of photographs is required');
  const scale = a.scale as Scale;
  const files = fs
    .readdirSync(a.photos)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort();
  const fidelity = await createUpscaler({ scale, threads: 0 });
  const real = await createUpscaler({ scale, model: 'real', threads: 0, weightsDir: a['real-weights'] });
  const sum: Record<string, { bicubic: number; fidelity: number; real: number }> = {};
  try {
    for (const f of files) {
      const { hr, lr } = makeSrPair(await loadPhoto(path.join(a.photos, f), a.crop), scale);
      for (const q of [0, ...QUALITIES]) {
        const input = q ? await sharpJpeg(lr, q) : lr;
        const key = q ? `JPEG ${q}` : 'none (PNG)';
        const s = (sum[key] ??= { bicubic: 0, fidelity: 0, real: 0 });
        s.bicubic += psnrY(bicubicUpscale(input, scale), hr, scale) / files.length;
        s.fidelity += psnrY((await fidelity.upscale(input)) as Img, hr, scale) / files.length;
        s.real += psnrY((await real.upscale(input)) as Img, hr, scale) / files.length;
      }
      process.stderr.write(`${f} done\n`);
    }
  } finally {
    await fidelity.dispose();
    await real.dispose();
  }
  const rows = Object.entries(sum).map(
    ([k, s]) =>
      `| ${k} | ${s.bicubic.toFixed(2)} | ${s.fidelity.toFixed(2)} | ${s.real.toFixed(2)} | ${(s.real - s.fidelity >= 0 ? '+' : '') + (s.real - s.fidelity).toFixed(2)} |`,
  );
  process.stdout.write(
    `x${scale}, ${files.length} photographs, mean PSNR-Y (dB)\n\n| LR compression | bicubic | fidelity | real | real − fidelity |\n|---|---:|---:|---:|---:|\n${rows.join('\n')}\n`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`bench-auto: ${e instanceof DiffganError ? e.message : e.stack}\n`);
    process.exit(1);
  });
}
