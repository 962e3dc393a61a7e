/** @diffgan/eval: SR metrics and protocol, distribution metrics, speed harness, reports, MNIST data and the feature classifier (images: @diffgan/image; the seed table: @diffgan/seed-table). */
export { mse, psnr, ssim, gaussianWindow1d, psnrY, ssimY, srYPlanes, gradientEnergy, detailRatioY } from './metrics';
export type { SsimOptions, SrMetricOptions } from './metrics';

export { makeSrPair, bicubicUpscale } from './sr-protocol';
export type { SrPair } from './sr-protocol';

export {
  toFeatureSet,
  gaussianStats,
  frechetDistance,
  fid,
  kid,
  precisionRecall,
  kthNeighbourSquaredDistances,
  sampleWithoutReplacement,
} from './distribution';
export type { FeatureSet, GaussianStats, KidOptions, KidResult, PrecisionRecall } from './distribution';
export { symmetricEigen, sqrtPsd } from './symmetric-eigen';
export type { SymmetricEigen } from './symmetric-eigen';

export { measureThroughput, compareThroughput, speedRatio } from './speed';
export type { Throughput, ThroughputOptions, SpeedRatio } from './speed';

export { markdownTable, writeJson, writeReport } from './report';
export type { ColumnSpec } from './report';

export type { ParsedArgs } from '@diffgan/core-models';
export {
  loadMnist,
  mnistDir,
  datasetDir,
  seedTableSplit,
  seedTableData,
  toFloatBatch,
  SPLIT_SEED,
  REFERENCE_SIZE,
  MNIST_FILES,
  DATASETS,
  DATASET_TITLE,
} from './mnist';
export type { MnistSet, MnistSplit, Dataset } from './mnist';
export { classifierSpec, FeatureExtractor, classifierManifestPath, classifierName, CLASSIFIER_NAME, FEATURE_DIM } from './classifier';
