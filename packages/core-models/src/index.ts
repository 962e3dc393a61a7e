/**
 * `@diffgan/core-models`: graphs, ops, architectures, ONNX export and runners, samplers,
 * weights, the training engine's objective and ONNX step, and the command kit. Nothing here
 * has tfjs in its types (tfjs is an optional peer dependency); the tfjs-typed training API
 * is `@diffgan/core-models/train`.
 */
export { DiffganError, warnLine } from './errors';
export { Rng } from './rng';
export { GraphBuilder } from './graph';
export { OPS, forwardWith, countFlops, receptiveRadius } from './ops/table';
export type { Ops } from './ops/ops';
export { l1Loss, mseLoss, perSample as perSampleTensor } from './ops/ops';
export type { GraphSpec, GraphNode, Value, Activation, ParamSpec, WarpMode } from './graph';
export * as blocks from './blocks';
export { srNet, benchUpscaler, unet, patchDiscriminator, dcganGenerator } from './architectures';
export type { SrNetConfig, UNetConfig, DiscriminatorConfig } from './architectures';
export { exportOnnx } from './onnx/export';
export { createRunner, createOrtRunner, createTfjsRunner, loadOrt, noteOrtFallback, ortFallbackNotice } from './onnx/runner';
export { createOrtSessionRunner } from './onnx/ort-session';
export type { OrtModule } from './onnx/ort-session';
export { decodeTensorBytes } from './codec';
export type { Runner, RunnerOptions, HostTensor } from './onnx/runner';
export { linearSchedule, cosineSchedule as cosineNoiseSchedule, vpSdeSchedule, fromBetas, posteriorCoefs, respace, alphaBarAt } from './diffusion/schedule';
export type { Schedule } from './diffusion/schedule';
export { createDenoiser, runnerNet, sampleAncestral, sampleDdim, sampleDiffgan, addNoise, timeInput, TIME_INPUT_RANGE } from './diffusion/sampling';
export type { Denoiser, DenoiserOptions, HostNet, SampleOptions } from './diffusion/sampling';
export { tempPathFor, removeStaleTemps, PendingFile, writeFileAtomic, writeFileAtomicAsync } from './temp-files';
export { requireDataRoot, findDataRoot, findRepoRoot } from './data-root';
export { mean, median } from './stats';
export type { AtomicWriteOptions } from './temp-files';
export { saveWeights, loadWeights, updateManifestMetrics, encodeTensors, decodeTensors, sha256, checkAgainstSpec } from './weights';
export type { Manifest, TensorMap, NamedArray } from './weights';
export { makeEnv } from './engine/objective';
export type { LossEnv, Objective, HostArray, HostBatch } from './engine/objective';
export { defaultWorkerCount, resolveTrainRuntime } from './train/runtime';
export { builtModulePath } from './built-module-path';
export type { TrainRuntime, TaskLosses } from './train/runtime';
export type { Parameterisation } from './diffusion/parameterisation';
export { OrtEngine, createSession, traceObjective, compileTrace, compileTraceSplit } from './engine/ort-step';
export type { OrtEngineOptions } from './engine/ort-step';
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
