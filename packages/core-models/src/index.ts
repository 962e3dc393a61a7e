export { tf } from './backend';
export { initBackend, currentBackend, BACKEND_PREFERENCE } from './backend';
export type { BackendName, BackendInfo } from './backend';
export { registerWasmConvGrads, registerConvGradKernels, conv2dFilterGrad, conv2dInputGrad } from './kernels/wasm-conv-grads';
export { DiffganError, warnLine } from './errors';
export { Rng } from './rng';
export { GraphBuilder } from './graph';
export { OPS, forwardWith, countFlops, receptiveRadius } from './ops/table';
export type { Ops } from './ops/ops';
export { l1Loss, mseLoss, perSample as perSampleTensor } from './ops/ops';
export { tfOps } from './ops/tfjs-ops';
export type { GraphSpec, GraphNode, Value, Activation, ParamSpec } from './graph';
export { createModel, disposeModel, forward, apply, paramCount, pixelShuffle } from './model';
export type { Model, Params } from './model';
export * as blocks from './blocks';
export { srNet, benchUpscaler, unet, patchDiscriminator, dcganGenerator } from './architectures';
export type { SrNetConfig, UNetConfig, DiscriminatorConfig } from './architectures';
export { exportOnnx } from './onnx/export';
export { createRunner, createOrtRunner, createTfjsRunner, loadOrt, noteOrtFallback, ortFallbackNotice } from './onnx/runner';
export { createOrtSessionRunner } from './onnx/ort-session';
export type { OrtModule } from './onnx/ort-session';
export { decodeTensorBytes } from './codec';
export type { Runner, RunnerOptions, HostTensor } from './onnx/runner';
export { discriminatorLoss, generatorLoss, r1Penalty } from './gan';
export type { GanLossKind, R1Options } from './gan';
export { linearSchedule, cosineSchedule as cosineNoiseSchedule, vpSdeSchedule, fromBetas, posteriorCoefs, respace, alphaBarAt } from './diffusion/schedule';
export type { Schedule } from './diffusion/schedule';
export { qSample, target, predictionToX0Eps, diffusionLoss } from './diffusion/objective';
export type { Parameterisation } from './diffusion/objective';
export { createDenoiser, runnerNet, sampleAncestral, sampleDdim, sampleDiffgan, addNoise, timeInput, TIME_INPUT_RANGE } from './diffusion/sampling';
export type { Denoiser, DenoiserOptions, HostNet, SampleOptions } from './diffusion/sampling';
export { posteriorSample, diffusePair } from './diffgan';
export { Adam, Ema, lossAndGrads } from './train/adam';
export type { AdamConfig } from './train/adam';
export { Trainer, cosineSchedule as cosineLrSchedule } from './train/trainer';
export type { TrainerOptions, GroupConfig } from './train/trainer';
export { registerRecipe, recipeNames, getRecipe, recipesHelp, recipeCommand } from './train/recipe';
export { resolveConfig, readConfigFile, parseTrainArgs, trainRecipe, exportRecipeWeights, trainMain, gitCommit } from './train/recipe';
export type { Recipe, BaseConfig, ConfigValue, ConfigLayer, TrainingRecord, RecipeRunOptions, RecipeResult, RecipeSampler } from './train/recipe';
export { tempPathFor, removeStaleTemps, PendingFile, writeFileAtomic, writeFileAtomicAsync } from './temp-files';
export { requireDataRoot, findDataRoot, findRepoRoot } from './data-root';
export { mean, median } from './stats';
export type { AtomicWriteOptions } from './temp-files';
export { saveWeights, loadWeights, updateManifestMetrics, encodeTensors, decodeTensors, sha256, checkAgainstSpec } from './weights';
export type { Manifest, TensorMap, NamedArray } from './weights';
export { runParallel, splitBatch, defaultWorkerCount, WorkerPool, resolveTrainRuntime, builtModulePath } from './train/parallel';
export type { ParallelTask, ParallelOptions, TaskFactory, HostBatch, TrainRuntime } from './train/parallel';
export { makeEnv } from './engine/objective';
export type { LossEnv, Objective, HostArray } from './engine/objective';
export { OrtEngine, createSession, traceObjective, compileTrace, compileTraceSplit } from './engine/ort-step';
export type { OrtEngineOptions } from './engine/ort-step';
export { gradientParity, tfjsGradients } from './engine/parity';
export type { ParityReport } from './engine/parity';
export { setWeightGradForm } from './engine/prims';
export type { WeightGradForm } from './engine/prims';
export { parseArgs, closestName, runtimeLabel, TRAIN_RUNTIME_OPTIONS, resolveRuntimeOptions } from './cli-args';
export type { ParsedArgs, TrainRuntimeArgs, TrainRuntimeValues } from './cli-args';
export { defineCommand, commandsHelp } from './cli/command';
export type { Command, CommandSpec, ParsedCommand, OptionSpec, PositionalSpec, Validator } from './cli/command';
export { checkOutputPath, OutputPathError } from './cli/output-path';
export type { OutputProblem } from './cli/output-path';
export {
  markdownTable,
  renderBenchReport,
  replaceBenchBlock,
  benchBlockOf,
  writeBenchReport,
  writeReadmeBlock,
  jsonText,
  BENCH_START,
  BENCH_END,
} from './cli/bench-report';
export type { ColumnSpec, BenchTable, BenchReport, BenchMarkers } from './cli/bench-report';
