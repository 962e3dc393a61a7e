/** @diffgan/video-gen: video I/O, scene cuts, interpolation and upscaling pipelines, temporal metrics. */
export type { Frame } from './frame';
export { createFrame, frameByteLength } from './frame';
export type { Rational } from './rational';
export { rational, parseRational, formatRational, multiplyRational, rationalToNumber } from './rational';
export { VideoError } from './errors';
export type { VideoErrorCode } from './errors';

export type { FfmpegBinaries, FfmpegPreference, VideoInfo } from './ffmpeg';
export type { ExecutableFs } from './ffmpeg';
export { locateFfmpeg, setFfmpegPreference, probe, readFrameTimes, ensureExecutable } from './ffmpeg';
export type { ReadFramesOptions } from './frame-reader';
export { readFrames } from './frame-reader';
export type { FrameWriterOptions, WriteResult, EvenSizeCrop } from './frame-writer';
export { FrameWriter, evenSizeCrop, encodingFor } from './frame-writer';
export { checkOutputPath } from './output-path';

export type { SceneCutOptions, SceneCutDecision } from './scenecut';
export { SceneCutDetector, detectSceneCuts, frameChangeScore, DEFAULT_SCENE_CUT_OPTIONS } from './scenecut';

export type {
  Interpolator,
  InterpolationFactor,
  InterpolateFramesOptions,
  InterpolateVideoOptions,
  InterpolateVideoResult,
  FrameTiming,
  OutputRate,
} from './interpolate';
export {
  evenlySpaced,
  interpolateFrames,
  interpolateVideo,
  interpolatedFrameCount,
  interpolatedFrameRate,
  frameCountAtRate,
  outputRateFor,
  MIN_INTERPOLATION_FACTOR,
  MAX_INTERPOLATION_FACTOR,
} from './interpolate';
export { duplicateInterpolator, blendInterpolator } from './interpolators';
export type { MinterpolateVideoOptions, MinterpolateVideoResult } from './minterpolate';
export { minterpolateVideo } from './minterpolate';

export type { Upscaler, UpscaleFactor, UpscaleContext, UpscaleMethod, UpscaleVideoOptions } from './upscale';
export { upscaleFrames, upscaleVideo, lanczosFilter } from './upscale';
export type { ModelLoadOptions } from './model';
export {
  loadModelInterpolator,
  loadIfnetInterpolator,
  loadModelUpscaler,
  modelInterpolatorAvailable,
  ifnetInterpolatorAvailable,
  modelUpscalerAvailable,
} from './model';
export type { IfnetInterpolator, IfnetInterpolatorOptions, IfnetFrameOptions } from './interp/ifnet-interpolator';
export { createIfnetInterpolator, ifnetManifestPath } from './interp/ifnet-interpolator';
export { ifnetSpec, IFNET_CONFIG, IFNET_V2_CONFIG, IFNET_NETS, IFNET_ALIGN, IFNET_NAME } from './interp/ifnet';
export type { FlowRefineOptions } from './interp/flow-refine';
export { refineFlow, selectFlow, flowsAt, composeFrame, DEFAULT_FLOW_REFINE } from './interp/flow-refine';
export type { ModelInterpolator, ModelInterpolatorOptions } from './interp/interpolator';
export { createModelInterpolator, generatorManifestPath, refinerManifestPath } from './interp/interpolator';
export {
  interpNetSpec,
  refinerSpec,
  discSpec,
  prepareMidpoint,
  INTERP_CONFIG,
  REFINER_CONFIG,
  REFINER_T,
  GENERATOR_NAME,
  REFINER_NAME,
  DEFAULT_VGEN_WEIGHTS_DIR,
} from './interp/net';
export type { Plane, MotionField, MotionOptions } from './interp/motion';
export { estimateMotion, denseFlow, warp, lumaOf } from './interp/motion';
export type { TemporalUpscaler, TemporalUpscalerOptions, FrameSr } from './upscale-temporal';
export { createTemporalUpscaler, imageSrFrameSr } from './upscale-temporal';

export type { FrameSamples, TemporalLossResult } from './temporal';
export { TemporalDifferenceMeter, meanAbsTemporalDifference, flicker, temporalConsistencyLoss, temporalConsistencyLossWithGradient } from './temporal';
export { framePsnr } from './metrics';
export type { JobProgress, VideoJobOptions } from './job';
