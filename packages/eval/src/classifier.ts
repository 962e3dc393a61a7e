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
import { GraphBuilder, GraphSpec, createRunner, Runner, loadWeights, DiffganError, TensorMap } from '@diffgan/core-models';
import { FeatureSet } from './distribution';
import { Dataset } from './mnist';

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
