/**
 * Training data on the main thread: real recordings (waveform, spectra, frame F0, tokens
 * with real durations) and MBROLA teacher renders of label sentences, cached on disk
 * (outside the repo) so repeated runs do not re-render.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadCorpus, recordingIds, recordingPath } from '../synth/corpus';
import type { CorpusUtterance } from '../synth/corpus';
import { readWav } from '../dsp/wav';
import { frameF0 } from '../dsp/f0';
import { spectra } from '../synth/audio';
import { frameFeatures, FEATURE_CHANNELS } from '../synth/features';
import type { PlanToken } from '../synth/features';
import { hzToSt, predictF0, stToHz } from '../synth/prosody';
import type { ProsodyModel } from '../synth/prosody';
import { renderTeacher } from '../acoustic/teacher';
import { DiffganError, Rng } from '@diffgan/core-models';

export interface RealUtterance {
  id: string;
  group: 'A' | 'B' | 'C';
  wave: Float32Array;
  frames: number;
  logMel: Float32Array;
  logMag: Float32Array;
  /** Frame-level F0 (Hz) at frame centres. */
  f0: Float32Array;
  /** Tokens with real durations, when they line up with the audio (groups A and B). */
  tokens: PlanToken[] | null;
}

export function groupOf(id: string, trimmed: Set<string>): 'A' | 'B' | 'C' {
  if (trimmed.has(id)) return 'C';
  const n = Number(id);
  return n >= 51 && n <= 100 ? 'B' : 'A';
}

const CACHE = process.env.TTS_CACHE ?? '/tmp/diffgan-tts-cache';

/** Real recordings with spectra and F0; cached under $TTS_CACHE (default /tmp/diffgan-tts-cache). */
export function loadRealUtterances(split: 'train' | 'eval' = 'train', corpus: CorpusUtterance[] = loadCorpus()): RealUtterance[] {
  const file = path.join(CACHE, `real-${split}.bin`);
  if (fs.existsSync(file)) {
    try {
      return decodeReal(fs.readFileSync(file));
    } catch {
      /* rebuild */
    }
  }
  const out = computeRealUtterances(split, corpus);
  fs.mkdirSync(CACHE, { recursive: true });
  fs.writeFileSync(file, encodeReal(out));
  return out;
}

function encodeReal(us: RealUtterance[]): Buffer {
  const meta = us.map((u) => ({
    id: u.id,
    group: u.group,
    frames: u.frames,
    tokens: u.tokens,
    n: [u.wave.length, u.logMel.length, u.logMag.length, u.f0.length],
  }));
  const head = Buffer.from(JSON.stringify(meta));
  const parts: Buffer[] = [Buffer.from(new Uint32Array([head.length]).buffer), head];
  const pad = (4 - ((4 + head.length) % 4)) % 4;
  parts.push(Buffer.alloc(pad));
  for (const u of us) for (const a of [u.wave, u.logMel, u.logMag, u.f0]) parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return Buffer.concat(parts);
}

function decodeReal(buf: Buffer): RealUtterance[] {
  const hl = buf.readUInt32LE(0);
  const meta = JSON.parse(buf.subarray(4, 4 + hl).toString()) as {
    id: string;
    group: 'A' | 'B' | 'C';
    frames: number;
    tokens: PlanToken[] | null;
    n: number[];
  }[];
  let off = 4 + hl + ((4 - ((4 + hl) % 4)) % 4);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const take = (n: number): Float32Array => {
    const a = new Float32Array(ab, off, n).slice();
    off += n * 4;
    return a;
  };
  return meta.map((m) => ({
    id: m.id,
    group: m.group,
    frames: m.frames,
    tokens: m.tokens,
    wave: take(m.n[0]),
    logMel: take(m.n[1]),
    logMag: take(m.n[2]),
    f0: take(m.n[3]),
  }));
}

function computeRealUtterances(split: 'train' | 'eval', corpus: CorpusUtterance[]): RealUtterance[] {
  const ids = recordingIds();
  const byId = new Map(corpus.map((u) => [u.id, u]));
  return (split === 'train' ? ids.train : ids.eval).map((id) => {
    const wave = readWav(recordingPath(id, split)).samples;
    const sp = spectra(wave);
    const group = groupOf(id, ids.trimmed);
    const u = byId.get(id);
    let tokens: PlanToken[] | null = null;
    if (u && group !== 'C') {
      const total = u.tokens.reduce((s, t) => s + t.frames, 0);
      if (Math.abs(total - (sp.frames - 1)) <= 3) tokens = u.tokens.map((t) => ({ ...t }));
    }
    return { id, group, wave, frames: sp.frames, logMel: sp.logMel, logMag: sp.logMag, f0: frameF0(wave, sp.frames), tokens };
  });
}

/** One aligned (features, log-mel) pair: features [T, FEATURE_CHANNELS], mel [T, 80]. */
export interface AcousticPair {
  features: Float32Array;
  mel: Float32Array;
  frames: number;
  source: 'real' | 'teacher';
}

/**
 * The F0 input of a real pair: 'recording', the recording's own (YIN: its pitch and its
 * voicing); 'plan', what synthesis gives the model, the prosody model's templates and voicing
 * on the recording's durations, at the recording's register; 'planVoicing', the recording's
 * pitch on the plan's voicing. With 'recording' the voicing pattern told real pairs from
 * teacher renders (always template voicing), and the plan's voicing made the model render its
 * MBROLA teacher (#26).
 */
export type RealF0 = 'recording' | 'plan' | 'planVoicing';
export const REAL_F0: readonly RealF0[] = ['recording', 'plan', 'planVoicing'];

/**
 * Template F0 (predictF0) on the recording's tokens, shifted by the mean semitone difference
 * between the recording's F0 and the templates over the frames voiced in both.
 */
export function planF0OfRecording(prosody: ProsodyModel, tokens: PlanToken[], recordingF0: ArrayLike<number>): Float32Array {
  const template = predictF0(prosody, tokens);
  let diff = 0,
    n = 0;
  for (let i = 0; i < template.length && i < recordingF0.length; i++)
    if (template[i] > 0 && recordingF0[i] > 0) {
      diff += hzToSt(recordingF0[i]) - hzToSt(template[i]);
      n++;
    }
  return n ? predictF0(prosody, tokens, 2 ** (diff / n / 12)) : template;
}

/**
 * The recording's F0 on the voicing of the templates (predictF0): voiced exactly where they are,
 * at the recording's pitch, linear in semitones across the recording's unvoiced frames (the
 * nearest voiced frame's beyond its first and last). All unvoiced: the templates.
 */
export function recordingPitchOnPlanVoicing(prosody: ProsodyModel, tokens: PlanToken[], recordingF0: ArrayLike<number>): Float32Array {
  const template = predictF0(prosody, tokens);
  const voiced: number[] = [];
  for (let i = 0; i < Math.min(template.length, recordingF0.length); i++) if (recordingF0[i] > 0) voiced.push(i);
  if (!voiced.length) return template;
  const out = new Float32Array(template.length);
  let k = 0; // voiced[k] is the first voiced frame at or after i
  for (let i = 0; i < out.length; i++) {
    while (k < voiced.length && voiced[k] < i) k++;
    if (!(template[i] > 0)) continue;
    const b = k < voiced.length ? voiced[k] : undefined,
      a = b === i ? i : k > 0 ? voiced[k - 1] : undefined;
    const st = (j: number): number => hzToSt(recordingF0[j]);
    if (a === undefined || b === undefined || a === b) out[i] = recordingF0[(a ?? b)!];
    else out[i] = stToHz(st(a) + ((st(b) - st(a)) * (i - a)) / (b - a));
  }
  return out;
}

/** The recording's (features, log-mel) pair, its features carrying the F0 that `realF0` names (prosody: the templates for 'plan' and 'planVoicing'). */
export function realPair(u: RealUtterance, realF0: RealF0 = 'recording', prosody?: ProsodyModel): AcousticPair | null {
  if (!u.tokens) return null;
  const T = Math.min(
    u.tokens.reduce((s, t) => s + t.frames, 0),
    u.frames,
  );
  if (realF0 !== 'recording' && !prosody) throw new DiffganError(`realF0 '${realF0}' needs the prosody model`);
  const f0 =
    realF0 === 'plan' ? planF0OfRecording(prosody!, u.tokens, u.f0) : realF0 === 'planVoicing' ? recordingPitchOnPlanVoicing(prosody!, u.tokens, u.f0) : u.f0;
  const feats = frameFeatures(u.tokens, f0).subarray(0, T * FEATURE_CHANNELS);
  return { features: Float32Array.from(feats), mel: u.logMel.slice(0, T * 80), frames: T, source: 'real' };
}

/** Ids of an inclusive range 'first-last' of six-digit ids ('' = none): recordings held out of training. */
export function idRange(range: string): (id: string) => boolean {
  if (!range) return () => false;
  const m = /^(\d+)-(\d+)$/.exec(range);
  if (!m) throw new DiffganError(`not an id range 'first-last': ${range}`);
  const lo = Number(m[1]),
    hi = Number(m[2]);
  return (id) => Number(id) >= lo && Number(id) <= hi;
}

/**
 * Teacher pairs for label sentences (real corpus durations, template F0 with a random
 * register shift of +-4 semitones so the model learns to follow its F0 input), cached
 * in `cacheDir` as <id>.f32 (features then mel).
 */
export function teacherPairs(ids: string[], prosody: ProsodyModel, cacheDir: string, seed = 0, log?: (s: string) => void): AcousticPair[] {
  fs.mkdirSync(cacheDir, { recursive: true });
  const byId = new Map(loadCorpus().map((u) => [u.id, u]));
  const rng = new Rng(seed);
  const out: AcousticPair[] = [];
  let rendered = 0;
  for (const id of ids) {
    const u = byId.get(id);
    if (!u) continue;
    const T = u.tokens.reduce((s, t) => s + t.frames, 0);
    const file = path.join(cacheDir, `${id}.f32`);
    const shift = rng.uniform() * 8 - 4;
    if (fs.existsSync(file)) {
      const buf = fs.readFileSync(file);
      const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
      if (all.length === T * (FEATURE_CHANNELS + 80)) {
        out.push({ features: all.slice(0, T * FEATURE_CHANNELS), mel: all.slice(T * FEATURE_CHANNELS), frames: T, source: 'teacher' });
        continue;
      }
    }
    const tokens: PlanToken[] = u.tokens.map((t) => ({ ...t }));
    const f0 = predictF0(prosody, tokens, 2 ** (shift / 12));
    const wave = renderTeacher(tokens, f0);
    if (!wave) continue;
    const sp = spectra(wave);
    const feats = frameFeatures(tokens, f0);
    const mel = sp.logMel.slice(0, T * 80);
    const all = new Float32Array(T * (FEATURE_CHANNELS + 80));
    all.set(feats, 0);
    all.set(mel, T * FEATURE_CHANNELS);
    fs.writeFileSync(file, Buffer.from(all.buffer));
    out.push({ features: feats, mel, frames: T, source: 'teacher' });
    if (++rendered % 200 === 0) log?.(`teacher: rendered ${rendered} (${out.length}/${ids.length})\n`);
  }
  return out;
}

/** Label ids usable as teacher sentences: not a real recording, not eval, not held out. */
export function teacherIds(count: number): string[] {
  const ids = recordingIds();
  const skip = new Set([...ids.train, ...ids.eval]);
  const out: string[] = [];
  for (const u of loadCorpus()) {
    if (!skip.has(u.id) && Number(u.id) < 9501) out.push(u.id);
    if (out.length >= count) break;
  }
  return out;
}
