/**
 * Recipes: everything that trains a model, registered by name (BasicSR's registry) with a
 * plain config of defaults (nanoGPT's config): the trainer groups (a model + Adam, EMA), the
 * phases one step updates, the task module that samples batches and holds the objective, the
 * learning-rate schedule, and which groups are exported as weights. One command trains any
 * of them: `diffgan train <recipe> [--config file.json] [--key=value ...]` (trainMain); the
 * resolved config and the git commit go into the checkpoint and every exported manifest.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError } from '../errors';
import { initBackend } from '../backend';
import { tf } from '../tf';
import { paramCount, disposeModel, Model } from '../model';
import { saveWeights, loadWeights } from '../weights';
import { checkAgainstSpec } from '../codec';
import { closestName, resolveRuntimeOptions, runtimeLabel, TRAIN_RUNTIME_OPTIONS, TrainRuntimeValues } from '../cli-args';
import { defineCommand, Command, OptionSpec } from '../cli/command';
import { Trainer, GroupConfig } from './trainer';
import { runParallel, TaskFactory } from './parallel';
import type { Runner } from '../onnx/runner';
import type { Rng } from '../rng';

/** A config value: its default's type is the key's type. */
export type ConfigValue = number | string | boolean;
/** Every recipe's config has these: where training stops, the global batch and the seed (initialisation and data). */
export interface BaseConfig {
  steps: number;
  batch: number;
  seed: number;
  [key: string]: ConfigValue;
}

/** What a recipe's run writes beside the weights: which recipe, its resolved config, the commit and the command line. */
export interface TrainingRecord {
  recipe: string;
  config: BaseConfig;
  commit: string;
  command: string;
}

/** One sampler of a recipe's exported nets (name → runner): n samples, flat. */
export interface RecipeSampler {
  id: string;
  label: string;
  nfe: number;
  sample(nets: Record<string, Runner>, n: number, rng: Rng): Promise<Float32Array>;
}

export interface RecipeRunOptions {
  /** the run folder: checkpoint.dgw, log.jsonl (resumed from when it exists) */
  run: string;
  /** where exported weights go (default: the run folder) */
  out?: string;
  /** --runtime/--threads/--ep/--workers as parsed (TRAIN_RUNTIME_OPTIONS) */
  runtime?: TrainRuntimeValues;
  progress?: boolean;
  /** one-line notices (default stderr) */
  log?: (line: string) => void;
}

export interface RecipeResult {
  steps: number;
  exported: string[];
  /** what the command prints when done (default: the run, its steps and exports) */
  message?: string;
}

export interface Recipe<C extends BaseConfig = BaseConfig> {
  name: string;
  /** one line for `diffgan train --help` */
  summary: string;
  /** the run folder when --run is not given (default runs/<name>) */
  defaultRun?: string;
  /** the config and its defaults (plain values) */
  defaults: C;
  /** one help line per config key */
  help: { [K in keyof C]: string };
  /** a resolved config's problem beyond its types (a range, a combination), or undefined */
  check?(c: C): string | undefined;
  /** trainer groups: model, Adam, EMA */
  groups(c: C): Record<string, GroupConfig>;
  /** groups updated each step, in order (the task module's phases; checked when training starts) */
  phases(c: C): string[];
  /** the module whose createTask samples batches (main thread) and holds the objective (workers), and its config */
  task(c: C): { module: string; config: unknown };
  lrSchedule?(c: C): (step: number, total: number) => number;
  /** extra facts for the checkpoint's meta (the run's export reads some back) */
  meta?(c: C): Record<string, unknown>;
  /** weights written after training: weights name → trainer group and whether its EMA copy ships */
  exports: Record<string, { group: string; ema: boolean }>;
  /** manifest fields of one export */
  manifest?(c: C, name: string): { version?: string; config?: Record<string, unknown>; data: string; notes?: string; licence?: string };
  /** replaces the generic export (a recipe that measures or reshapes its weights first) */
  exportWeights?(tr: Trainer, c: C, out: string, training: TrainingRecord & { steps: number; wallClock: string }): Promise<string[]> | string[];
  /** replaces the generic Trainer + runParallel loop (the seed table: wall-clock budgets, train.json) */
  train?(c: C, o: RecipeRunOptions, training: TrainingRecord): Promise<RecipeResult>;
  /** how the exported nets are sampled, for recipes that are sampled generically */
  samplers?: readonly RecipeSampler[];
}

/** Keys a config may not use: they are the train command's own options. */
const COMMAND_OPTIONS = ['config', 'run', 'out', 'help', ...Object.keys(TRAIN_RUNTIME_OPTIONS)];
/** Config keys that must hold whole numbers when a recipe has them. */
const INTEGER_KEYS: Record<string, number> = { steps: 1, batch: 1, seed: 0, scheduleSteps: 0, checkpointEvery: 1, logEvery: 1 };

const registry = new Map<string, Recipe>();

/**
 * A recipe's `init`: overwrites a fresh model's parameters with a weights manifest's (same
 * architecture, checked), before the trainer copies them into its EMA.
 */
export function initModelFrom(model: Model, manifestPath: string): Model {
  if (!fs.existsSync(manifestPath)) throw new DiffganError(`init: weights manifest not found: ${manifestPath}`);
  const { weights } = loadWeights(manifestPath);
  checkAgainstSpec(model.spec, weights, manifestPath);
  for (const [name, v] of model.params) {
    const w = weights.get(name)!;
    v.assign(tf.tensor(w.data, w.shape));
  }
  return model;
}

/** Adds a recipe to the registry; a second recipe of the same name is an error (one definition per model). */
export function registerRecipe<C extends BaseConfig>(recipe: Recipe<C>): Recipe<C> {
  const have = registry.get(recipe.name);
  if (have === (recipe as unknown as Recipe)) return recipe;
  if (have) throw new DiffganError(`recipe '${recipe.name}' is registered twice`);
  if (!/^[a-z][a-z0-9-]*$/.test(recipe.name)) throw new DiffganError(`recipe name '${recipe.name}': lower case, digits and '-'`);
  for (const k of ['steps', 'batch', 'seed'])
    if (typeof recipe.defaults[k] !== 'number') throw new DiffganError(`recipe ${recipe.name}: config needs a number '${k}'`);
  for (const k of Object.keys(recipe.defaults)) {
    if (COMMAND_OPTIONS.includes(k)) throw new DiffganError(`recipe ${recipe.name}: config key '${k}' is a train command option`);
    if (!(k in recipe.help)) throw new DiffganError(`recipe ${recipe.name}: config key '${k}' has no help line`);
  }
  registry.set(recipe.name, recipe as unknown as Recipe);
  return recipe;
}

/** Every registered recipe's name, in registration order. */
export function recipeNames(): string[] {
  return [...registry.keys()];
}

/** The recipe of that name; an unknown name is a one-line error naming the closest one. */
export function getRecipe(name: string): Recipe {
  const r = registry.get(name);
  if (r) return r;
  const near = closestName(name, recipeNames());
  throw new DiffganError(`unknown recipe '${name}'${near ? ` (did you mean ${near}?)` : ''}; diffgan train --help lists them`);
}

/** A config layer: where its values come from (a file, the command line) and the values. */
export interface ConfigLayer {
  source: string;
  values: Record<string, unknown>;
}

/**
 * The recipe's defaults with each layer's values over them, in order. A key the recipe does not
 * have, or a value of another type than the key's default, is a one-line error naming the layer.
 */
export function resolveConfig<C extends BaseConfig>(recipe: Recipe<C>, layers: readonly ConfigLayer[] = []): C {
  const out: Record<string, ConfigValue> = { ...recipe.defaults };
  const keys = Object.keys(recipe.defaults);
  for (const { source, values } of layers) {
    for (const [k, v] of Object.entries(values)) {
      if (!(k in recipe.defaults)) {
        const near = closestName(k, keys);
        throw new DiffganError(`${source}: ${recipe.name} has no config key '${k}'${near ? ` (did you mean ${near}?)` : ''}`);
      }
      const want = typeof recipe.defaults[k];
      if (typeof v !== want || (want === 'number' && !Number.isFinite(v)))
        throw new DiffganError(`${source}: '${k}' must be a ${want}, got ${JSON.stringify(v)}`);
      out[k] = v as ConfigValue;
    }
  }
  for (const [k, min] of Object.entries(INTEGER_KEYS)) {
    const v = out[k];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < min))
      throw new DiffganError(`${recipe.name}: '${k}' must be a whole number ≥ ${min}, got ${v}`);
  }
  const problem = recipe.check?.(out as C);
  if (problem) throw new DiffganError(`${recipe.name}: ${problem}`);
  return out as C;
}

/** A config file's values (a JSON object); `$comment` keys are notes, not config. */
export function readConfigFile(file: string): ConfigLayer {
  let values: unknown;
  try {
    values = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DiffganError(
      `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such config file' : `not JSON (${(e as Error).message.split('\n')[0]})`}`,
    );
  }
  if (!values || typeof values !== 'object' || Array.isArray(values)) throw new DiffganError(`${file}: a config file holds one JSON object`);
  return { source: file, values: Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('$'))) };
}

/** The commit the working tree is at (`git rev-parse HEAD`), or "unknown" outside a git checkout or without git. */
export function gitCommit(cwd = process.cwd()): string {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    return /^[0-9a-f]{40}$/.test(out) ? out : 'unknown';
  } catch {
    return 'unknown';
  }
}

const optionOf = (value: ConfigValue, help: string): OptionSpec =>
  typeof value === 'number'
    ? { type: 'number', default: value, help }
    : typeof value === 'boolean'
      ? { type: 'enum', choices: ['true', 'false'], default: String(value), help }
      : { type: 'string', default: value, placeholder: 'VALUE', help };

/** The train command of one recipe: its config keys as options (with their defaults), --config, --run, --out and the runtime options. */
export function recipeCommand(recipe: Recipe, program = 'diffgan train'): Command<Record<string, OptionSpec>> {
  const keys: Record<string, OptionSpec> = {};
  for (const [k, v] of Object.entries(recipe.defaults)) keys[k] = optionOf(v, recipe.help[k]);
  return defineCommand({
    name: `${program} ${recipe.name}`,
    summary: recipe.summary,
    usage: '[--config FILE.json] [--key=value ...] [--run DIR] [--out DIR] [runtime options]',
    options: {
      config: { type: 'string', placeholder: 'FILE', help: 'a JSON object of config values (over the defaults; --key=value wins over it)' },
      run: {
        type: 'string',
        placeholder: 'DIR',
        help: `run folder: checkpoint.dgw and log.jsonl, resumed from (default ${recipe.defaultRun ?? `runs/${recipe.name}`})`,
      },
      out: { type: 'string', placeholder: 'DIR', help: 'where the trained weights and their manifests go (default: the run folder)' },
      ...TRAIN_RUNTIME_OPTIONS,
      ...keys,
    },
    epilog: `config keys (${Object.keys(keys).join(', ')}) are the options after --workers; the resolved config and the git commit are written into the checkpoint and every exported manifest.`,
  });
}

/** The list of recipes for `diffgan train --help`: one line each. */
export function recipesHelp(program = 'diffgan train'): string {
  const names = recipeNames();
  const width = Math.max(8, ...names.map((n) => n.length)) + 2;
  return `${[
    `usage: ${program} <recipe> [--config FILE.json] [--key=value ...] [--run DIR] [--out DIR] [--runtime R] [--threads N] [--ep NAME] [--workers W]`,
    `       ${program} <recipe> --help     the recipe's config keys and their defaults`,
    '',
    'Trains (or resumes) a registered recipe; every shipped weight has its config in <package>/configs/<weights>.json.',
    '',
    'recipes:',
    ...names.map((n) => `  ${n.padEnd(width)}${registry.get(n)!.summary}`),
  ].join('\n')}\n`;
}

/** Parses `<recipe> [--config FILE] [--key=value ...] [options]`: the recipe, its resolved config and the run options; undefined after printing help. */
export function parseTrainArgs(
  argv: readonly string[],
  o: { program?: string; write?: (s: string) => void } = {},
): { recipe: Recipe; config: BaseConfig; run: RecipeRunOptions } | undefined {
  const program = o.program ?? 'diffgan train',
    write = o.write ?? ((s: string) => process.stdout.write(s));
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h') {
    write(recipesHelp(program));
    return undefined;
  }
  if (!name) throw new DiffganError(`which recipe? (${program} --help lists them)`);
  if (name.startsWith('-')) throw new DiffganError(`which recipe? '${name}' comes before it (see ${program} --help)`);
  const recipe = getRecipe(name);
  const cmd = recipeCommand(recipe, program);
  const a = cmd.parse(rest);
  if (a.help) {
    write(cmd.help());
    return undefined;
  }
  const layers: ConfigLayer[] = [];
  if (a.config !== undefined) layers.push(readConfigFile(a.config as string));
  const given: Record<string, unknown> = {};
  for (const k of Object.keys(recipe.defaults)) {
    if (!a.given.has(k)) continue;
    given[k] = typeof recipe.defaults[k] === 'boolean' ? a[k] === 'true' : a[k];
  }
  layers.push({ source: 'command line', values: given });
  const config = resolveConfig(recipe, layers);
  const runtime: TrainRuntimeValues = {
    runtime: a.runtime as TrainRuntimeValues['runtime'],
    threads: a.threads as number,
    ep: a.ep as string,
    workers: a.workers as number | undefined,
  };
  const run = path.resolve((a.run as string | undefined) ?? recipe.defaultRun ?? path.join('runs', recipe.name));
  return { recipe, config, run: { run, out: a.out !== undefined ? path.resolve(a.out as string) : undefined, runtime } };
}

/**
 * Trains a recipe with a resolved config: a Trainer over its groups (resumed from the run's
 * checkpoint), data parallel through runParallel on its task module, then its exports written
 * with the resolved config, commit and command in each manifest's training block.
 */
export async function trainRecipe(recipe: Recipe, c: BaseConfig, o: RecipeRunOptions, command = `diffgan train ${recipe.name}`): Promise<RecipeResult> {
  // a run that fails before it writes anything (no data, a bad config) leaves no empty run folder behind
  const created = missingDirs(o.run);
  try {
    return await trainRecipeIn(recipe, c, o, command);
  } catch (e) {
    removeEmptyDirs(created);
    throw e;
  }
}

/** `dir` and those of its parents that do not exist yet, deepest first. */
export function missingDirs(dir: string): string[] {
  const out: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    out.push(d);
    if (path.dirname(d) === d) break;
  }
  return out;
}

/**
 * Removes the folders in `dirs` (deepest first, as missingDirs lists them) that hold no file: the
 * deepest with the empty folders under it (a recipe writes into <run>/<model>/seed<S>/), then each
 * parent while it is empty. Stops at the first folder that holds anything.
 */
export function removeEmptyDirs(dirs: readonly string[]): void {
  const prune = (d: string): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return true; // gone already
    }
    const emptied = entries.map((e) => e.isDirectory() && prune(path.join(d, e.name)));
    if (!emptied.every(Boolean)) return false;
    fs.rmdirSync(d);
    return true;
  };
  if (dirs.length === 0 || !prune(dirs[0])) return;
  for (const d of dirs.slice(1)) {
    try {
      fs.rmdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return; // not empty: keep it and its parents
    }
  }
}

async function trainRecipeIn(recipe: Recipe, c: BaseConfig, o: RecipeRunOptions, command: string): Promise<RecipeResult> {
  // the commit of the code that trains (this checkout), wherever the command runs from
  const training: TrainingRecord = { recipe: recipe.name, config: c, commit: gitCommit(__dirname), command };
  if (recipe.train) return recipe.train(c, o, training);
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const backend = await initBackend();
  const task = recipe.task(c);
  const createTask = (require(task.module) as { createTask: TaskFactory }).createTask;
  const rt = resolveRuntimeOptions(o.runtime ?? { threads: 1, ep: 'cpu' }, await createTask(task.config, 'worker'), recipe.name);
  const groups = recipe.groups(c);
  const tr = new Trainer({
    dir: o.run,
    steps: c.steps,
    scheduleSteps: typeof c.scheduleSteps === 'number' && c.scheduleSteps > 0 ? c.scheduleSteps : undefined,
    seed: c.seed,
    task: recipe.name,
    groups,
    progress: o.progress,
    checkpointEvery: typeof c.checkpointEvery === 'number' ? c.checkpointEvery : 250,
    logEvery: typeof c.logEvery === 'number' ? c.logEvery : 25,
    lrSchedule: recipe.lrSchedule?.(c),
    // `config` in a checkpoint's meta is the net's configuration (the exports read it back): the recipe's is recipeConfig
    meta: { ...recipe.meta?.(c), recipe: recipe.name, recipeConfig: c, commit: training.commit, command, batch: c.batch },
  });
  try {
    log(
      `${recipe.name}: ${Object.entries(groups)
        .map(([g, x]) => `${g} ${paramCount(x.model.spec)}`)
        .join(', ')} parameters; training on ${runtimeLabel(rt, backend.name)}; ${rt.workers} worker(s); batch ${c.batch}`,
    );
    if (tr.resumed) log(`resumed from ${tr.checkpointPath} at step ${tr.step}${tr.freshGroups.length ? ` (new: ${tr.freshGroups.join(', ')})` : ''}`);
    const t0 = Date.now(),
      s0 = tr.step;
    await runParallel(tr, {
      taskModule: task.module,
      taskConfig: task.config,
      batchSize: c.batch,
      workers: rt.workers,
      runtime: rt.runtime,
      threads: rt.threads,
      executionProvider: rt.executionProvider,
      phases: recipe.phases(c),
    });
    tr.saveCheckpoint();
    const wallClock = `${((Date.now() - t0) / 1000).toFixed(0)} s for ${tr.step - s0} steps (this invocation), ${runtimeLabel(rt, backend.name)}`;
    const out = o.out ?? o.run;
    const record = { ...training, steps: tr.step, wallClock };
    const exported = recipe.exportWeights ? await recipe.exportWeights(tr, c, out, record) : exportRecipeWeights(recipe, tr, c, out, record);
    return {
      steps: tr.step,
      exported,
      message: `${o.run}: ${recipe.name} trained ${tr.step} steps${exported.length ? `; weights ${exported.join(', ')} in ${out}` : ''}`,
    };
  } finally {
    tr.dispose();
    for (const g of Object.values(groups)) disposeModel(g.model);
  }
}

/** The generic export: each export's group (its EMA copy when asked) with a manifest holding the training record. */
export function exportRecipeWeights(
  recipe: Recipe,
  tr: Trainer,
  c: BaseConfig,
  out: string,
  record: TrainingRecord & { steps: number; wallClock: string },
): string[] {
  for (const [name, x] of Object.entries(recipe.exports)) {
    const m = recipe.manifest?.(c, name) ?? { data: '' };
    saveWeights(out, name, tr.groups[x.group].model.spec, tr.exportWeights(x.group, x.ema), {
      version: m.version ?? '0',
      config: m.config ?? {},
      training: {
        data: m.data,
        command: record.command,
        steps: record.steps,
        wallClock: record.wallClock,
        ...(m.notes ? { notes: m.notes } : {}),
        recipe: record.recipe,
        config: { ...record.config },
        commit: record.commit,
      },
      metrics: {},
      ...(m.licence ? { licence: m.licence } : {}),
    });
  }
  return Object.keys(recipe.exports);
}

/**
 * The whole train command: parses, trains, and reports. Used by `diffgan train` and by the
 * packages' `npm run train*` aliases (each after registering its recipes).
 */
export async function trainMain(argv: readonly string[], o: { program?: string; write?: (s: string) => void } = {}): Promise<RecipeResult | undefined> {
  const parsed = parseTrainArgs(argv, o);
  if (!parsed) return undefined;
  const r = await trainRecipe(parsed.recipe, parsed.config, { ...parsed.run, progress: process.stderr.isTTY }, ['diffgan train', ...argv].join(' '));
  (o.write ?? ((s: string) => process.stdout.write(s)))(`${r.message}\n`);
  return r;
}
