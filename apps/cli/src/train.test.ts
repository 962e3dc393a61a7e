/**
 * `diffgan train` over every package's recipes, and the record of every shipped weight: its
 * manifest's training.command parses as diffgan train commands, names its package's
 * configs/<weights>.json, and that config holds the steps and batch the manifest records.
 */
import * as fs from 'fs';
import * as path from 'path';
import { findRepoRoot } from '@diffgan/core-models';
import { getRecipe, parseTrainArgs, recipeNames, readConfigFile } from '@diffgan/core-models/train';
import { loadRecipes } from './train';
import { main } from './cli';

const ROOT = findRepoRoot(__dirname)!;

beforeAll(async () => {
  await loadRecipes();
});

function shippedManifests(): { pkg: string; file: string; manifest: { name: string; training: { command: string; steps: number; notes?: string } } }[] {
  const out = [];
  for (const pkg of fs.readdirSync(path.join(ROOT, 'packages'))) {
    const dir = path.join(ROOT, 'packages', pkg, 'weights');
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.manifest.json'))) {
      out.push({ pkg, file: path.join(dir, f), manifest: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) });
    }
  }
  return out;
}

/** The `diffgan train` invocations of a shell command line (`a && b`), as argv lists; config paths resolved from the repo root. */
function trainInvocations(command: string): string[][] {
  return command
    .split(' && ')
    .filter((c) => c.startsWith('diffgan train '))
    .map((c) => {
      const argv = c.slice('diffgan train '.length).split(/\s+/);
      const k = argv.indexOf('--config');
      if (k >= 0) argv[k + 1] = path.join(ROOT, argv[k + 1]);
      return argv;
    });
}

test("diffgan train --help lists every shipped model's recipe, one line each", async () => {
  const out: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out.push(String(s));
    return true;
  });
  try {
    expect(await main(['train', '--help'])).toBe(0);
  } finally {
    spy.mockRestore();
  }
  const text = out.join('');
  const names = [
    'sr-x2',
    'sr-x4',
    'sr-refiner-x4',
    'sr-refiner-x2',
    'sr-real-refiner-x4',
    'sr-real-refiner-x2',
    'interp',
    'interp-ifnet',
    'tts-acoustic',
    'tts-vocoder',
    'tts-denoiser',
    'gan',
    'ddpm',
    'diffgan2',
    'diffgan4',
    'pipeline',
    'mnist-classifier',
    'fashion-mnist-classifier',
  ];
  for (const n of names) expect(text).toMatch(new RegExp(`\\n  ${n} +\\S.*\\n`));
  expect(recipeNames().length).toBe(text.split('\n').filter((l) => /^ {2}\S/.test(l)).length);
});

test('every shipped weight: its command is diffgan train with its configs/<weights>.json, whose steps and batch are the recorded ones', () => {
  const shipped = shippedManifests();
  expect(shipped.map((s) => s.manifest.name).sort()).toEqual([
    'acoustic',
    'denoiser',
    'fashion-mnist-classifier',
    'interp_g',
    'interp_ifnet',
    'interp_refiner',
    'mnist-classifier',
    'sr_generator_x2',
    'sr_generator_x4',
    'sr_real_refiner_x2',
    'sr_real_refiner_x4',
    'sr_real_x2',
    'sr_real_x4',
    'sr_refiner_x2',
    'sr_refiner_x4',
    'vocoder',
  ]);
  for (const { pkg, file, manifest } of shipped) {
    const runs = trainInvocations(manifest.training.command);
    expect([file, runs.length > 0]).toEqual([file, true]);
    const parsed = runs.map((argv) => parseTrainArgs(argv)!);
    const last = parsed[parsed.length - 1],
      argv = runs[runs.length - 1];
    // the last invocation names the weights' own config, in the package that ships them
    const config = argv[argv.indexOf('--config') + 1];
    expect(config).toBe(path.join(ROOT, 'packages', pkg, 'configs', `${manifest.name}.json`));
    // the config holds every key of its recipe (a changed default cannot change what it reproduces)
    const values = readConfigFile(config).values;
    expect(Object.keys(values).sort()).toEqual(Object.keys(getRecipe(last.recipe.name).defaults).sort());
    expect([manifest.name, last.config.steps]).toEqual([manifest.name, manifest.training.steps]);
    const batch = /batch (\d+)/.exec(manifest.training.notes ?? '');
    expect([manifest.name, batch && Number(batch[1])]).toEqual([manifest.name, last.config.batch]);
    // every invocation of a multi-stage run trains the same recipe
    for (const p of parsed) expect(p.recipe).toBe(last.recipe);
  }
});

test('the runs that trained on tfjs-wasm say --runtime tfjs; the ones on onnxruntime do not', () => {
  // on onnxruntime: the fashion-mnist classifier, both stages of interp_ifnet (#25), the real-photo generators, their refiners and the
  // second refiners (#24), and the second stages of the acoustic model (#26) and the x2 and x4 generators (#24)
  const onnxruntime = (name: string, invocation: number, count: number): boolean =>
    name === 'fashion-mnist-classifier' ||
    name === 'interp_ifnet' ||
    name === 'sr_real_x2' ||
    name === 'sr_real_x4' ||
    name === 'sr_real_refiner_x2' ||
    name === 'sr_real_refiner_x4' ||
    name === 'sr_refiner_x2' ||
    name === 'sr_refiner_x4' ||
    ((name === 'acoustic' || name === 'sr_generator_x2' || name === 'sr_generator_x4') && invocation === count - 1);
  for (const { manifest } of shippedManifests()) {
    const runs = trainInvocations(manifest.training.command);
    runs.forEach((argv, i) =>
      expect([manifest.name, i, parseTrainArgs(argv)!.run.runtime!.runtime]).toEqual([
        manifest.name,
        i,
        onnxruntime(manifest.name, i, runs.length) ? undefined : 'tfjs',
      ]),
    );
  }
});
