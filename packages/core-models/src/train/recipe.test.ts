import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../backend';
import { GraphBuilder } from '../graph';
import { createModel } from '../model';
import { decodeTensors, loadWeights } from '../weights';
import { Trainer, cosineSchedule } from './trainer';
import { runParallel } from './parallel';
import { BaseConfig, Recipe, registerRecipe, getRecipe, recipeNames, resolveConfig, parseTrainArgs, trainRecipe, gitCommit, recipesHelp } from './recipe';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'diffgan-recipe-'));

// The task runs inside worker threads, which load the built package (dist), so it is plain JS.
const taskModule = path.join(tmp(), 'task.js');
fs.writeFileSync(
  taskModule,
  `
const core = require(${JSON.stringify(path.resolve(__dirname, '..', '..', 'dist', 'index.js'))});
exports.createTask = (config) => ({
  phases: ['g'],
  sampleBatch(rng, n) { return { x: { data: rng.normalArray(n * 4 * 4 * 2), shape: [n, 4, 4, 2] } }; },
  objective: (e) => e.ops.mean(e.ops.abs(e.ops.sub(e.run('g', { x: e.input('x') }), e.ops.mul(e.input('x'), config.target)))),
});
`,
);

const tinySpec = () => {
  const g = new GraphBuilder('tiny');
  g.output('y', g.conv(g.input('x', 'image', 2), 2));
  return g.build();
};

interface TinyConfig extends BaseConfig {
  lr: number;
  target: number;
  note: string;
  ema: boolean;
}
const tiny: Recipe<TinyConfig> = registerRecipe<TinyConfig>({
  name: 'test-tiny',
  summary: 'a 1-conv regression (recipe tests)',
  defaults: { steps: 100, batch: 4, seed: 0, lr: 1e-3, target: 0.5, note: 'x', ema: true, checkpointEvery: 50, logEvery: 10 },
  help: {
    steps: 'total steps',
    batch: 'batch',
    seed: 'seed',
    lr: 'Adam lr',
    target: 'the regression target factor',
    note: 'a string key',
    ema: 'export the EMA copy',
    checkpointEvery: 'steps between checkpoints',
    logEvery: 'steps between log lines',
  },
  check: (c) => (c.target > 1 ? `target ${c.target} > 1` : undefined),
  groups: (c) => ({ g: { model: createModel(tinySpec(), c.seed), adam: { lr: c.lr }, ema: 0.9 } }),
  phases: () => ['g'],
  task: (c) => ({ module: taskModule, config: { target: c.target } }),
  lrSchedule: () => cosineSchedule(1, 0.1),
  exports: { tiny_weights: { group: 'g', ema: true } },
  manifest: () => ({ version: '1', data: 'normal noise', notes: 'test' }),
  // a net config under `config` (as image-sr's): the recipe's own config does not overwrite it
  meta: () => ({ what: 'tiny', config: { net: 1 } }),
});

test('registry: names in order, a name registered twice or a config key that is a command option is an error', () => {
  expect(recipeNames()).toContain('test-tiny');
  expect(getRecipe('test-tiny')).toBe(tiny);
  expect(() => getRecipe('test-tinny')).toThrow("unknown recipe 'test-tinny' (did you mean test-tiny?); diffgan train --help lists them");
  expect(() => registerRecipe({ ...tiny })).toThrow("recipe 'test-tiny' is registered twice");
  expect(() => registerRecipe({ ...tiny, name: 'test-bad', defaults: { ...tiny.defaults, workers: 2 }, help: { ...tiny.help, workers: 'w' } })).toThrow(
    "config key 'workers' is a train command option",
  );
  expect(recipesHelp()).toMatch(/\n {2}test-tiny +a 1-conv regression \(recipe tests\)\n/);
});

test('config: defaults, then each layer in order; unknown key, wrong type, fraction and the recipe check are one-line errors', () => {
  expect(resolveConfig(tiny)).toEqual(tiny.defaults);
  expect(
    resolveConfig(tiny, [
      { source: 'a.json', values: { steps: 7, lr: 0.01 } },
      { source: 'command line', values: { lr: 0.02 } },
    ]),
  ).toMatchObject({ steps: 7, lr: 0.02, batch: 4 });
  expect(() => resolveConfig(tiny, [{ source: 'a.json', values: { stpes: 7 } }])).toThrow("a.json: test-tiny has no config key 'stpes' (did you mean steps?)");
  expect(() => resolveConfig(tiny, [{ source: 'a.json', values: { steps: '7' } }])).toThrow('a.json: \'steps\' must be a number, got "7"');
  expect(() => resolveConfig(tiny, [{ source: 'a.json', values: { ema: 1 } }])).toThrow("a.json: 'ema' must be a boolean, got 1");
  expect(() => resolveConfig(tiny, [{ source: 'a.json', values: { steps: 2.5 } }])).toThrow("test-tiny: 'steps' must be a whole number ≥ 1, got 2.5");
  expect(() => resolveConfig(tiny, [{ source: 'a.json', values: { target: 2 } }])).toThrow('test-tiny: target 2 > 1');
});

test('command line: --config file under --key=value; --help lists every key with its default; errors name the option', () => {
  const dir = tmp(),
    file = path.join(dir, 'c.json');
  fs.writeFileSync(file, JSON.stringify({ $comment: 'notes are not config', steps: 30, lr: 0.005 }));
  const p = parseTrainArgs(['test-tiny', '--config', file, '--lr=0.002', '--ema=false', '--note', 'y', '--run', dir, '--runtime', 'tfjs', '--workers', '1'])!;
  expect(p.config).toEqual({ ...tiny.defaults, steps: 30, lr: 0.002, ema: false, note: 'y' });
  expect(p.run).toMatchObject({ run: dir, out: undefined, runtime: { runtime: 'tfjs', workers: 1, threads: 1, ep: 'cpu' } });
  expect(() => parseTrainArgs(['test-tiny', '--lr=abc'])).toThrow('invalid value for --lr: abc');
  expect(() => parseTrainArgs(['test-tiny', '--stesp=3'])).toThrow(/^unknown option --stesp .*did you mean --steps\?\)$/);
  fs.writeFileSync(file, JSON.stringify({ seed: 'one' }));
  expect(() => parseTrainArgs(['test-tiny', '--config', file])).toThrow(`${file}: 'seed' must be a number, got "one"`);
  expect(() => parseTrainArgs(['test-tiny', '--config', path.join(dir, 'none.json')])).toThrow('none.json: no such config file');
  let out = '';
  expect(
    parseTrainArgs(['test-tiny', '--help'], {
      write: (s) => {
        out += s;
      },
    }),
  ).toBeUndefined();
  expect(out).toMatch(/--steps N +total steps \(default 100\)/);
  expect(out).toMatch(/--ema true\|false +export the EMA copy \(default true\)/);
  out = '';
  parseTrainArgs(['--help'], {
    write: (s) => {
      out += s;
    },
  });
  expect(out).toContain('  test-tiny');
  expect(() => parseTrainArgs([])).toThrow('which recipe? (diffgan train --help lists them)');
});

test('gitCommit: HEAD inside a checkout, "unknown" outside one', () => {
  expect(gitCommit(__dirname)).toMatch(/^[0-9a-f]{40}$/);
  expect(gitCommit(fs.mkdtempSync(path.join(os.tmpdir(), 'no-git-')))).toBe('unknown');
});

test('scheduleSteps: the learning rate decays over it, training stops at steps', () => {
  const opts = {
    dir: tmp(),
    steps: 10,
    seed: 0,
    groups: { g: { model: createModel(tinySpec(), 0), adam: { lr: 1 } } },
    lrSchedule: cosineSchedule(1, 0.1),
    progress: false,
  };
  const long = new Trainer({ ...opts, scheduleSteps: 40 }),
    plain = new Trainer({ ...opts, dir: tmp() });
  long.step = plain.step = 10;
  expect(long.lrScale()).toBeCloseTo(cosineSchedule(1, 0.1)(10, 40), 12);
  expect(plain.lrScale()).toBeCloseTo(0.1, 12);
});

test('smoke: the recipe trains 2 steps from a tiny config and exports a manifest holding the resolved config and the commit', async () => {
  const dir = tmp();
  const p = parseTrainArgs(['test-tiny', '--steps=2', '--batch=2', '--run', dir, '--runtime', 'tfjs', '--workers', '1'])!;
  const r = await trainRecipe(p.recipe, p.config, { ...p.run, progress: false, log: () => {} }, 'diffgan train test-tiny --steps=2 --batch=2');
  expect(r).toEqual({ steps: 2, exported: ['tiny_weights'], message: `${dir}: test-tiny trained 2 steps; weights tiny_weights in ${dir}` });
  const { manifest } = loadWeights(path.join(dir, 'tiny_weights.manifest.json'));
  expect(manifest.training).toEqual(
    expect.objectContaining({
      recipe: 'test-tiny',
      config: { ...tiny.defaults, steps: 2, batch: 2 },
      commit: gitCommit(),
      command: 'diffgan train test-tiny --steps=2 --batch=2',
      steps: 2,
      data: 'normal noise',
      notes: 'test',
    }),
  );
  const { meta } = decodeTensors(fs.readFileSync(path.join(dir, 'checkpoint.dgw')));
  expect(meta.meta).toEqual({
    what: 'tiny',
    config: { net: 1 },
    recipe: 'test-tiny',
    recipeConfig: { ...tiny.defaults, steps: 2, batch: 2 },
    commit: gitCommit(),
    command: 'diffgan train test-tiny --steps=2 --batch=2',
    batch: 2,
  });
}, 60000);

test("a task whose phases are not the recipe's is refused before any worker starts", async () => {
  const tr = new Trainer({ dir: tmp(), steps: 1, groups: { g: { model: createModel(tinySpec(), 0), adam: { lr: 1e-3 } } }, progress: false });
  await expect(runParallel(tr, { taskModule, taskConfig: { target: 0.5 }, batchSize: 2, workers: 1, runtime: 'tfjs', phases: ['d', 'g'] })).rejects.toThrow(
    'task.js: the task updates g per step, not d, g',
  );
});

describe('a run that fails before writing anything leaves no folder behind (#28)', () => {
  const failing = (writeFirst: boolean) =>
    ({
      name: 'fails-on-data',
      async train(_c: BaseConfig, o: { run: string }) {
        // as the seed table's recipes do: <run>/<model>/seed<S>/
        fs.mkdirSync(path.join(o.run, 'gan', 'seed0'), { recursive: true });
        if (writeFirst) fs.writeFileSync(path.join(o.run, 'gan', 'seed0', 'log.jsonl'), '{"step":1}\n');
        throw new Error('no data at /nowhere');
      },
    }) as unknown as Recipe;

  test('the run folder and the parents it created are removed; the folder that existed stays', async () => {
    const root = tmp();
    const run = path.join(root, 'runs', 'seed-table');
    await expect(trainRecipe(failing(false), {} as BaseConfig, { run })).rejects.toThrow('no data at /nowhere');
    expect(fs.readdirSync(root)).toEqual([]);
  });

  test('a folder that holds anything stays (and so do its parents)', async () => {
    const root = tmp();
    const run = path.join(root, 'runs', 'x');
    await expect(trainRecipe(failing(true), {} as BaseConfig, { run })).rejects.toThrow('no data at /nowhere');
    expect(fs.readFileSync(path.join(run, 'gan', 'seed0', 'log.jsonl'), 'utf8')).toBe('{"step":1}\n');
  });

  test('a run folder that existed stays (a resumed run)', async () => {
    const run = tmp();
    await expect(trainRecipe(failing(false), {} as BaseConfig, { run })).rejects.toThrow('no data at /nowhere');
    expect(fs.readdirSync(run)).toEqual(['gan']);
  });
});
