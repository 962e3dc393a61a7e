/**
 * `@diffgan/tts/train`: the voice's training recipes (acoustic model, vocoder, denoiser;
 * registered with core-models' registry on import): tfjs-typed, so apart from the package index.
 */
export { ACOUSTIC_RECIPE, VOCODER_RECIPE, DENOISER_RECIPE } from './train/recipes';
export type { AcousticConfig, VocoderConfig, DenoiserConfig } from './train/recipes';
