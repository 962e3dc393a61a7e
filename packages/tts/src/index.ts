/**
 * @diffgan/tts public API: the Mandarin text front end and the signal processing
 * the neural models build on.
 */

// Front end: text -> structured reading.
export { readText, readSentence, readSentences, pinyinOf } from './frontend/reading';
export type { ReadOptions } from './frontend/reading';
export type { TextReading, SentenceReading, ProsodicUnit, ReadSyllable } from './frontend/types';
export { normalizeText } from './frontend/normalize';
export type { NormalizeOptions, NormalizedText, TextToken } from './frontend/normalize';
export { readInteger, readNumber, readDigits } from './frontend/chinese-numbers';
export { splitSentences, splitSentenceChunks } from './frontend/sentence-splitter';
export type { SplitOptions } from './frontend/sentence-splitter';
export { parseSyllable, splitInitialFinal } from './frontend/syllable';
export type { PinyinSyllable, Tone } from './frontend/syllable';
export type { BreakLevel } from './frontend/punctuation';
export { evaluateFrontEnd, alignAndCount } from './frontend/evaluate';
export type { EvaluationOptions, EvaluationResult } from './frontend/evaluate';
export { readLabels, bznsypDir } from './frontend/labels';
export type { LabelRow } from './frontend/labels';

// DSP.
export { stft, istft, DEFAULT_STFT, frameCount } from './dsp/stft';
export type { StftConfig, ComplexSpectrogram } from './dsp/stft';
export { hannWindow } from './dsp/window';
export { magnitude, power, logCompress, logDecompress, amplitudeToDb } from './dsp/spectrogram';
export type { RealSpectrogram } from './dsp/spectrogram';
export { melFilterbank, applyMel, melPseudoInverse, melToLinear, hzToMel, melToHz, DEFAULT_MEL } from './dsp/mel';
export type { MelConfig, MelFilterbank } from './dsp/mel';
export { griffinLim, spectralConvergence } from './dsp/griffin-lim';
export { logMelSpectrogram, logMelToAudio } from './dsp/features';
export type { FeatureConfig } from './dsp/features';
export { speechLike } from './dsp/test-signals';
export type { GriffinLimOptions, GriffinLimResult } from './dsp/griffin-lim';
export { resample } from './dsp/resample';
export type { ResampleOptions } from './dsp/resample';
export { decodeWav, encodeWav16, readWav, readWavAsync, writeWav, writeWavAsync } from './dsp/wav';
export type { WavAudio } from './dsp/wav';
export { logSpectralDistance, melCepstralDistortion, melCepstrum, signalMelCepstrum, quietFrameShare } from './dsp/metrics';
export type { McdOptions } from './dsp/metrics';
export { dtw } from './dsp/dtw';
export type { DtwResult } from './dsp/dtw';
export { estimateF0, compareF0, f0Rmse } from './dsp/f0';
export type { F0Options, F0Track, F0Comparison } from './dsp/f0';

// Speech synthesis (voice trained on BZNSYP/CSMSC: non-commercial research use only).
export { synthesize, synthesizeStream, synthesizeSentence, toWav, loadVoice, vocode, SAMPLE_RATE, DEFAULT_WEIGHTS_DIR } from './synth/synthesize';
export type { SynthesizeOptions, SynthesisResult, Voice, SentenceAudio } from './synth/synthesize';
export { planSentence, planSyllables, frameFeatures } from './synth/features';
export type { SynthesisPlan, PlanToken } from './synth/features';
export { predictDurations, predictF0 } from './synth/prosody';
export type { ProsodyModel, SyllableSpec } from './synth/prosody';
