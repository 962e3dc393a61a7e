/**
 * The acoustic features the models use, in one place so training and synthesis agree:
 * log-mel spectrogram = ln(max(mel(|STFT|), 1e-5)), 80 Slaney mels 0-8 kHz, n_fft 1024,
 * hop 256 at 22,050 Hz; and the way back to audio without a vocoder (pseudo-inverse
 * mel, then fast Griffin-Lim).
 */
import { griffinLim, GriffinLimOptions } from './griffin-lim';
import { applyMel, melFilterbank, MelConfig, MelFilterbank, melToLinear } from './mel';
import { logCompress, logDecompress, magnitude, RealSpectrogram } from './spectrogram';
import { resolveStftConfig, stft, StftConfig } from './stft';

export interface FeatureConfig {
  stft?: Partial<StftConfig>;
  mel?: Partial<MelConfig>;
  /** Reuse a filterbank across calls (building one is cheap but not free). */
  filterbank?: MelFilterbank;
}

function filterbankFor(config: FeatureConfig): MelFilterbank {
  return config.filterbank ?? melFilterbank({ ...config.mel, nFft: resolveStftConfig(config.stft).nFft });
}

/** Log-mel spectrogram, frames x mels (frame-major). */
export function logMelSpectrogram(signal: ArrayLike<number>, config: FeatureConfig = {}): RealSpectrogram {
  return logCompress(applyMel(magnitude(stft(signal, config.stft)), filterbankFor(config)));
}

/** Audio from a log-mel spectrogram: pseudo-inverse to linear magnitude, then Griffin-Lim. */
export function logMelToAudio(logMel: RealSpectrogram, config: FeatureConfig & { griffinLim?: GriffinLimOptions } = {}): Float32Array {
  const linear = melToLinear(logDecompress(logMel), filterbankFor(config));
  return griffinLim(linear, { ...config.griffinLim, stft: config.stft }).signal;
}
