/** @diffgan/eval: image resampling, SR metrics, distribution metrics, speed harness, reports. */
export { assertImageShape, toUint8 } from './pixel-image';
export type { PixelArray, PixelImage } from './pixel-image';

export { cubicKernel, axisWeights, imresize } from './resize';
export type { AxisWeights, ResizeOptions } from './resize';

export { rgbToY, toRgb, crop, modcrop, shave } from './color';

export { mse, psnr, ssim, gaussianWindow1d, psnrY, ssimY, srYPlanes, gradientEnergy, detailRatioY } from './metrics';
export type { SsimOptions, SrMetricOptions } from './metrics';

export { makeSrPair, bicubicUpscale } from './sr-protocol';
export type { SrPair } from './sr-protocol';

export { readImage, writePng } from './image-io';
export { makeGrid, sideBySide } from './compose';
export type { GridOptions, Panel, SideBySideOptions, Rgb } from './compose';
export { drawText, measureText } from './bitmap-font';

export { toFeatureSet, gaussianStats, frechetDistance, fid, kid, precisionRecall, kthNeighbourSquaredDistances, sampleWithoutReplacement } from './distribution';
export type { FeatureSet, GaussianStats, KidOptions, KidResult, PrecisionRecall } from './distribution';
export { symmetricEigen, sqrtPsd } from './symmetric-eigen';
export type { SymmetricEigen } from './symmetric-eigen';

export { measureThroughput, compareThroughput, speedRatio } from './speed';
export type { Throughput, ThroughputOptions, SpeedRatio } from './speed';

export { markdownTable, writeJson, writeReport } from './report';
export type { ColumnSpec } from './report';

export type { ParsedArgs } from '@diffgan/core-models';
export { loadMnist, mnistDir, seedTableSplit, seedTableData, toFloatBatch, SPLIT_SEED, REFERENCE_SIZE, MNIST_FILES } from './mnist';
export type { MnistSet, MnistSplit } from './mnist';
export { classifierSpec, trainClassifier, classifierRecipe, FeatureExtractor, classifierManifestPath, CLASSIFIER_NAME, FEATURE_DIM } from './classifier';
export { SEED_TABLE_RECIPES, CLASSIFIER_RECIPES, familyRecipe } from './recipes';
export type { FamilyConfig } from './recipes';
export type { TrainClassifierOptions, ClassifierConfig } from './classifier';
export * as seedTable from './seed-table';
