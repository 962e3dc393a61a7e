/**
 * `@diffgan/core-models/train`: the tfjs-typed half of core-models, for training and for code
 * that holds tfjs tensors (the backend, models as tf.Variables, losses, optimizer, trainer,
 * recipes, data-parallel workers, gradient parity). Its types import @tensorflow/tfjs-core,
 * an optional peer dependency, so it is an entry of its own: the package index
 * (`@diffgan/core-models`) type-checks without tfjs installed.
 */
export { tf } from './backend';
export { initBackend, currentBackend, BACKEND_PREFERENCE } from './backend';
export type { BackendName, BackendInfo } from './backend';
export { registerWasmConvGrads, registerConvGradKernels, conv2dFilterGrad, conv2dInputGrad } from './kernels/wasm-conv-grads';
export { tfOps } from './ops/tfjs-ops';
export { createModel, disposeModel, forward, apply, paramCount, pixelShuffle } from './model';
export type { Model, Params } from './model';
export { discriminatorLoss, generatorLoss, r1Penalty } from './gan';
export type { GanLossKind, R1Options } from './gan';
export { qSample, target, predictionToX0Eps, diffusionLoss } from './diffusion/objective';
export { posteriorSample, diffusePair } from './diffgan';
export { Adam, Ema, lossAndGrads } from './train/adam';
export type { AdamConfig } from './train/adam';
export { Trainer, cosineSchedule as cosineLrSchedule } from './train/trainer';
export type { TrainerOptions, GroupConfig } from './train/trainer';
export { registerRecipe, recipeNames, getRecipe, recipesHelp, recipeCommand } from './train/recipe';
export { resolveConfig, readConfigFile, parseTrainArgs, trainRecipe, exportRecipeWeights, trainMain, gitCommit, initModelFrom } from './train/recipe';
export type { Recipe, BaseConfig, ConfigValue, ConfigLayer, TrainingRecord, RecipeRunOptions, RecipeResult, RecipeSampler } from './train/recipe';
export { runParallel, splitBatch, WorkerPool, builtModulePath } from './train/parallel';
export type { ParallelTask, ParallelOptions, TaskFactory } from './train/parallel';
export { exportParity, gradientParity, graphParity, parityProblem, tfjsGradients } from './engine/parity';
export type { ParityReport } from './engine/parity';
