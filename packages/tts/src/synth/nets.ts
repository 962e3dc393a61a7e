/**
 * The three networks, as core-models graphs. Time runs along the image height with width 1
 * ([N, T, 1, C]); the convs are 3x1 ('same' padding), i.e. 1-D kernel-3 convs over time
 * (a 3x3 kernel on a width-1 image would compute the same thing at 3x the cost, 5x measured).
 */
import { GraphBuilder } from '@diffgan/core-models';
import type { GraphSpec, Value } from '@diffgan/core-models';
import { FEATURE_CHANNELS } from './features';

export const N_MELS = 80;
export const N_BINS = 513;

function resBlock(g: GraphBuilder, h: Value, ch: number, name: string, emb?: Value): Value {
  return g.scope(name, () => {
    let y = g.act(g.conv(h, ch, { kw: 1 }), 'leakyRelu');
    if (emb) y = g.add(y, g.dense(emb, ch, { name: 'emb' }));
    y = g.conv(y, ch, { kw: 1, gain: 0.5 });
    return g.act(g.add(h, y), 'leakyRelu');
  });
}

/** `blocks` residual blocks of width `channels` (b0, b1, …), each given the embedding `emb` when there is one. */
function resStack(g: GraphBuilder, h: Value, c: ResStackConfig, emb?: Value): Value {
  for (let i = 0; i < c.blocks; i++) h = resBlock(g, h, c.channels, `b${i}`, emb);
  return h;
}

/** A net's residual stack: its width and depth. */
export interface ResStackConfig {
  channels: number;
  blocks: number;
}

export type AcousticConfig = ResStackConfig;
export const ACOUSTIC_CONFIG: AcousticConfig = { channels: 96, blocks: 6 };

/** Frame features -> normalised log-mel (see MEL_MEAN/MEL_STD). Input 'x' [N,T,1,FEATURE_CHANNELS], output 'mel'. */
export function acousticSpec(c: AcousticConfig = ACOUSTIC_CONFIG): GraphSpec {
  const g = new GraphBuilder('tts_acoustic');
  const h = resStack(g, g.act(g.conv(g.input('x', 'image', FEATURE_CHANNELS), c.channels, { k: 1, name: 'in' }), 'leakyRelu'), c);
  g.output('mel', g.conv(h, N_MELS, { k: 1, name: 'out', gain: 0.1 }));
  return g.build();
}
export const MEL_MEAN = -6,
  MEL_STD = 2.5;

export type VocoderConfig = ResStackConfig;
export const VOCODER_CONFIG: VocoderConfig = { channels: 128, blocks: 4 };

/**
 * Source-filter GAN generator: per frame, normalised log-mel (80) and pitch (2: log-F0, voiced)
 * -> a spectral envelope e and a harmonic gain h (513 bins each); the normalised log-magnitude
 * is e + h * comb, where comb is the harmonic comb of the F0 excitation (vocoder/excitation.ts).
 * The harmonics therefore sit exactly at the requested F0 (80 mel bands cannot place them
 * above ~1 kHz), the net only decides how strong they are per band (voicing, breathiness),
 * and the waveform is the iSTFT of that magnitude with the excitation's phase.
 * Inputs 'mel' [N,T,1,80], 'pitch' [N,T,1,2], 'comb' [N,T,1,513]; output 'mag' [N,T,1,513]
 * = (ln|X| - MAG_MEAN) / MAG_STD.
 */
export function vocoderSpec(c: VocoderConfig = VOCODER_CONFIG): GraphSpec {
  const g = new GraphBuilder('tts_vocoder');
  const mel = g.input('mel', 'image', N_MELS),
    pitch = g.input('pitch', 'image', 2),
    comb = g.input('comb', 'image', N_BINS);
  const h = resStack(g, g.act(g.conv(g.concat([mel, pitch]), c.channels, { kw: 1, name: 'in' }), 'leakyRelu'), c);
  const env = g.conv(h, N_BINS, { k: 1, name: 'env', gain: 0.1 });
  const harm = g.conv(h, N_BINS, { k: 1, name: 'harm', gain: 0.1 });
  g.output('mag', g.add(env, g.mul(harm, comb)));
  return g.build();
}

export interface DenoiserConfig extends ResStackConfig {
  embDim: number;
}
export const DENOISER_CONFIG: DenoiserConfig = { channels: 96, blocks: 4, embDim: 64 };

/**
 * Conditional diffusion denoiser on log-magnitude STFT frames: inputs 'x' (noisy residual,
 * 513), 'cond' (normalised log-magnitude of the generator's output, 513), 't' (step index);
 * output 'out' = predicted clean residual (x0-parameterisation).
 */
export function denoiserSpec(c: DenoiserConfig = DENOISER_CONFIG): GraphSpec {
  const g = new GraphBuilder('tts_denoiser');
  const x = g.input('x', 'image', N_BINS),
    cond = g.input('cond', 'image', N_BINS),
    t = g.input('t', 'scalar');
  const emb = g.scope('temb', () => g.act(g.dense(g.act(g.dense(g.timeEmbed(t, c.embDim), c.embDim), 'silu'), c.embDim), 'silu'));
  const h = resStack(g, g.act(g.conv(g.concat([x, cond]), c.channels, { k: 1, name: 'in' }), 'leakyRelu'), c, emb);
  g.output('out', g.conv(h, N_BINS, { k: 1, name: 'out', gain: 0.1 }));
  return g.build();
}

/** Log-magnitude normalisation of the denoiser's condition. */
export const MAG_MEAN = -4,
  MAG_STD = 2.5;
/** ln(1e-5): magnitudes below it are clamped before normalising (silence is exactly 0 in places). */
export const LOG_FLOOR = Math.log(1e-5);
/** Denoiser diffusion: residual scale and training horizon. */
export const RESIDUAL_SCALE = 1,
  DIFFUSION_T = 1000;

/**
 * Frame discriminator for the vocoder GAN: normalised log-magnitude [N, T, 1, 513], the 513 bins
 * as channels (a 1x1 conv mixes the whole spectrum of a frame, so harmonic spacing and the noise
 * between harmonics are visible at once), then 3x1 convs over time (receptive field 7 frames),
 * one score per frame. As a 2-D image discriminator on [N, T, 513, 1] it cost 2.4 s per step
 * on 2 cores; this one costs about a tenth of the generator's step.
 */
export function frameDiscriminatorSpec(channels = 64, layers = 3): GraphSpec {
  const g = new GraphBuilder('tts_frame_disc');
  let h = g.act(g.conv(g.input('x', 'image', N_BINS), channels, { k: 1, name: 'in' }), 'leakyRelu');
  for (let i = 0; i < layers; i++) h = g.act(g.conv(h, channels, { kw: 1, name: `c${i}` }), 'leakyRelu');
  g.output('score', g.conv(h, 1, { k: 1, name: 'score' }));
  return g.build();
}
