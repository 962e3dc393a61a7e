/**
 * Prosody without a neural net: (a) a ridge regression of log syllable duration on tone,
 * initial, final, break levels and position, fit on the 9,799-sentence duration file, plus
 * pause (sp) probabilities and lengths per break level; (b) per-tone F0 contour templates
 * (8 points over the final, in semitones) with a per-phrase declination that resets at
 * breaks >= 3, fit on YIN F0 of the real training recordings with their real durations.
 */
import { INITIALS, FINALS, initialFrames, VOICED_INITIALS } from './phones';
import type { CorpusToken, CorpusUtterance } from './corpus';

export const CONTOUR_POINTS = 8;

export interface SyllableSpec {
  pinyin: string;
  initial: string;
  final: string;
  tone: number;
  breakAfter: number;
}

export interface ProsodyModel {
  format: 'diffgan-tts-prosody/1';
  duration: { weights: number[]; features: number; rmseLog: number; n: number };
  pause: { prob: number[]; frames: number[]; lead: number; trail: number };
  pitch: { meanSt: number; templates: number[][]; declination: number; rmseSt: number; n: number; voicedInitials: string[] };
}

// ---------------- durations ----------------
const INIT_IDX = new Map(INITIALS.map((x, i) => [x, i]));
const FIN_IDX = new Map(FINALS.map((x, i) => [x, i]));
export const DURATION_FEATURES = 1 + 5 + (INITIALS.length + 1) + (FINALS.length + 1) + 5 + 5 + 4;

/** Feature row for syllable i of a sentence (syllables only, pauses excluded). */
export function durationFeatures(syls: SyllableSpec[], i: number): Float64Array {
  const f = new Float64Array(DURATION_FEATURES);
  let o = 0;
  f[o++] = 1;
  const s = syls[i];
  f[o + Math.min(5, Math.max(1, s.tone)) - 1] = 1;
  o += 5;
  f[o + (INIT_IDX.get(s.initial) ?? INITIALS.length)] = 1;
  o += INITIALS.length + 1;
  f[o + (FIN_IDX.get(s.final) ?? FINALS.length)] = 1;
  o += FINALS.length + 1;
  f[o + Math.min(4, s.breakAfter)] = 1;
  o += 5;
  const before = i > 0 ? syls[i - 1].breakAfter : 4;
  f[o + Math.min(4, before)] = 1;
  o += 5;
  f[o++] = i === 0 ? 1 : 0;
  f[o++] = i === syls.length - 1 ? 1 : 0;
  f[o++] = syls.length > 1 ? i / (syls.length - 1) : 0;
  f[o++] = Math.min(syls.length, 40) / 20;
  return f;
}

/** Solves (XᵀX + λI) w = Xᵀy by Cholesky-free Gaussian elimination (small systems). */
export function ridgeSolve(xtx: Float64Array, xty: Float64Array, d: number, lambda: number): number[] {
  const a = Float64Array.from(xtx),
    b = Float64Array.from(xty);
  for (let i = 0; i < d; i++) a[i * d + i] += lambda;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]) > Math.abs(a[p * d + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < d; k++) {
        const t = a[c * d + k];
        a[c * d + k] = a[p * d + k];
        a[p * d + k] = t;
      }
      const t = b[c];
      b[c] = b[p];
      b[p] = t;
    }
    const piv = a[c * d + c] || 1e-12;
    for (let r = c + 1; r < d; r++) {
      const m = a[r * d + c] / piv;
      if (!m) continue;
      for (let k = c; k < d; k++) a[r * d + k] -= m * a[c * d + k];
      b[r] -= m * b[c];
    }
  }
  const w = new Array<number>(d).fill(0);
  for (let r = d - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < d; k++) s -= a[r * d + k] * w[k];
    w[r] = s / (a[r * d + r] || 1e-12);
  }
  return w;
}

function sylsOf(u: CorpusUtterance): { syls: SyllableSpec[]; frames: number[] } {
  const syls: SyllableSpec[] = [],
    frames: number[] = [];
  for (const t of u.tokens)
    if (t.kind === 'syl') {
      syls.push(t);
      frames.push(t.frames);
    }
  return { syls, frames };
}

export function fitDurations(corpus: CorpusUtterance[], lambda = 1): { model: ProsodyModel['duration']; pause: ProsodyModel['pause'] } {
  const d = DURATION_FEATURES;
  const xtx = new Float64Array(d * d),
    xty = new Float64Array(d);
  const rows: { f: Float64Array; y: number }[] = [];
  const pauseCount = [0, 0, 0, 0, 0],
    breakCount = [0, 0, 0, 0, 0],
    pauseFrames = [0, 0, 0, 0, 0];
  let lead = 0,
    trail = 0,
    nLead = 0,
    nTrail = 0;
  for (const u of corpus) {
    const { syls, frames } = sylsOf(u);
    for (let i = 0; i < syls.length; i++) {
      if (frames[i] <= 0) continue;
      const f = durationFeatures(syls, i),
        y = Math.log(frames[i]);
      for (let a = 0; a < d; a++) {
        if (!f[a]) continue;
        xty[a] += f[a] * y;
        for (let b = 0; b < d; b++) xtx[a * d + b] += f[a] * f[b];
      }
      if (rows.length < 200000) rows.push({ f, y });
    }
    // pauses after each syllable, by its break level
    const toks = u.tokens;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (t.kind !== 'syl') continue;
      const next = toks[i + 1];
      if (!next || next.kind === 'sil') continue;
      const b = Math.min(4, t.breakAfter);
      breakCount[b]++;
      if (next.kind === 'sp') {
        pauseCount[b]++;
        pauseFrames[b] += next.frames;
      }
    }
    if (toks[0]?.kind === 'sil') {
      lead += toks[0].frames;
      nLead++;
    }
    const last = toks[toks.length - 1];
    if (last?.kind === 'sil') {
      trail += last.frames;
      nTrail++;
    }
  }
  const weights = ridgeSolve(xtx, xty, d, lambda);
  let se = 0;
  for (const r of rows) {
    let p = 0;
    for (let a = 0; a < d; a++) p += r.f[a] * weights[a];
    se += (p - r.y) ** 2;
  }
  return {
    model: { weights, features: d, rmseLog: Math.sqrt(se / Math.max(1, rows.length)), n: rows.length },
    pause: {
      prob: breakCount.map((c, b) => (c ? pauseCount[b] / c : 0)),
      frames: pauseFrames.map((f, b) => (pauseCount[b] ? f / pauseCount[b] : 0)),
      lead: nLead ? lead / nLead : 20,
      trail: nTrail ? trail / nTrail : 20,
    },
  };
}

export function predictDurations(model: ProsodyModel, syls: SyllableSpec[], speed = 1): number[] {
  return syls.map((_, i) => {
    const f = durationFeatures(syls, i);
    let p = 0;
    for (let a = 0; a < f.length; a++) p += f[a] * model.duration.weights[a];
    return Math.max(3, Math.round(Math.exp(p) / speed));
  });
}

// ---------------- pitch ----------------
export const hzToSt = (hz: number): number => 12 * Math.log2(hz / 100);
export const stToHz = (st: number): number => 100 * 2 ** (st / 12);

/** Mean F0 (semitones re 100 Hz) in CONTOUR_POINTS bins of a voiced span of a frame-level track; null if mostly unvoiced. */
export function contourOf(f0: ArrayLike<number>, start: number, end: number): number[] | null {
  const n = end - start;
  if (n < 3) return null;
  let voiced = 0;
  for (let i = start; i < end; i++) if (f0[i] > 0) voiced++;
  if (voiced < 0.6 * n) return null;
  const out: number[] = [];
  for (let k = 0; k < CONTOUR_POINTS; k++) {
    const a = start + Math.floor((k * n) / CONTOUR_POINTS),
      b = Math.max(a + 1, start + Math.floor(((k + 1) * n) / CONTOUR_POINTS));
    let s = 0,
      c = 0;
    for (let i = a; i < b; i++)
      if (f0[i] > 0) {
        s += hzToSt(f0[i]);
        c++;
      }
    out.push(c ? s / c : NaN);
  }
  // fill gaps from neighbours
  for (let k = 0; k < CONTOUR_POINTS; k++)
    if (Number.isNaN(out[k])) {
      const l = out
          .slice(0, k)
          .reverse()
          .find((v) => !Number.isNaN(v)),
        r = out.slice(k + 1).find((v) => !Number.isNaN(v));
      out[k] = l ?? r ?? NaN;
    }
  return out.some(Number.isNaN) ? null : out;
}

/** Per-syllable observations for the pitch fit: utterance, tone, time since phrase start, contour. */
export interface PitchObservation {
  utt: number;
  tone: number;
  tPhrase: number;
  contour: number[];
}

/**
 * Observations from a frame-level F0 track (one value per 256-sample frame) and real token
 * durations; frames of the initial are skipped.
 */
export function pitchObservations(tokens: CorpusToken[], f0: ArrayLike<number>, utt: number): PitchObservation[] {
  const out: PitchObservation[] = [];
  let pos = 0,
    phraseStart = 0;
  for (const t of tokens) {
    if (t.kind === 'syl') {
      const ini = initialFrames(t.initial, t.frames);
      const c = contourOf(f0, pos + ini, pos + t.frames);
      if (c) out.push({ utt, tone: t.tone, tPhrase: ((pos - phraseStart) * 256) / 22050, contour: c });
      pos += t.frames;
      if (t.breakAfter >= 3) phraseStart = pos;
    } else {
      pos += t.frames;
      if (t.kind === 'sp' || t.kind === 'sil') phraseStart = pos;
    }
  }
  return out;
}

/** Fits st = m_utt + template[tone][k] + declination * tPhrase by alternating least squares. */
export function fitPitch(obs: PitchObservation[]): ProsodyModel['pitch'] {
  const K = CONTOUR_POINTS;
  const nUtt = obs.reduce((m, o) => Math.max(m, o.utt + 1), 0);
  const uttMean = new Float64Array(nUtt);
  const templates = Array.from({ length: 5 }, () => new Array<number>(K).fill(0));
  let decl = 0;
  for (let iter = 0; iter < 20; iter++) {
    // utterance offsets
    const s = new Float64Array(nUtt),
      c = new Float64Array(nUtt);
    for (const o of obs)
      for (let k = 0; k < K; k++) {
        s[o.utt] += o.contour[k] - templates[o.tone - 1][k] - decl * o.tPhrase;
        c[o.utt]++;
      }
    for (let u = 0; u < nUtt; u++) uttMean[u] = c[u] ? s[u] / c[u] : 0;
    // templates
    const ts = Array.from({ length: 5 }, () => new Float64Array(K)),
      tc = new Float64Array(5);
    for (const o of obs) {
      tc[o.tone - 1]++;
      for (let k = 0; k < K; k++) ts[o.tone - 1][k] += o.contour[k] - uttMean[o.utt] - decl * o.tPhrase;
    }
    for (let t = 0; t < 5; t++) for (let k = 0; k < K; k++) templates[t][k] = tc[t] ? ts[t][k] / tc[t] : 0;
    // centre templates on their overall mean (absorbed by utterance means)
    // declination
    let num = 0,
      den = 0;
    for (const o of obs)
      for (let k = 0; k < K; k++) {
        const r = o.contour[k] - uttMean[o.utt] - templates[o.tone - 1][k];
        num += r * o.tPhrase;
        den += o.tPhrase * o.tPhrase;
      }
    decl = den ? num / den : 0;
  }
  let meanSt = 0;
  for (let u = 0; u < nUtt; u++) meanSt += uttMean[u] / Math.max(1, nUtt);
  let se = 0,
    n = 0;
  for (const o of obs)
    for (let k = 0; k < K; k++) {
      se += (o.contour[k] - uttMean[o.utt] - templates[o.tone - 1][k] - decl * o.tPhrase) ** 2;
      n++;
    }
  return { meanSt, templates, declination: decl, rmseSt: Math.sqrt(se / Math.max(1, n)), n: obs.length, voicedInitials: [...VOICED_INITIALS] };
}

/**
 * Longest time declination runs from a phrase start. The corpus' longest intonational phrases
 * (26 syllables) last ~5.5 s; beyond that the fitted slope (about -2 st/s) would carry F0 below
 * the speaker's range (115 Hz at the 1st percentile) and, over a long unpunctuated stretch, to a
 * few Hz, where the vocoder makes loud spikes. Long sentences are cut into chunks before this
 * matters (frontend/chunks.ts); the bound holds for slow speaking rates and hand-marked text.
 */
export const MAX_DECLINATION_SECONDS = 6;

/** Frame-level F0 (Hz, 0 = unvoiced) for tokens with frames, from the templates. */
export function predictF0(
  model: ProsodyModel,
  tokens: { kind: string; initial: string; tone: number; frames: number; breakAfter: number }[],
  pitch = 1,
): Float32Array {
  const total = tokens.reduce((s, t) => s + t.frames, 0);
  const f0 = new Float32Array(total);
  const p = model.pitch,
    K = CONTOUR_POINTS;
  let pos = 0,
    phraseStart = 0;
  for (const t of tokens) {
    if (t.kind === 'syl') {
      const ini = initialFrames(t.initial, t.frames);
      const base = p.meanSt + 12 * Math.log2(pitch);
      const tpl = p.templates[Math.min(5, Math.max(1, t.tone)) - 1];
      const n = t.frames - ini;
      for (let i = 0; i < t.frames; i++) {
        const tSec = Math.min(MAX_DECLINATION_SECONDS, ((pos + i - phraseStart) * 256) / 22050);
        let st: number;
        if (i < ini) {
          if (!p.voicedInitials.includes(t.initial)) continue;
          st = tpl[0];
        } else {
          const x = ((i - ini + 0.5) / n) * K - 0.5;
          const k0 = Math.max(0, Math.min(K - 1, Math.floor(x))),
            k1 = Math.min(K - 1, k0 + 1),
            w = Math.max(0, Math.min(1, x - k0));
          st = tpl[k0] * (1 - w) + tpl[k1] * w;
        }
        f0[pos + i] = stToHz(base + st + p.declination * tSec);
      }
      pos += t.frames;
      if (t.breakAfter >= 3) phraseStart = pos;
    } else {
      pos += t.frames;
      phraseStart = pos;
    }
  }
  // light smoothing of voiced runs (3-frame mean) so syllable joins are continuous
  const out = Float32Array.from(f0);
  for (let i = 1; i < total - 1; i++) if (f0[i - 1] > 0 && f0[i] > 0 && f0[i + 1] > 0) out[i] = (f0[i - 1] + f0[i] + f0[i + 1]) / 3;
  return out;
}
