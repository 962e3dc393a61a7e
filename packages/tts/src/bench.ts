/**
 * One benchmark run, one table, on the 10 eval recordings (009501-009510):
 *  - copy-synthesis (real recording -> log-mel -> ours / Griffin-Lim alone from the mel's
 *    pseudo-inverse magnitude, 32 and 100 iterations): LSD (dB) and MCD (index-aligned)
 *  - TTS of the same sentences (plain text through the front end): MCD with DTW and F0 RMSE
 *    along the DTW path vs the real recordings, for ours, espeak-ng and MBROLA cn1
 *  - tone accuracy of a per-syllable F0-contour classifier fit on the train recordings
 *  - RTF (synthesis time / audio time) and model sizes; spectrogram PNGs (real, ours, espeak)
 *   npm run bench -w @diffgan/tts [-- --out bench --steps 2 --gl 4 --phase-lock 0]   (--help: the options)
 *   npm run bench -w @diffgan/tts -- soak [--n 1000]   (soak.ts: RSS and open files over N synthesize calls)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { spawnSync } from 'child_process';
import { updateManifestMetrics, mean, defineCommand, writeBenchReport } from '@diffgan/core-models';
import type { BenchReport, ColumnSpec } from '@diffgan/core-models';
import {
  loadVoice,
  vocode,
  synthesizeSentence,
  DEFAULT_WEIGHTS_DIR,
  DEFAULT_DENOISE_STEPS,
  DEFAULT_GL_ITERATIONS,
  DEFAULT_PHASE_LOCK,
} from './synth/synthesize';
import type { SynthesizeOptions, Voice } from './synth/synthesize';
import { loadRealUtterances } from './train/data';
import { frameF0 } from './dsp/f0';
import type { RealUtterance } from './train/data';
import { loadCorpus } from './synth/corpus';
import { MEL_MEAN, MEL_STD } from './synth/nets';
import { logSpectralDistance, melCepstralDistortion, signalMelCepstrum } from './dsp/metrics';
import { griffinLim } from './dsp/griffin-lim';
import { melToLinear, melPseudoInverse } from './dsp/mel';
import { filterbank, spectra } from './synth/audio';
import { dtw } from './dsp/dtw';
import { readSentence } from './frontend/reading';
import { contourOf } from './synth/prosody';
import { initialFrames } from './synth/phones';
import type { PlanToken } from './synth/features';
import { renderTeacher, mbrolaAvailable } from './acoustic/teacher';
import { decodeWav, encodeWav16 } from './dsp/wav';
import { spectrogramPng } from './synth/png';
import { resample } from './dsp/resample';
import { soak } from './soak';

const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const fp = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a (no voiced finals found)');

// ---------------- tone classifier ----------------
/**
 * F0 for the tone measure: YIN over the speaker's range. The BZNSYP speaker's voiced frames
 * span 115-377 Hz (1st-99th percentile of the train recordings), so 100-450 Hz. YIN's window is
 * one longest period: 60 Hz (frameF0's default, meant for any voice) makes it 33 ms and
 * smooths tone contours, so that a clean harmonic signal at exactly the plan's F0 scored 80%
 * instead of the plan's 95%; at 100-450 Hz it scores 99% (the "instrument check" row).
 */
export const TONE_F0 = { fMin: 100, fMax: 450 };
const toneF0 = (wave: Float32Array, frames: number): Float32Array => frameF0(wave, frames, TONE_F0);

/** A harmonic sawtooth (partials to 5 kHz) following a frame-rate F0 track, silent where unvoiced. */
export function harmonicSignal(f0: ArrayLike<number>, frames: number, hop = 256, sampleRate = 22050): Float32Array {
  const n = (frames - 1) * hop,
    y = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.floor(i / hop),
      b = Math.min(a + 1, frames - 1),
      w = i / hop - a;
    const fa = f0[a],
      fb = f0[b];
    const hz = fa > 0 && fb > 0 ? fa * (1 - w) + fb * w : fa > 0 ? fa : fb;
    if (hz <= 0) continue;
    phase += hz / sampleRate;
    let v = 0;
    for (let h = 1; h * hz < 5000; h++) v += Math.sin(2 * Math.PI * h * phase) / h;
    y[i] = 0.1 * v;
  }
  return y;
}

interface ToneSample {
  tone: number;
  feat: number[];
}

/**
 * Features of each syllable's final (tones 1-4, mostly voiced finals): the 8-point contour
 * minus its own mean (shape), its level relative to the utterance and to the neighbouring
 * syllables, and three slopes (semitones).
 */
export function toneSamples(tokens: PlanToken[], f0: ArrayLike<number>): ToneSample[] {
  const raw: ({ tone: number; c: number[] | null } | null)[] = [];
  let pos = 0;
  for (const t of tokens) {
    if (t.kind === 'syl') {
      const ini = initialFrames(t.initial, t.frames);
      raw.push({ tone: t.tone, c: contourOf(f0, pos + ini, pos + t.frames) });
    } else raw.push(null);
    pos += t.frames;
  }
  const voiced = raw.filter((r) => r?.c).flatMap((r) => r!.c!);
  if (!voiced.length) return [];
  const m = mean(voiced);
  const out: ToneSample[] = [];
  raw.forEach((r, i) => {
    if (!r?.c || r.tone < 1 || r.tone > 4) return;
    const c = r.c,
      level = mean(c);
    const nb = [raw[i - 1], raw[i + 1]].filter((x) => x?.c).map((x) => mean(x!.c!));
    const nbLevel = nb.length ? mean(nb) : m;
    out.push({ tone: r.tone, feat: [...c.map((v) => v - level), level - m, level - nbLevel, c[7] - c[0], c[3] - c[0], c[7] - c[4]] });
  });
  return out;
}

/** Gaussian classifier with a diagonal covariance per tone and class priors. */
export class ToneClassifier {
  means: number[][] = [];
  vars: number[][] = [];
  priors: number[] = [];
  fit(samples: ToneSample[]): this {
    const d = samples[0].feat.length;
    const byTone = [1, 2, 3, 4].map((t) => samples.filter((x) => x.tone === t));
    this.means = byTone.map((s) => Array.from({ length: d }, (_, k) => mean(s.map((x) => x.feat[k]))));
    this.vars = byTone.map((s, i) => Array.from({ length: d }, (_, k) => mean(s.map((x) => (x.feat[k] - this.means[i][k]) ** 2)) + 1e-2));
    this.priors = byTone.map((s) => Math.max(s.length, 1) / samples.length);
    return this;
  }
  predict(feat: number[]): number {
    let best = 1,
      bd = Infinity;
    this.means.forEach((m, i) => {
      let dd = -2 * Math.log(this.priors[i]);
      for (let k = 0; k < feat.length; k++) dd += (feat[k] - m[k]) ** 2 / this.vars[i][k] + Math.log(this.vars[i][k]);
      if (dd < bd) {
        bd = dd;
        best = i + 1;
      }
    });
    return best;
  }
  accuracy(samples: ToneSample[]): number {
    return samples.length ? samples.filter((s) => this.predict(s.feat) === s.tone).length / samples.length : NaN;
  }
}

// ---------------- TTS comparisons ----------------
/** MCD (DTW) and F0 RMSE (Hz, cents) along the same DTW path, vs the real recording. */
function ttsScores(real: Float32Array, est: Float32Array): { mcd: number; f0Hz: number; f0Cents: number } {
  const dim = 25;
  const a = signalMelCepstrum(real),
    b = signalMelCepstrum(est);
  const dist = (x: Float32Array, i: number, y: Float32Array, j: number): number => {
    let s = 0;
    for (let d = 1; d < dim; d++) s += (x[i * dim + d] - y[j * dim + d]) ** 2;
    return (10 / Math.LN10) * Math.SQRT2 * Math.sqrt(s);
  };
  const { path: p } = dtw(a, b, dim, dist);
  const mcd = mean(p.map(([i, j]) => dist(a, i, b, j)));
  const fa = frameF0(real, a.length / dim),
    fb = frameF0(est, b.length / dim);
  let se = 0,
    sc = 0,
    n = 0;
  for (const [i, j] of p)
    if (fa[i] > 0 && fb[j] > 0) {
      se += (fa[i] - fb[j]) ** 2;
      sc += (1200 * Math.log2(fb[j] / fa[i])) ** 2;
      n++;
    }
  return { mcd, f0Hz: n ? Math.sqrt(se / n) : NaN, f0Cents: n ? Math.sqrt(sc / n) : NaN };
}

function espeak(text: string): Float32Array | null {
  const out = `/tmp/tts_bench_espeak_${process.pid}.wav`;
  const r = spawnSync('espeak-ng', ['-v', 'cmn-latn-pinyin', '-w', out, text], { encoding: 'utf8' });
  if (r.error || r.status !== 0 || !fs.existsSync(out)) return null;
  const w = decodeWav(fs.readFileSync(out));
  fs.rmSync(out, { force: true });
  return w.sampleRate === 22050 ? w.samples : resample(w.samples, w.sampleRate, 22050);
}

function fileSize(p: string): number {
  return fs.existsSync(p) ? fs.statSync(p).size : 0;
}

export async function runBench(opts: {
  out: string;
  synth: SynthesizeOptions;
  weightsDir?: string;
  updateManifests?: boolean;
  log?: (s: string) => void;
}): Promise<string> {
  const log = opts.log ?? (() => undefined);
  const voice: Voice = await loadVoice(opts.weightsDir ?? DEFAULT_WEIGHTS_DIR);
  const corpus = loadCorpus();
  const byId = new Map(corpus.map((u) => [u.id, u]));
  const labels = new Map<string, string>();
  for (const u of corpus) labels.set(u.id, u.text);
  const evalUtts: RealUtterance[] = loadRealUtterances('eval', corpus);
  const trainUtts = loadRealUtterances('train', corpus);
  fs.mkdirSync(opts.out, { recursive: true });

  // tone classifier on the train recordings (real durations, real F0)
  const clf = new ToneClassifier().fit(trainUtts.filter((u) => u.tokens).flatMap((u) => toneSamples(u.tokens!, toneF0(u.wave, u.frames))));
  const realTone = mean(
    evalUtts
      .filter((u) => u.tokens)
      .flatMap((u) => toneSamples(u.tokens!, toneF0(u.wave, u.frames)))
      .map((s) => (clf.predict(s.feat) === s.tone ? 1 : 0)),
  );
  log(`tone classifier: ${f(realTone * 100, 1)}% on the real eval recordings\n`);

  // copy-synthesis
  const fb = filterbank(),
    pinv = melPseudoInverse(fb);
  const copy = {
    gl32: { lsd: [] as number[], mcd: [] as number[] },
    gl100: { lsd: [] as number[], mcd: [] as number[] },
    gan: { lsd: [] as number[], mcd: [] as number[] },
    noDenoiser: { lsd: [] as number[], mcd: [] as number[] },
    ours: { lsd: [] as number[], mcd: [] as number[] },
  };
  for (const u of evalUtts) {
    const melNorm = u.logMel.map((v) => (v - MEL_MEAN) / MEL_STD);
    const r = await vocode(voice, melNorm, u.frames, opts.synth);
    const plain = await vocode(voice, melNorm, u.frames, { ...opts.synth, steps: 0 }); // the denoiser's share
    const lin = melToLinear({ nFrames: u.frames, nBins: 80, data: u.logMel.map(Math.exp) }, fb, pinv);
    const g32 = griffinLim(lin, { iterations: 32, length: u.wave.length, seed: 0 }).signal;
    const g100 = griffinLim(lin, { iterations: 100, length: u.wave.length, seed: 0 }).signal;
    const fit = (x: Float32Array): Float32Array => {
      const y = new Float32Array(u.wave.length);
      y.set(x.subarray(0, y.length));
      return y;
    };
    for (const [k, sig] of [
      ['gl32', g32],
      ['gl100', g100],
      ['gan', fit(r.ganAudio)],
      ['noDenoiser', fit(plain.audio)],
      ['ours', fit(r.audio)],
    ] as const) {
      copy[k].lsd.push(logSpectralDistance(u.wave, sig));
      copy[k].mcd.push(melCepstralDistortion(u.wave, sig));
    }
    log(`copy ${u.id}: LSD ours ${f(copy.ours.lsd.at(-1)!)} gl32 ${f(copy.gl32.lsd.at(-1)!)}\n`);
  }

  // TTS
  const tts = {
    ours: [] as ReturnType<typeof ttsScores>[],
    gan: [] as ReturnType<typeof ttsScores>[],
    espeak: [] as ReturnType<typeof ttsScores>[],
    mbrola: [] as ReturnType<typeof ttsScores>[],
  };
  const tone = { plan: [] as number[], ideal: [] as number[], ours: [] as number[], gan: [] as number[], mbrola: [] as number[] };
  const toneHits = (tokens: PlanToken[], f0: ArrayLike<number>): number[] => toneSamples(tokens, f0).map((x) => (clf.predict(x.feat) === x.tone ? 1 : 0));
  let synthSecs = 0,
    audioSecs = 0;
  const haveMbrola = mbrolaAvailable();
  for (const u of evalUtts) {
    const text = labels.get(u.id) ?? byId.get(u.id)?.text ?? '';
    const reading = readSentence(text);
    const t0 = performance.now();
    const s = await synthesizeSentence(voice, reading, opts.synth);
    synthSecs += (performance.now() - t0) / 1000;
    audioSecs += s.audio.length / 22050;
    tts.ours.push(ttsScores(u.wave, s.audio));
    tone.ours.push(...toneHits(s.plan.tokens, toneF0(s.audio, s.plan.frames)));
    tone.plan.push(...toneHits(s.plan.tokens, s.plan.f0));
    tone.ideal.push(...toneHits(s.plan.tokens, toneF0(harmonicSignal(s.plan.f0, s.plan.frames), s.plan.frames)));
    // the generator's own waveform (excitation phase, no spectrogram stages): what Griffin-Lim costs in pitch
    const gan = (
      await vocode(
        voice,
        s.mel.map((v) => (v - MEL_MEAN) / MEL_STD),
        s.plan.frames,
        { steps: 0, griffinLimIterations: 0, melProjection: 0 },
        s.plan.f0,
      )
    ).audio;
    tts.gan.push(ttsScores(u.wave, gan));
    tone.gan.push(...toneHits(s.plan.tokens, toneF0(gan, s.plan.frames)));
    const es = espeak(text);
    if (es) tts.espeak.push(ttsScores(u.wave, es));
    if (haveMbrola) {
      const mb = renderTeacher(s.plan.tokens, s.plan.f0);
      if (mb) {
        tts.mbrola.push(ttsScores(u.wave, mb));
        tone.mbrola.push(...toneHits(s.plan.tokens, toneF0(mb, s.plan.frames)));
      }
    }
    if (u === evalUtts[0]) {
      const panels = [
        { mel: u.logMel, frames: u.frames, bands: 80 },
        { mel: spectra(s.audio).logMel, frames: spectra(s.audio).frames, bands: 80 },
      ];
      if (es) {
        const e = spectra(es);
        panels.push({ mel: e.logMel, frames: e.frames, bands: 80 });
      }
      fs.writeFileSync(path.join(opts.out, `spectrogram_${u.id}_real_ours_espeak.png`), await spectrogramPng(panels));
      fs.writeFileSync(path.join(opts.out, `tts_${u.id}_ours.wav`), encodeWav16(s.audio, 22050));
    }
    log(
      `tts ${u.id}: MCD ours ${f(tts.ours.at(-1)!.mcd)} espeak ${es ? f(tts.espeak.at(-1)!.mcd) : 'n/a'} mbrola ${tts.mbrola.length ? f(tts.mbrola.at(-1)!.mcd) : 'n/a'}\n`,
    );
  }
  const rtf = synthSecs / audioSecs;
  const agg = (xs: ReturnType<typeof ttsScores>[]): { mcd: number; hz: number; cents: number } => ({
    mcd: mean(xs.map((x) => x.mcd)),
    hz: mean(xs.map((x) => x.f0Hz).filter(Number.isFinite)),
    cents: mean(xs.map((x) => x.f0Cents).filter(Number.isFinite)),
  });
  const o = agg(tts.ours),
    g = agg(tts.gan),
    e = agg(tts.espeak),
    m = agg(tts.mbrola);
  const sizes =
    ['acoustic', 'vocoder', 'denoiser']
      .map((n) => {
        const mf = path.join(voice.dir, `${n}.manifest.json`);
        const man = fs.existsSync(mf)
          ? (JSON.parse(fs.readFileSync(mf, 'utf8')) as { weights: { params: number; bytes: number }; training: { steps: number } })
          : null;
        return man
          ? `${n} ${(man.weights.params / 1e6).toFixed(2)}M params / ${(man.weights.bytes / 2 ** 20).toFixed(1)} MiB / ${man.training.steps} steps`
          : `${n} missing`;
      })
      .join('; ') + `; prosody.json ${(fileSize(path.join(voice.dir, 'prosody.json')) / 1024).toFixed(0)} KiB`;
  const impr = (a: number, b: number): string => `${f((1 - a / b) * 100, 0)}%`;
  const synthLabel = `GAN + ${opts.synth.steps ?? DEFAULT_DENOISE_STEPS}-step denoiser + GL ${opts.synth.griffinLimIterations ?? DEFAULT_GL_ITERATIONS} (phase lock ${opts.synth.phaseLock ?? DEFAULT_PHASE_LOCK} F0)`;
  const f0 = (x: { hz: number; cents: number }): string => `${f(x.hz, 1)} (${f(x.cents, 0)})`;
  const rows: TtsBenchRow[] = [
    { system: 'real recording', tone: `${f(realTone * 100, 1)}%` },
    { system: 'Griffin-Lim 32 it. (mel pinv)', copyLsd: f(mean(copy.gl32.lsd)), copyMcd: f(mean(copy.gl32.mcd)) },
    { system: 'Griffin-Lim 100 it. (mel pinv)', copyLsd: f(mean(copy.gl100.lsd)), copyMcd: f(mean(copy.gl100.mcd)) },
    { system: 'prosody plan F0 (no audio; the classifier on our intended contours)', tone: fp(mean(tone.plan)) },
    { system: 'instrument check: a harmonic signal at exactly the plan F0, through the same F0 tracker', tone: fp(mean(tone.ideal)) },
    {
      system: 'ours: GAN generator only',
      copyLsd: f(mean(copy.gan.lsd)),
      copyMcd: f(mean(copy.gan.mcd)),
      ttsMcd: f(g.mcd),
      f0: f0(g),
      tone: fp(mean(tone.gan)),
    },
    {
      system: `ours without the denoiser (GAN + mel rescaling + GL ${opts.synth.griffinLimIterations ?? DEFAULT_GL_ITERATIONS}, phase lock)`,
      copyLsd: f(mean(copy.noDenoiser.lsd)),
      copyMcd: f(mean(copy.noDenoiser.mcd)),
    },
    {
      system: `ours: ${synthLabel}`,
      copyLsd: f(mean(copy.ours.lsd)),
      copyMcd: f(mean(copy.ours.mcd)),
      ttsMcd: f(o.mcd),
      f0: f0(o),
      tone: fp(mean(tone.ours)),
      rtf: f(rtf, 3),
    },
    { system: 'espeak-ng (cmn-latn-pinyin)', ttsMcd: f(e.mcd), f0: f0(e) },
    { system: 'MBROLA cn1 (our durations/F0)', ttsMcd: f(m.mcd), f0: f0(m), tone: fp(mean(tone.mbrola)) },
  ];
  const notes = [
    `Copy-synthesis LSD improvement of ours over GL32: ${impr(mean(copy.ours.lsd), mean(copy.gl32.lsd))}, over GL100: ${impr(mean(copy.ours.lsd), mean(copy.gl100.lsd))}; MCD over GL32: ${impr(mean(copy.ours.mcd), mean(copy.gl32.mcd))}, over GL100: ${impr(mean(copy.ours.mcd), mean(copy.gl100.mcd))} (target >= 20%).`,
    `Model size: ${sizes}.`,
    `10 eval recordings 009501-009510; tone accuracy over tones 1-4 of syllables with a mostly voiced final (F0: YIN over the speaker's range ${TONE_F0.fMin}-${TONE_F0.fMax} Hz; F0 RMSE: YIN 60-500 Hz for every voice); RTF on this machine (${os.cpus().length} cores, shared with other jobs).`,
  ];
  // only a run with the shipped voice and defaults is the README's
  const report = writeBenchReport(ttsBenchReport(rows, notes), {
    base: path.join(opts.out, 'report'),
    title: '@diffgan/tts bench',
    json: { date: new Date().toISOString(), synth: opts.synth, rows, notes },
    readme: opts.updateManifests && path.resolve(opts.out) === DEFAULT_OUT ? path.join(__dirname, '..', 'README.md') : undefined,
  });
  if (opts.updateManifests) {
    const r2 = (x: number): number => +x.toFixed(2);
    const metrics = {
      benchmark: `npm run bench -w @diffgan/tts (${new Date().toISOString().slice(0, 10)}): 10 eval recordings 009501-009510, default pipeline (steps ${opts.synth.steps}, GL ${opts.synth.griffinLimIterations}, phase lock ${opts.synth.phaseLock})`,
      copySynthesis: {
        lsdDb: r2(mean(copy.ours.lsd)),
        mcdDb: r2(mean(copy.ours.mcd)),
        griffinLim100: { lsdDb: r2(mean(copy.gl100.lsd)), mcdDb: r2(mean(copy.gl100.mcd)) },
      },
      tts: { mcdDtwDb: r2(o.mcd), f0RmseHz: r2(o.hz), toneAccuracy: r2(mean(tone.ours) * 100) / 100, rtf2Cores: +rtf.toFixed(3) },
      teachers: { espeakNg: { mcdDtwDb: r2(e.mcd), f0RmseHz: r2(e.hz) }, mbrolaCn1: { mcdDtwDb: r2(m.mcd), f0RmseHz: r2(m.hz) } },
    };
    for (const n of ['acoustic', 'vocoder', 'denoiser']) {
      const mf = path.join(voice.dir, `${n}.manifest.json`);
      if (!fs.existsSync(mf)) continue;
      updateManifestMetrics(mf, metrics);
    }
  }
  return report;
}

/** One row of the bench table: cells already formatted (a blank cell: not measured for that system). */
export interface TtsBenchRow {
  system: string;
  copyLsd?: string;
  copyMcd?: string;
  ttsMcd?: string;
  f0?: string;
  tone?: string;
  rtf?: string;
}

/** The bench's table and notes (bench/results.md and the README block). */
export function ttsBenchReport(rows: readonly TtsBenchRow[], notes: readonly string[]): BenchReport {
  return {
    tables: [
      {
        rows,
        columns: [
          { key: 'system' },
          { key: 'copyLsd', title: 'copy LSD (dB)' },
          { key: 'copyMcd', title: 'copy MCD (dB)' },
          { key: 'ttsMcd', title: 'TTS MCD-DTW (dB)' },
          { key: 'f0', title: 'TTS F0 RMSE Hz (cents)' },
          { key: 'tone', title: 'tone acc.' },
          { key: 'rtf', title: 'RTF' },
        ] satisfies ColumnSpec<TtsBenchRow>[],
      },
    ],
    notes,
  };
}

const DEFAULT_OUT = path.resolve(__dirname, '..', 'bench');

export const benchCommand = defineCommand({
  name: 'npm run bench -w @diffgan/tts --',
  usage: ['[options]', 'soak [--n 1000]   (RSS and open files over N synthesize calls; soak --help)'],
  summary: 'Copy-synthesis, TTS, tone accuracy and RTF on the 10 eval recordings; writes bench/report.{md,json}, a spectrogram PNG and a WAV.',
  description: "A run with the shipped voice and defaults also writes its numbers into the three weight manifests and the README's results block.",
  options: {
    out: { type: 'string', placeholder: 'DIR', help: "results folder (default: this package's bench/)" },
    steps: { type: 'integer', min: 0, max: 50, default: DEFAULT_DENOISE_STEPS, help: 'diffusion denoising steps' },
    gl: { type: 'integer', min: 0, max: 500, default: DEFAULT_GL_ITERATIONS, help: 'Griffin-Lim iterations' },
    'phase-lock': { type: 'number', min: 0, max: 20, default: DEFAULT_PHASE_LOCK, help: "keep the generator's phase below this multiple of F0 (0 = off)" },
    weights: { type: 'string', default: DEFAULT_WEIGHTS_DIR, placeholder: 'DIR', help: 'voice weights folder' },
  },
});

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'soak') {
    process.stdout.write(await soak(argv.slice(1), (s) => process.stderr.write(s)));
    return;
  }
  const args = benchCommand.parse(argv);
  if (args.help) {
    process.stdout.write(benchCommand.help());
    return;
  }
  const out = path.resolve(args.out ?? DEFAULT_OUT);
  const synth = { steps: args.steps, griffinLimIterations: args.gl, phaseLock: args['phase-lock'] };
  const weightsDir = args.weights;
  // the shipped manifests record the numbers of the shipped defaults only
  const updateManifests =
    path.resolve(weightsDir) === path.resolve(DEFAULT_WEIGHTS_DIR) &&
    synth.steps === DEFAULT_DENOISE_STEPS &&
    synth.griffinLimIterations === DEFAULT_GL_ITERATIONS &&
    synth.phaseLock === DEFAULT_PHASE_LOCK;
  const report = await runBench({ out, synth, weightsDir, updateManifests, log: (s) => process.stderr.write(s) });
  process.stdout.write(report);
}

if (require.main === module)
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`tts bench: ${e.stack ?? e}\n`);
    process.exit(1);
  });
