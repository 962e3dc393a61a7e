/**
 * Training the feature classifier (its recipe and a one-call trainer): apart from
 * classifier.ts, which only runs the shipped weights, because training is typed with tfjs
 * (`@diffgan/core-models/train`) and the package index stays free of it.
 */
import * as path from 'path';
import { saveWeights, loadWeights, countFlops, TensorMap, TrainRuntime } from '@diffgan/core-models';
import { BaseConfig, Recipe, createModel, cosineLrSchedule, resolveConfig, trainRecipe, paramCount } from '@diffgan/core-models/train';
import { classifierTaskPath } from './classifier-task';
import { FEATURE_DIM, FeatureExtractor, classifierManifestPath, classifierName, classifierSpec } from './classifier';
import { DATASET_LICENCE, DATASET_TITLE, Dataset, datasetDir, loadMnist, toFloatBatch } from './mnist';

export interface TrainClassifierOptions {
  dir: string;
  steps: number;
  batch?: number;
  lr?: number;
  seed?: number;
  out?: string;
  progress?: boolean;
  command?: string;
  /** default mnist: the official train split of this dataset trains it, its t10k measures it */
  dataset?: Dataset;
  /** data-parallel training (core-models runParallel): workers, runtime (default auto: onnxruntime when it loads), threads, execution provider */
  workers?: number;
  runtime?: TrainRuntime | 'auto';
  threads?: number;
  executionProvider?: string;
}

export interface ClassifierConfig extends BaseConfig {
  lr: number;
  checkpointEvery: number;
  logEvery: number;
}

const classifierRecipes = new Map<Dataset, Recipe<ClassifierConfig>>();

/**
 * The recipe of a dataset's feature classifier (registered by src/recipes.ts): one group `c`,
 * softmax cross-entropy on the official train split (classifier-task.ts), cosine decay; its
 * export measures the t10k accuracy and writes it into the manifest.
 */
export function classifierRecipe(dataset: Dataset = 'mnist'): Recipe<ClassifierConfig> {
  const have = classifierRecipes.get(dataset);
  if (have) return have;
  const name = classifierName(dataset),
    title = DATASET_TITLE[dataset];
  const recipe: Recipe<ClassifierConfig> = {
    name,
    summary: `${title} feature classifier (the FID/KID/precision-recall features): softmax cross-entropy on its official train split`,
    defaults: { steps: 3000, batch: 64, seed: 0, lr: 2e-3, checkpointEvery: 200, logEvery: 50 },
    help: {
      steps: 'training steps',
      batch: 'batch size',
      seed: 'initialisation and data seed',
      lr: 'Adam learning rate (cosine decay to 0.02 of it)',
      checkpointEvery: 'steps between checkpoints',
      logEvery: 'steps between log lines',
    },
    groups: (c) => ({ c: { model: createModel(classifierSpec(name), c.seed), adam: { lr: c.lr } } }),
    phases: () => ['c'],
    task: () => ({ module: classifierTaskPath, config: { dataset } }),
    lrSchedule: () => cosineLrSchedule(100, 0.02),
    meta: (c) => ({ what: `${dataset} classifier`, batch: c.batch }),
    exports: { [name]: { group: 'c', ema: false } },
    exportWeights: async (tr, c, out, record) => {
      const test = loadMnist('test', datasetDir(dataset));
      const spec = classifierSpec(name);
      const weights: TensorMap = tr.exportWeights('c', false);
      const fx = await FeatureExtractor.create(spec, weights);
      try {
        const accuracy = await fx.accuracy(
          toFloatBatch(
            test,
            Array.from({ length: test.count }, (_, i) => i),
          ),
          test.labels,
        );
        saveWeights(out, name, spec, weights, {
          version: '1',
          config: {
            input: '28x28x1, pixels x/127.5 - 1 in [-1, 1]',
            featureLayer: 'fc (after ReLU)',
            featureDim: FEATURE_DIM,
            params: paramCount(spec),
            flopsPerImage: countFlops(spec, [28, 28]),
          },
          training: {
            data: `${title} official train split (60,000 images, train-*-idx*-ubyte.gz); ±2 px random shifts; never the 10k test images`,
            command: record.command,
            steps: record.steps,
            wallClock: `${record.wallClock}, shared 2-core CPU`,
            notes: `batch ${c.batch}, Adam lr ${c.lr} with cosine decay, softmax cross-entropy`,
            recipe: record.recipe,
            config: { ...record.config },
            commit: record.commit,
          },
          metrics: { testAccuracy: accuracy, testImages: test.count, testSet: `${title} official t10k (10,000 images)` },
          licence: `MIT (weights); data: ${DATASET_LICENCE[dataset]}`,
        });
      } finally {
        await fx.dispose();
      }
      return [name];
    },
  };
  classifierRecipes.set(dataset, recipe);
  return recipe;
}

/** Trains on the dataset's train split (60k), with ±2 px random shifts; evaluates on its 10k test images; saves weights + manifest (the classifier recipe). */
export async function trainClassifier(o: TrainClassifierOptions): Promise<{ accuracy: number; steps: number; seconds: number }> {
  const dataset = o.dataset ?? 'mnist',
    recipe = classifierRecipe(dataset);
  const config = resolveConfig(recipe, [
    {
      source: 'train-classifier',
      values: {
        steps: o.steps,
        ...(o.batch !== undefined ? { batch: o.batch } : {}),
        ...(o.lr !== undefined ? { lr: o.lr } : {}),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
      },
    },
  ]);
  const out = o.out ?? path.dirname(classifierManifestPath(dataset));
  const t0 = Date.now();
  const r = await trainRecipe(
    recipe,
    config,
    {
      run: path.resolve(o.dir),
      out,
      progress: o.progress,
      runtime: { runtime: o.runtime, threads: o.threads ?? 1, ep: o.executionProvider ?? 'cpu', workers: o.workers },
    },
    o.command ?? `diffgan train ${recipe.name} --steps ${o.steps} --out ${out}`,
  );
  const { manifest } = loadWeights(path.join(out, `${recipe.name}.manifest.json`));
  return { accuracy: manifest.metrics.testAccuracy as number, steps: r.steps, seconds: (Date.now() - t0) / 1000 };
}
