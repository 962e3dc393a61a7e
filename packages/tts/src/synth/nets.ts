/**
 * The three networks, as core-models graphs. Time runs along the image height with width 1
 * ([N, T, 1, C]); every conv is 3x3 with 'same' padding, which on a width-1 image is a
 * 1-D kernel-3 conv over time (the outer kernel columns only ever see padding).
 */
import { GraphBuilder } from '@diffgan/core-models';
import type { GraphSpec, Value } from '@diffgan/core-models';
import { FEATURE_CHANNELS } from './features';

export const N_MELS = 80;
export const N_BINS = 513;

function resBlock(g: GraphBuilder, h: Value, ch: number, name: string, emb?: Value): Value {
  return g.scope(name, () => {
    let y = g.act(g.conv(h, ch), 'leakyRelu');
    if (emb) y = g.add(y, g.dense(emb, ch, { name: 'emb' }));
    y = g.conv(y, ch, { gain: 0.5 });
    return g.act(g.add(h, y), 'leakyRelu');
  });
}

export interface AcousticConfig { channels: number; blocks: number }
export const ACOUSTIC_CONFIG: AcousticConfig = { channels: 96, blocks: 6 };

/** Frame features -> normalised log-mel (see MEL_MEAN/MEL_STD). Input 'x' [N,T,1,FEATURE_CHANNELS], output 'mel'. */
export function acousticSpec(c: AcousticConfig = ACOUSTIC_CONFIG): GraphSpec {
  const g = new GraphBuilder('tts_acoustic');
  let h = g.act(g.conv(g.input('x', 'image', FEATURE_CHANNELS), c.channels, { k: 1, name: 'in' }), 'leakyRelu');
  for (let i = 0; i < c.blocks; i++) h = resBlock(g, h, c.channels, `b${i}`);
  g.output('mel', g.conv(h, N_MELS, { k: 1, name: 'out', gain: 0.1 }));
  return g.build();
}
export const MEL_MEAN = -6, MEL_STD = 2.5;

export interface VocoderConfig { channels: number; blocks: number }
export const VOCODER_CONFIG: VocoderConfig = { channels: 128, blocks: 5 };

/**
 * Frame-rate GAN generator (Vocos/iSTFTNet-like head): normalised log-mel -> per frame
 * log-magnitude (513) and phase angle (513); the waveform is their inverse STFT (hop 256).
 */
export function vocoderSpec(c: VocoderConfig = VOCODER_CONFIG): GraphSpec {
  const g = new GraphBuilder('tts_vocoder');
  let h = g.act(g.conv(g.input('mel', 'image', N_MELS), c.channels, { name: 'in' }), 'leakyRelu');
  for (let i = 0; i < c.blocks; i++) h = resBlock(g, h, c.channels, `b${i}`);
  g.output('spec', g.conv(h, 2 * N_BINS, { k: 1, name: 'out', gain: 0.1 }));
  return g.build();
}

export interface DenoiserConfig { channels: number; blocks: number; embDim: number }
export const DENOISER_CONFIG: DenoiserConfig = { channels: 96, blocks: 4, embDim: 64 };

/**
 * Conditional diffusion denoiser on log-magnitude STFT frames: inputs 'x' (noisy residual,
 * 513), 'cond' (normalised log-magnitude of the generator's output, 513), 't' (step index);
 * output 'out' = predicted clean residual (x0-parameterisation).
 */
export function denoiserSpec(c: DenoiserConfig = DENOISER_CONFIG): GraphSpec {
  const g = new GraphBuilder('tts_denoiser');
  const x = g.input('x', 'image', N_BINS), cond = g.input('cond', 'image', N_BINS), t = g.input('t', 'scalar');
  const emb = g.scope('temb', () => g.act(g.dense(g.act(g.dense(g.timeEmbed(t, c.embDim), c.embDim), 'silu'), c.embDim), 'silu'));
  let h = g.act(g.conv(g.concat([x, cond]), c.channels, { k: 1, name: 'in' }), 'leakyRelu');
  for (let i = 0; i < c.blocks; i++) h = resBlock(g, h, c.channels, `b${i}`, emb);
  g.output('out', g.conv(h, N_BINS, { k: 1, name: 'out', gain: 0.1 }));
  return g.build();
}

/** Log-magnitude normalisation of the denoiser's condition. */
export const MAG_MEAN = -4, MAG_STD = 2.5;
/** Denoiser diffusion: residual scale and training horizon. */
export const RESIDUAL_SCALE = 1, DIFFUSION_T = 1000;

/** Spectrogram discriminator for the vocoder GAN: log-mel patches [N, T, 80, 1]. */
export const DISC_CHANNELS = [16, 32, 32];
