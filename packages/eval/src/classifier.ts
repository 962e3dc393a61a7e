/**
 * The MNIST feature classifier behind FID/KID/precision-recall of 28x28 digits.
 *
 * A small convnet trained on the 60,000 official MNIST *train* images only (never on the
 * 10,000 test images that the seed-table experiment splits into train/reference). Its
 * penultimate layer (128-d, after ReLU) is the feature space. Weights ship in
 * packages/eval/weights/mnist-classifier.{dgw,manifest.json}; the manifest states the
 * test-set accuracy. Inference runs on onnxruntime-node via createRunner (tfjs fallback).
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  BaseConfig,
  GraphBuilder,
  GraphSpec,
  Recipe,
  createModel,
  createRunner,
  Runner,
  cosineLrSchedule,
  resolveConfig,
  trainRecipe,
  saveWeights,
  loadWeights,
  paramCount,
  countFlops,
  DiffganError,
  TensorMap,
  TrainRuntime,
} from '@diffgan/core-models';
import { classifierTaskPath } from './classifier-task';
import { FeatureSet } from './distribution';
import { DATASET_LICENCE, DATASET_TITLE, Dataset, datasetDir, loadMnist, toFloatBatch } from './mnist';

export const CLASSIFIER_NAME = 'mnist-classifier';
/** The feature classifier's weights name per dataset: mnist-classifier, fashion-mnist-classifier. */
export const classifierName = (dataset: Dataset = 'mnist'): string => `${dataset}-classifier`;
export const FEATURE_DIM = 128;

/** 28x28x1 in [-1, 1] → outputs `features` [N,1,1,128] and `logits` [N,1,1,10]. */
export function classifierSpec(name = CLASSIFIER_NAME): GraphSpec {
  const g = new GraphBuilder(name);
  let h = g.input('x', 'image', 1);
  h = g.act(g.conv(h, 16, { name: 'c1a' }), 'relu');
  h = g.act(g.conv(h, 16, { name: 'c1b' }), 'relu');
  h = g.avgPool(h, 2); // 14
  h = g.act(g.conv(h, 32, { name: 'c2a' }), 'relu');
  h = g.act(g.conv(h, 32, { name: 'c2b' }), 'relu');
  h = g.avgPool(h, 2); // 7
  h = g.act(g.conv(h, 48, { name: 'c3' }), 'relu');
  // a 7x7 stride-7 conv on a 7x7 map is flatten + dense
  const f = g.act(g.conv(h, FEATURE_DIM, { k: 7, stride: 7, name: 'fc' }), 'relu');
  g.output('features', f);
  g.output('logits', g.conv(f, 10, { k: 1, name: 'head' }));
  return g.build();
}

/** Default location of the shipped weights (packages/eval/weights). */
export function classifierManifestPath(dataset: Dataset = 'mnist'): string {
  return path.resolve(__dirname, '..', 'weights', `${classifierName(dataset)}.manifest.json`);
}

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

/** Features (and class predictions) of 28x28 grayscale images in [-1, 1]. */
export class FeatureExtractor {
  private constructor(
    private runner: Runner,
    readonly runtime: string,
    readonly batch: number,
  ) {}

  static async create(
    spec: GraphSpec,
    weights: TensorMap,
    o: { batch?: number; runtime?: 'auto' | 'tfjs' | 'onnxruntime-node' } = {},
  ): Promise<FeatureExtractor> {
    const runner = await createRunner(spec, weights, { runtime: o.runtime });
    return new FeatureExtractor(runner, runner.runtime, o.batch ?? 500);
  }

  /** The shipped classifier (packages/eval/weights), verified against its manifest. */
  static async load(
    manifestPath = classifierManifestPath(),
    o: { batch?: number; runtime?: 'auto' | 'tfjs' | 'onnxruntime-node' } = {},
  ): Promise<FeatureExtractor> {
    if (!fs.existsSync(manifestPath))
      throw new DiffganError(
        `${manifestPath}: feature classifier weights missing (train them: npm run bench -w @diffgan/eval -- train-classifier [--dataset fashion-mnist])`,
      );
    const { manifest, weights } = loadWeights(manifestPath);
    return FeatureExtractor.create(manifest.architecture, weights, o);
  }

  private async run(images: Float32Array, want: 'features' | 'logits'): Promise<Float32Array> {
    const n = images.length / 784;
    if (!Number.isInteger(n)) throw new DiffganError(`feature extractor: ${images.length} values is not a whole number of 28x28 images`);
    const dim = want === 'features' ? FEATURE_DIM : 10;
    const out = new Float32Array(n * dim);
    for (let s = 0; s < n; s += this.batch) {
      const m = Math.min(this.batch, n - s);
      const res = await this.runner.run({ x: { data: images.subarray(s * 784, (s + m) * 784), shape: [m, 28, 28, 1] } });
      out.set(res[want].data.subarray(0, m * dim), s * dim);
    }
    return out;
  }

  /** 128-d penultimate features of n images (NHWC 28x28x1, [-1, 1]). */
  async features(images: Float32Array): Promise<FeatureSet> {
    const data = await this.run(images, 'features');
    return { data, count: data.length / FEATURE_DIM, dim: FEATURE_DIM };
  }

  async predict(images: Float32Array): Promise<Uint8Array> {
    const l = await this.run(images, 'logits');
    const n = l.length / 10,
      out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let b = 0;
      for (let c = 1; c < 10; c++) if (l[i * 10 + c] > l[i * 10 + b]) b = c;
      out[i] = b;
    }
    return out;
  }

  async accuracy(images: Float32Array, labels: Uint8Array): Promise<number> {
    const p = await this.predict(images);
    let ok = 0;
    for (let i = 0; i < p.length; i++) if (p[i] === labels[i]) ok++;
    return ok / p.length;
  }

  async dispose(): Promise<void> {
    await this.runner.dispose();
  }
}
