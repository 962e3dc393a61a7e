/**
 * Text -> speech: front end -> prosody (durations, pauses, F0 templates) -> acoustic conv net
 * (frame features -> log-mel) -> source-filter GAN generator (log-mel + F0 excitation ->
 * log-magnitude, iSTFT with the excitation's phase)
 * -> STFT -> few-step diffusion denoising of the log-magnitude -> mel-consistency rescaling
 * (band gains so the magnitude's mel equals the target mel) -> fast Griffin-Lim initialised
 * with the generator's phase -> 22,050 Hz mono. Networks run on onnxruntime-node (tfjs fallback).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadWeights, createRunner, DiffganError } from '@diffgan/core-models';
import type { Runner } from '@diffgan/core-models';
import { readSentences } from '../frontend/reading';
import type { SentenceReading } from '../frontend/types';
import { chunkSentence } from '../frontend/chunks';
import { frameFeatures, planSentence, planSyllables, FEATURE_CHANNELS } from './features';
import type { SynthesisPlan } from './features';
import { syllablePhones } from './phones';
import type { ProsodyModel } from './prosody';
import { MEL_MEAN, MEL_STD, MAG_MEAN, MAG_STD, N_BINS, N_MELS, RESIDUAL_SCALE, LOG_FLOOR } from './nets';
import { projectToMel } from './audio';
import { runGenerator, f0FromLogMel } from '../vocoder/generator';
import { stft, DEFAULT_STFT } from '../dsp/stft';
import { griffinLim } from '../dsp/griffin-lim';
import { denoiseResidual } from '../denoise/sampler';
import { encodeWav16 } from '../dsp/wav';

export const SAMPLE_RATE = 22050;
/**
 * Defaults, chosen by copy-synthesis on eval recordings: the final STFT's consistency sets the
 * MCD, and 32 Griffin-Lim iterations from the generator's phase keep the RTF under 0.2 on 2 cores
 * (the bench's RTF column).
 */
export const DEFAULT_DENOISE_STEPS = 1,
  DEFAULT_GL_ITERATIONS = 32;
/**
 * Griffin-Lim keeps the excitation's phase on the fundamental (bins below 1.25 F0 in voiced
 * frames): a consistent STFT otherwise smooths F0 over the 46 ms window and flattens the tone
 * contours (bench tone accuracy 88.2% -> 93.2%, copy-synthesis MCD 5.48 -> 6.16; see
 * docs/experiments/tts-voice.md, "The phase lock").
 */
export const DEFAULT_PHASE_LOCK = 1.25;
export const DEFAULT_WEIGHTS_DIR = path.resolve(__dirname, '..', '..', 'weights');

export interface SynthesizeOptions {
  /** Speaking rate factor (2 = twice as fast). Default 1. */
  speed?: number;
  /** F0 factor (1.2 = 20% higher). Default 1. */
  pitch?: number;
  /** Diffusion denoising steps on the spectrogram (0 = none). Default DEFAULT_DENOISE_STEPS. */
  steps?: number;
  /** Griffin-Lim iterations after denoising (initialised with the GAN phase). Default DEFAULT_GL_ITERATIONS. */
  griffinLimIterations?: number;
  /** Folder holding prosody.json and the acoustic/vocoder/denoiser weights. */
  weightsDir?: string;
  /** Rescale the denoised magnitude band by band to the target mel before Griffin-Lim (iterations; 0 = off). Default 3. */
  melProjection?: number;
  /** Called after each sentence. */
  onProgress?: (done: number, total: number) => void;
  /** Stops synthesis between stages and sentences: the call rejects with the signal's reason (an AbortError by default). */
  signal?: AbortSignal;
  seed?: number;
  /** 'tfjs' to avoid onnxruntime-node. */
  runtime?: 'auto' | 'onnxruntime-node' | 'tfjs';
  threads?: number;
  /** Keep the generator's (excitation) phase in voiced frames below this multiple of F0 during Griffin-Lim (0 = off). Default DEFAULT_PHASE_LOCK. */
  phaseLock?: number;
}

export interface SynthesisResult {
  audio: Float32Array;
  sampleRate: number;
}

export interface Voice {
  prosody: ProsodyModel;
  acoustic: Runner;
  vocoder: Runner;
  denoiser: Runner | null;
  dir: string;
  manifests: Record<string, unknown>;
}

const voices = new Map<string, Promise<Voice>>();

/** Loads (once per folder) the shipped voice. */
export function loadVoice(dir = DEFAULT_WEIGHTS_DIR, opts: { runtime?: SynthesizeOptions['runtime']; threads?: number } = {}): Promise<Voice> {
  const key = `${dir}|${opts.runtime ?? 'auto'}`;
  let v = voices.get(key);
  if (!v) {
    v = (async () => {
      const pj = path.join(dir, 'prosody.json');
      if (!fs.existsSync(pj)) throw new DiffganError(`no voice in ${dir} (prosody.json missing); train it with node dist/train/train.js`);
      const prosody = JSON.parse(fs.readFileSync(pj, 'utf8')) as ProsodyModel;
      const manifests: Record<string, unknown> = {};
      const runner = async (name: string, required: boolean): Promise<Runner | null> => {
        const mf = path.join(dir, `${name}.manifest.json`);
        if (!fs.existsSync(mf)) {
          if (required) throw new DiffganError(`missing ${mf}`);
          return null;
        }
        const { manifest, weights } = loadWeights(mf);
        manifests[name] = { ...manifest, architecture: undefined };
        return createRunner(manifest.architecture, weights, { runtime: opts.runtime, threads: opts.threads ?? 2 });
      };
      const [acoustic, vocoder, denoiser] = [await runner('acoustic', true), await runner('vocoder', true), await runner('denoiser', false)];
      return { prosody, acoustic: acoustic!, vocoder: vocoder!, denoiser, dir, manifests };
    })();
    voices.set(key, v);
    v.catch(() => voices.delete(key));
  }
  return v;
}

/** Normalised log-mel [T x 80] predicted for a plan. */
export async function acousticMel(voice: Voice, plan: SynthesisPlan): Promise<Float32Array> {
  const T = plan.frames;
  const x = frameFeatures(plan.tokens, plan.f0);
  const res = await voice.acoustic.run({ x: { data: x, shape: [1, T, 1, FEATURE_CHANNELS] } });
  return res.mel.data;
}

/**
 * Normalised log-mel -> waveform: the source-filter generator (F0 from `f0`, or estimated from
 * the mel when absent), then the spectrogram stages, each switchable: denoiser (steps), band
 * rescaling to the target mel (melProjection), Griffin-Lim started from the generator
 * waveform's phase (griffinLimIterations). All three 0 = the generator's waveform as is.
 */
export async function vocode(
  voice: Voice,
  melNorm: Float32Array,
  frames: number,
  opts: SynthesizeOptions = {},
  f0?: ArrayLike<number>,
): Promise<{ audio: Float32Array; ganAudio: Float32Array; logMag: Float32Array }> {
  const pitch =
    f0 ??
    f0FromLogMel(
      melNorm.map((v) => v * MEL_STD + MEL_MEAN),
      frames,
    );
  const gen = await runGenerator(voice.vocoder, melNorm, pitch, frames, opts.seed ?? 0);
  opts.signal?.throwIfAborted();
  const length = (frames - 1) * 256;
  const gan = gen.wave;
  const steps = voice.denoiser ? (opts.steps ?? DEFAULT_DENOISE_STEPS) : 0;
  const proj = opts.melProjection ?? 3,
    iterations = opts.griffinLimIterations ?? DEFAULT_GL_ITERATIONS;
  if (steps <= 0 && proj <= 0 && iterations <= 0) return { audio: gan, ganAudio: gan, logMag: gen.logMag };
  const spec = stft(gan, DEFAULT_STFT);
  const F = Math.min(frames, spec.nFrames);
  const logMag = new Float32Array(F * N_BINS);
  for (let i = 0; i < F * N_BINS; i++) logMag[i] = Math.max(gen.logMag[i], LOG_FLOOR);
  if (steps > 0) {
    // the denoiser corrects the magnitude the generator asked for (what it was trained on)
    const cond = logMag.map((v) => (v - MAG_MEAN) / MAG_STD);
    const residual = await denoiseResidual(voice.denoiser!, cond, F, steps, opts.seed ?? 0);
    opts.signal?.throwIfAborted();
    for (let i = 0; i < F * N_BINS; i++) logMag[i] += residual[i] * RESIDUAL_SCALE;
  }
  const mag = logMag.map((v) => Math.exp(Math.min(v, 6)));
  if (proj > 0) {
    projectToMel(
      mag,
      melNorm.map((v) => v * MEL_STD + MEL_MEAN),
      F,
      proj,
    );
    for (let i = 0; i < F * N_BINS; i++) logMag[i] = Math.log(Math.max(mag[i], 1e-5));
  }
  const init = { nFrames: F, nBins: N_BINS, re: spec.re.subarray(0, F * N_BINS), im: spec.im.subarray(0, F * N_BINS) };
  const lock = opts.phaseLock ?? DEFAULT_PHASE_LOCK,
    binHz = SAMPLE_RATE / 1024;
  const lockedBins = lock > 0 ? Array.from({ length: F }, (_, t) => (pitch[t] > 0 ? Math.round((lock * pitch[t]) / binHz) : 0)) : [];
  const audio = griffinLim({ nFrames: F, nBins: N_BINS, data: mag }, { initPhase: init, iterations, length, momentum: 0.99, lockedBins }).signal;
  return { audio, ganAudio: gan, logMag };
}

export interface SentenceAudio {
  sentence: SentenceReading;
  plan: SynthesisPlan;
  mel: Float32Array;
  audio: Float32Array;
}

/**
 * One sentence. A sentence longer than the voice handles well (a stretch without a phrase break
 * longer than the corpus has: see frontend/chunks.ts) is synthesised chunk by chunk, each with
 * its own plan (so its own declination from its start), acoustic pass, vocoding and peak
 * level, joined with the pause the prosody model gives a phrase break (#3). `plan` and `mel`
 * are then the chunks' plans and mels end to end, with the silences trimmed as the audio is.
 */
export async function synthesizeSentence(voice: Voice, sentence: SentenceReading, opts: SynthesizeOptions = {}): Promise<SentenceAudio> {
  const chunks = chunkSentence(sentence);
  if (chunks.length === 1) {
    const { plan, mel, audio } = await synthesizePlan(voice, planSentence(sentence, voice.prosody, { speed: opts.speed, pitch: opts.pitch }), opts);
    return { sentence, plan, mel, audio };
  }
  const parts: { plan: SynthesisPlan; mel: Float32Array; audio: Float32Array }[] = [];
  for (let c = 0; c < chunks.length; c++) {
    const part = await synthesizePlan(voice, planChunk(chunks[c], voice.prosody, c === chunks.length - 1, opts), opts);
    parts.push({ ...part, audio: normalizePeak(part.audio) });
  }
  return { sentence, ...joinChunks(parts, Math.round(voice.prosody.pause.frames[3] / (opts.speed ?? 1))) };
}

/**
 * One plan (tokens with frames, frame F0) through the acoustic model and the vocoder. The bench
 * also drives it with plans it did not predict: the corpus' real durations, with or without the
 * recording's F0 (where intelligibility is lost, #26).
 */
export async function synthesizePlan(
  voice: Voice,
  plan: SynthesisPlan,
  opts: SynthesizeOptions,
): Promise<{ plan: SynthesisPlan; mel: Float32Array; audio: Float32Array }> {
  opts.signal?.throwIfAborted();
  const melNorm = await acousticMel(voice, plan);
  opts.signal?.throwIfAborted();
  const { audio } = await vocode(voice, melNorm, plan.frames, opts, plan.f0);
  return { plan, mel: melNorm.map((v) => v * MEL_STD + MEL_MEAN), audio };
}

/** planSentence for a chunk: a chunk that is not the sentence's last ends with its phrase break, not a sentence end. */
function planChunk(chunk: SentenceReading, prosody: ProsodyModel, last: boolean, opts: SynthesizeOptions): SynthesisPlan {
  if (last) return planSentence(chunk, prosody, { speed: opts.speed, pitch: opts.pitch });
  const syllables = chunk.units.flatMap((u) =>
    u.syllables.map((s) => {
      const phones = syllablePhones(s.pinyin);
      return { pinyin: s.pinyin, initial: phones.initial, final: phones.final, tone: phones.tone, breakAfter: s.breakAfter };
    }),
  );
  return planSyllables(syllables, prosody, { speed: opts.speed, pitch: opts.pitch });
}

const HOP = 256;
/** Fade at each cut (5 ms): the cuts fall in silence, this only keeps a residual hiss from clicking. */
const CUT_FADE = 110;

/**
 * Chunks end to end with `gapFrames` of silence between: each keeps half the gap of its own
 * trailing/leading silence (whole frames, from audio, mel, plan tokens and F0 alike).
 */
function joinChunks(
  parts: { plan: SynthesisPlan; mel: Float32Array; audio: Float32Array }[],
  gapFrames: number,
): { plan: SynthesisPlan; mel: Float32Array; audio: Float32Array } {
  const tokens: SynthesisPlan['tokens'] = [],
    f0s: Float32Array[] = [],
    mels: Float32Array[] = [],
    audios: Float32Array[] = [];
  parts.forEach(({ plan, mel, audio }, c) => {
    const first = plan.tokens[0],
      last = plan.tokens[plan.tokens.length - 1];
    const dropLead = c > 0 ? Math.max(0, first.frames - Math.floor(gapFrames / 2)) : 0;
    const dropTrail = c < parts.length - 1 ? Math.max(0, last.frames - Math.ceil(gapFrames / 2)) : 0;
    const kept = plan.tokens.map((t) => ({ ...t }));
    kept[0].frames -= dropLead;
    kept[kept.length - 1].frames -= dropTrail;
    tokens.push(...kept);
    f0s.push(plan.f0.subarray(dropLead, plan.frames - dropTrail));
    mels.push(mel.subarray(dropLead * N_MELS, (plan.frames - dropTrail) * N_MELS));
    const a = audio.slice(dropLead * HOP, Math.max(dropLead * HOP, audio.length - dropTrail * HOP));
    const fade = Math.min(CUT_FADE, a.length >> 1);
    for (let i = 0; i < fade; i++) {
      if (dropLead) a[i] *= i / fade;
      if (dropTrail) a[a.length - 1 - i] *= i / fade;
    }
    audios.push(a);
  });
  const f0 = concat(f0s);
  return { plan: { tokens, f0, frames: f0.length }, mel: concat(mels), audio: concat(audios) };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Sentence by sentence (bounded memory for long texts). */
export async function* synthesizeStream(text: string, opts: SynthesizeOptions = {}): AsyncGenerator<SentenceAudio> {
  opts.signal?.throwIfAborted();
  const voice = await loadVoice(opts.weightsDir, opts);
  for (const sentence of readSentences(text)) {
    opts.signal?.throwIfAborted();
    if (!sentence.units.some((u) => u.syllables.length)) continue;
    yield await synthesizeSentence(voice, sentence, opts);
  }
}

/** Whole text -> 22,050 Hz mono float audio in [-1, 1]. */
export async function synthesize(text: string, opts: SynthesizeOptions = {}): Promise<SynthesisResult> {
  const parts: Float32Array[] = [];
  let done = 0;
  for await (const s of synthesizeStream(text, opts)) {
    parts.push(s.audio);
    opts.onProgress?.(++done, done);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const audio = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    audio.set(p, o);
    o += p.length;
  }
  return { audio: normalizePeak(audio), sampleRate: SAMPLE_RATE };
}

/** Scales down to a 0.95 peak when the signal clips (never up). */
export function normalizePeak(x: Float32Array, peak = 0.95): Float32Array {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(v));
  if (m > peak) for (let i = 0; i < x.length; i++) x[i] *= peak / m;
  return x;
}

/** 16-bit PCM mono WAV bytes. */
export function toWav(result: SynthesisResult | Float32Array, sampleRate = SAMPLE_RATE): Buffer {
  return result instanceof Float32Array ? encodeWav16(result, sampleRate) : encodeWav16(result.audio, result.sampleRate);
}
