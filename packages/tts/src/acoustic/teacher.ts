/**
 * Training-time teacher: MBROLA with the cn1 diphone voice (non-commercial licence; Debian
 * contrib/non-free; never a runtime dependency), driven by a .pho written from our own token
 * durations and frame F0, so its output is aligned frame for frame with the plan.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { cn1Phones, initialFrames } from '../synth/phones';
import type { PlanToken } from '../synth/features';
import { decodeWav } from '../dsp/wav';

export const MBROLA_VOICE = '/usr/share/mbrola/cn1/cn1';
const MS_PER_FRAME = (256 / 22050) * 1000;

export function mbrolaAvailable(): boolean {
  if (!fs.existsSync(MBROLA_VOICE)) return false;
  const r = spawnSync('mbrola', ['-h'], { encoding: 'utf8' });
  return !r.error;
}

/** .pho text for tokens with frames and a frame-level F0 track (Hz, 0 unvoiced). */
export function phoFor(tokens: PlanToken[], f0: ArrayLike<number>): string {
  const lines: string[] = [];
  let pos = 0,
    emitted = 0; // cumulative rounding keeps the ms grid aligned with frames
  const ms = (endFrame: number): number => {
    const target = Math.round(endFrame * MS_PER_FRAME);
    const d = target - emitted;
    emitted = target;
    return d;
  };
  const pitchPoints = (a: number, b: number): string => {
    const pts: string[] = [];
    for (const q of [0, 25, 50, 75, 100]) {
      const i = Math.min(b - 1, Math.max(a, Math.round(a + ((b - a - 1) * q) / 100)));
      const hz = f0[i] > 0 ? f0[i] : 0;
      if (hz > 0) pts.push(`${q} ${Math.round(hz)}`);
    }
    return pts.join(' ');
  };
  for (const t of tokens) {
    if (t.kind !== 'syl') {
      lines.push(`_ ${ms(pos + t.frames)}`);
      pos += t.frames;
      continue;
    }
    const base = t.pinyin.replace(/[0-9]$/, '');
    const ph = cn1Phones(base) ?? ['', 'a'];
    const [onset, rhyme] = ph;
    // the same initial/final split as the acoustic features; glide-only onsets (y, w) get a short slot
    const iniFrames = !onset ? 0 : t.initial ? initialFrames(t.initial, t.frames) : Math.max(1, Math.min(t.frames - 2, Math.round(0.12 * t.frames)));
    if (onset) lines.push(`${onset} ${ms(pos + iniFrames)}`);
    lines.push(`${rhyme} ${ms(pos + t.frames)} ${pitchPoints(pos + iniFrames, pos + t.frames)}`.trim());
    lines.push('_ 0');
    pos += t.frames;
  }
  return lines.join('\n') + '\n';
}

/** Renders tokens with MBROLA; returns a signal of exactly frames*256 samples (padded/cropped). */
export function renderTeacher(tokens: PlanToken[], f0: ArrayLike<number>, tmpDir = '/tmp'): Float32Array | null {
  const frames = tokens.reduce((s, t) => s + t.frames, 0);
  const tag = `${process.pid}_${Math.random().toString(36).slice(2)}`;
  const pho = `${tmpDir}/t_${tag}.pho`,
    wav = `${tmpDir}/t_${tag}.wav`;
  fs.writeFileSync(pho, phoFor(tokens, f0));
  const r = spawnSync('mbrola', ['-e', MBROLA_VOICE, pho, wav], { encoding: 'utf8' });
  try {
    if (r.status !== 0 || !fs.existsSync(wav)) return null;
    const audio = decodeWav(fs.readFileSync(wav));
    const out = new Float32Array(frames * 256);
    out.set(audio.samples.subarray(0, Math.min(out.length, audio.samples.length)));
    return out;
  } finally {
    fs.rmSync(pho, { force: true });
    fs.rmSync(wav, { force: true });
  }
}
