/**
 * diffgan: sample | train | eval — the generic command line over @diffgan/core-models,
 * @diffgan/seed-table (sample) and @diffgan/eval (eval). The bin shim (bin/diffgan.js) calls main(argv).
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError, Rng, defineCommand, commandsHelp, checkOutputPath } from '@diffgan/core-models';
import { readImage, imresize, PixelImage } from '@diffgan/image';
import { FeatureExtractor, fid, kid, precisionRecall } from '@diffgan/eval';
import {
  familyByName,
  loadNets,
  disposeNets,
  sampleMany,
  writeSampleGrid,
  hostDdpm,
  hostDdim,
  hostDenoiser,
  ddpmSchedule,
  DDPM_T,
  PIXELS,
} from '@diffgan/seed-table';
import { trainCommand, trainCmd } from './train';

const MODELS = 'gan | ddpm | diffgan (= diffgan4) | diffgan2 | diffgan4 | pipeline, or a seed-table ablation (diffgan4-dbase, ...)';

class Usage extends DiffganError {}

const usage = (m: string) => new Usage(m);

const sampleCommand = defineCommand({
  name: 'diffgan sample',
  error: usage,
  summary: 'draw images from a trained model into a grid PNG',
  usage: '--model <model> [--steps N] [-n 64] [-o grid.png] [--run DIR] [--seed S] [--train-seed K]',
  options: {
    model: { type: 'string', placeholder: 'M', help: MODELS },
    steps: {
      type: 'integer',
      min: 1,
      help: 'ddpm: sampling steps (default 1000 = ancestral DDPM; with --sampler ddim default 50)\ndiffgan: 2 or 4 picks the model trained with that many steps (default 4)',
    },
    sampler: { type: 'enum', choices: ['ddpm', 'ddim'], help: 'ddpm only: ddpm (default) or ddim' },
    n: { type: 'integer', min: 1, max: 10000, default: 64, help: 'number of images' },
    out: { type: 'string', alias: 'o', placeholder: 'FILE', default: 'grid.png', help: 'output PNG grid, 8 columns' },
    run: { type: 'string', placeholder: 'DIR', default: 'runs/seed-table', help: "run directory of 'diffgan train' / the seed table" },
    'train-seed': { type: 'integer', min: 0, default: 0, placeholder: 'K', help: "which training seed's weights to use: <run>/<model>/seed<K>/" },
    seed: { type: 'integer', default: 0, placeholder: 'S', help: 'sampling seed' },
  },
  epilog: 'Sampling runs on onnxruntime-node (tfjs if ORT is missing).',
});

const evalCommand = defineCommand({
  name: 'diffgan eval',
  error: usage,
  summary: 'distribution metrics between two image folders (eval fid <dirA> <dirB>)',
  usage: 'fid <dirA> <dirB> [--limit N] [--no-kid]',
  description: `FID (plus KID and k-NN precision/recall) between the images of two folders (png, jpg, webp,
gif, tif), on the 128-d features of the MNIST feature classifier shipped in @diffgan/eval.
The features are meant for 28x28 grayscale digits, white on black (MNIST polarity): other
images are converted to grayscale and resized (bicubic) to 28x28, with a warning; the
numbers then say little about natural images.`,
  positionals: [
    { name: 'metric', help: 'the metric, fid' },
    { name: 'dirA', help: 'the folder <dirA>' },
    { name: 'dirB', help: 'the folder <dirB>' },
  ],
  options: {
    limit: { type: 'integer', min: 2, help: 'use at most the first N images of each folder (sorted by name)' },
    'no-kid': { type: 'boolean', help: 'skip KID' },
  },
});

const HELP = commandsHelp('diffgan', 'sample | train | eval over @diffgan/core-models and @diffgan/eval', [sampleCommand, trainCommand, evalCommand]);

export async function main(argv: string[]): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    switch (cmd) {
      case 'sample':
        await sampleCmd(rest);
        break;
      case 'train':
        await trainCmd(rest);
        break;
      case 'eval':
        await evalCmd(rest);
        break;
      default:
        throw new Usage(`unknown command '${cmd}' (sample, train, eval; see diffgan --help)`);
    }
    return 0;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    process.stderr.write(`diffgan: ${msg}\n`);
    if (process.env.DIFFGAN_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 1;
    return 1;
  }
}

function family(name: string | undefined) {
  if (!name) throw new Usage(`which model? (${MODELS})`);
  const f = familyByName(name);
  if (!f) throw new Usage(`unknown model '${name}' (${MODELS})`);
  return f;
}

async function sampleCmd(argv: string[]): Promise<void> {
  const a = sampleCommand.parse(argv);
  if (a.help) {
    process.stdout.write(sampleCommand.help());
    return;
  }
  let name = a.model;
  const steps = a.steps;
  if (name === 'diffgan' && steps !== undefined) {
    if (steps !== 2 && steps !== 4) throw new Usage('diffgan was trained with 2 or 4 steps: --steps 2 or --steps 4');
    name = `diffgan${steps}`;
  }
  const fam = family(name);
  const n = a.n;
  const out = path.resolve(a.out);
  checkOutputPath(out, { extensions: ['.png'] });
  const dir = path.resolve(a.run, fam.id, `seed${a['train-seed']}`);
  const seed = a.seed;
  const samplerName = a.sampler ?? 'ddpm';
  let sampler = fam.samplers[0];
  if (fam.id === 'ddpm') {
    const k = steps ?? (samplerName === 'ddim' ? 50 : DDPM_T);
    if (k > DDPM_T) throw new Usage(`--steps must be at most ${DDPM_T}`);
    sampler = {
      id: `${samplerName}-${k}`,
      label: `${samplerName} ${k}`,
      nfe: k,
      sample: (nets, m, rng) =>
        samplerName === 'ddim'
          ? hostDdim(hostDenoiser(nets.den, m, DDPM_T), ddpmSchedule(), m, rng, { steps: k, clip: [-1, 1] })
          : hostDdpm(hostDenoiser(nets.den, m, DDPM_T), ddpmSchedule(), m, rng, { steps: k, clip: [-1, 1] }),
    };
  } else if (steps !== undefined && !fam.id.startsWith('diffgan')) throw new Usage(`--steps does not apply to ${fam.id} (one-shot sampling)`);
  else if (a.sampler !== undefined) throw new Usage('--sampler applies to ddpm only');
  const { nets, runtime } = await loadNets(fam, dir);
  const t0 = Date.now();
  const x = await sampleMany(sampler, nets, n, new Rng(seed));
  const sec = (Date.now() - t0) / 1000;
  await disposeNets(nets);
  await writeSampleGrid(out, x, Math.min(8, n));
  process.stdout.write(`${out}: ${n} samples of ${fam.id} (${sampler.id}, ${sampler.nfe} network calls each) in ${sec.toFixed(1)} s on ${runtime}\n`);
}

const IMAGE_EXT = /\.(png|jpe?g|webp|gif|tiff?|avif)$/i;

/** A folder's images as 28x28 grayscale in [-1, 1]; warns once about converted images. */
export async function loadFolder(dir: string, limit = Infinity): Promise<Float32Array> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new DiffganError(`${dir}: not a folder`);
  const files = fs
    .readdirSync(dir)
    .filter((f) => IMAGE_EXT.test(f))
    .sort()
    .slice(0, limit);
  if (files.length < 2) throw new DiffganError(`${dir}: needs at least 2 images, found ${files.length}`);
  const out = new Float32Array(files.length * PIXELS);
  let colour = 0,
    resized = 0;
  for (let k = 0; k < files.length; k++) {
    let img: PixelImage;
    try {
      img = await readImage(path.join(dir, files[k]));
    } catch {
      throw new DiffganError(`${path.join(dir, files[k])}: cannot decode`);
    }
    const g = toGray(img);
    if (img.channels >= 3) colour++;
    let p: PixelImage = g;
    if (g.width !== 28 || g.height !== 28) {
      p = imresize(g, { width: 28, height: 28, output: 'float' });
      resized++;
    }
    for (let i = 0; i < PIXELS; i++) out[k * PIXELS + i] = Math.max(0, Math.min(255, p.data[i])) / 127.5 - 1;
  }
  if (colour || resized)
    process.stderr.write(
      `diffgan: warning: ${dir}: ${colour} colour image(s) converted to grayscale, ${resized} resized to 28x28; the MNIST features are meant for 28x28 grayscale digits\n`,
    );
  return out;
}

function toGray(img: PixelImage): PixelImage<Float32Array> {
  const n = img.width * img.height,
    c = img.channels,
    out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = i * c;
    out[i] = c >= 3 ? 0.299 * img.data[p] + 0.587 * img.data[p + 1] + 0.114 * img.data[p + 2] : img.data[p];
  }
  return { data: out, width: img.width, height: img.height, channels: 1 };
}

async function evalCmd(argv: string[]): Promise<void> {
  if (!argv.length) {
    process.stdout.write(evalCommand.help());
    throw new Usage('which metric? (diffgan eval fid <dirA> <dirB>)');
  }
  const a = evalCommand.parse(argv);
  if (a.help) {
    process.stdout.write(evalCommand.help());
    return;
  }
  const [metric, dirA, dirB] = a._;
  if (metric !== 'fid') throw new Usage(`unknown metric '${metric}' (only 'fid', which also prints KID and precision/recall)`);
  const limit = a.limit ?? Infinity;
  const [xa, xb] = [await loadFolder(dirA, limit), await loadFolder(dirB, limit)];
  const fx = await FeatureExtractor.load();
  const fa = await fx.features(xa),
    fb = await fx.features(xb);
  await fx.dispose();
  const lines = [`FID ${fid(fa, fb).toFixed(3)}  (${fa.count} vs ${fb.count} images, MNIST classifier features, 128-d)`];
  if (!a['no-kid']) {
    const m = Math.min(1000, fa.count, fb.count);
    const k = kid(fa, fb, { subsets: 20, subsetSize: m });
    lines.push(`KID ${k.mean.toExponential(3)} ± ${k.std.toExponential(2)}  (20 subsets of ${m})`);
  }
  if (Math.min(fa.count, fb.count) > 3) {
    const pr = precisionRecall(fa, fb);
    lines.push(`precision ${pr.precision.toFixed(3)}  recall ${pr.recall.toFixed(3)}  (${dirB} judged against ${dirA} as the real set, k = 3)`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}
