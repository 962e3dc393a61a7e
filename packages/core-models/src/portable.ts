/**
 * The browser-safe part of core-models: no tfjs, no fs, no Buffer. Browser entries of
 * the packages import from here (`@diffgan/core-models/portable`), Node code from the
 * package index, which re-exports the same functions.
 */
export { DiffganError } from './errors';
export { Rng } from './rng';
export type { GraphSpec, GraphNode, Value, Activation, ParamSpec } from './graph';
export { countFlops, receptiveRadius } from './ops/table';
export { exportOnnx } from './onnx/export';
export { createOrtSessionRunner } from './onnx/ort-session';
export type { HostTensor, Runner, OrtModule } from './onnx/ort-session';
export { decodeTensorBytes, checkAgainstSpec } from './codec';
export type { Manifest, TensorMap, NamedArray } from './codec';
export { linearSchedule, cosineSchedule as cosineNoiseSchedule, vpSdeSchedule, fromBetas, posteriorCoefs, respace, alphaBarAt } from './diffusion/schedule';
export type { Schedule } from './diffusion/schedule';
export { createDenoiser, runnerNet, sampleAncestral, sampleDdim, sampleDiffgan, addNoise, timeInput, TIME_INPUT_RANGE } from './diffusion/sampling';
export type { Denoiser, DenoiserOptions, HostNet, SampleOptions } from './diffusion/sampling';
export type { Parameterisation } from './diffusion/parameterisation';
// the command kit: no tfjs either, so light command lines (vgen) declare their options with it
export { defineCommand, commandsHelp } from './cli/command';
export type { Command, CommandSpec, ParsedCommand, OptionSpec, PositionalSpec, Validator } from './cli/command';
export { parseArgs, closestName } from './cli/argv';
