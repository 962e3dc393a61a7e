/**
 * One benchmark run, one table, on the 10 eval recordings (009501-009510):
 *  - copy-synthesis (real recording -> log-mel -> ours / Griffin-Lim alone from the mel's
 *    pseudo-inverse magnitude, 32 and 100 iterations): LSD (dB) and MCD (index-aligned)
 *  - TTS of the same sentences (plain text through the front end): MCD with DTW and F0 RMSE
 *    along the DTW path vs the real recordings, for ours, espeak-ng and MBROLA cn1
 *  - tone accuracy of a per-syllable F0-contour classifier fit on the train recordings
 *  - RTF (synthesis time / audio time) and model sizes; spectrogram PNGs (real, ours, espeak)
 *  - intelligibility (#26): toneless-syllable error rate of an offline recognizer (asr.ts) on
 *    these 10 and on train sentences 000001-000030, for the real recordings, each copy-synthesis
 *    stage, ours with the corpus' real durations (and F0), ours, espeak-ng and MBROLA
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
  synthesizePlan,
  DEFAULT_WEIGHTS_DIR,
  DEFAULT_DENOISE_STEPS,
  DEFAULT_GL_ITERATIONS,
  DEFAULT_PHASE_LOCK,
} from './synth/synthesize';
import type { SentenceAudio, SynthesizeOptions, Voice } from './synth/synthesize';
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
import { readSentence, pinyinOf } from './frontend/reading';
import { readLabels } from './frontend/labels';
import { alignAndCount } from './frontend/evaluate';
import { contourOf, predictF0 } from './synth/prosody';
import { initialFrames } from './synth/phones';
import type { PlanToken, SynthesisPlan } from './synth/features';
import { renderTeacher, mbrolaAvailable } from './acoustic/teacher';
import { decodeWav, encodeWav16 } from './dsp/wav';
import { spectrogramPng } from './synth/png';
import { resample } from './dsp/resample';
import { soak } from './soak';
import { addAsrItem, asrHome, findAsrSer, scoreAsrList } from './asr';
import type { AsrScore } from './asr';

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

/** `x` cut or zero-padded to `n` samples (copy-synthesis against its recording). */
function fitLength(x: Float32Array, n: number): Float32Array {
  const y = new Float32Array(n);
  y.set(x.subarray(0, n));
  return y;
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

  // every audio judged for a recorded sentence (renditions), eval metrics, and the ASR lists
  const fb = filterbank(),
    pinv = melPseudoInverse(fb);
  const haveMbrola = mbrolaAvailable();
  const normMel = (u: RealUtterance): Float32Array => u.logMel.map((v) => (v - MEL_MEAN) / MEL_STD);
  const linearOf = (u: RealUtterance) => melToLinear({ nFrames: u.frames, nBins: 80, data: u.logMel.map(Math.exp) }, fb, pinv);
  /** Tokens with frames and an F0 track cut or zero-padded to their length: a plan the bench imposes. */
  const imposedPlan = (tokens: PlanToken[], f0: ArrayLike<number>): SynthesisPlan => {
    const frames = tokens.reduce((n, t) => n + t.frames, 0);
    const track = new Float32Array(frames);
    for (let i = 0; i < Math.min(frames, f0.length); i++) track[i] = f0[i];
    return { tokens: tokens.map((t) => ({ ...t })), f0: track, frames };
  };
  /**
   * One recorded sentence as each system renders it: copy-synthesis from its log-mel (Griffin-Lim
   * alone; our generator, F0 estimated from the mel; our whole vocoder stack), our acoustic model
   * and vocoder on the corpus tokens (label readings, breaks, real durations and pauses) with the
   * recording's F0 or with our F0 templates, and TTS of its text (ours, our generator alone,
   * espeak-ng, MBROLA on our plan).
   */
  const renditions = async (u: RealUtterance, text: string) => {
    const copy = await vocode(voice, normMel(u), u.frames, opts.synth);
    const copyGl32 = griffinLim(linearOf(u), { iterations: 32, length: u.wave.length, seed: 0 }).signal;
    const fromPlan = async (plan: SynthesisPlan): Promise<Float32Array> => (await synthesizePlan(voice, plan, opts.synth)).audio;
    const corpusTokens = byId.get(u.id)?.tokens;
    const realDurations = corpusTokens ? await fromPlan(imposedPlan(corpusTokens, predictF0(voice.prosody, corpusTokens))) : null;
    // the recording's F0 needs tokens that line up with the audio (loadRealUtterances checks)
    const realProsody = u.tokens ? await fromPlan(imposedPlan(u.tokens, u.f0)) : null;
    const t0 = performance.now();
    const ours: SentenceAudio = await synthesizeSentence(voice, readSentence(text), opts.synth);
    const synthSecs = (performance.now() - t0) / 1000;
    // the generator's own waveform (excitation phase, no spectrogram stages): what Griffin-Lim costs in pitch
    const oursGan = (
      await vocode(
        voice,
        ours.mel.map((v) => (v - MEL_MEAN) / MEL_STD),
        ours.plan.frames,
        { steps: 0, griffinLimIterations: 0, melProjection: 0 },
        ours.plan.f0,
      )
    ).audio;
    return {
      copyGl32,
      copyGan: fitLength(copy.ganAudio, u.wave.length),
      copyOurs: fitLength(copy.audio, u.wave.length),
      realProsody,
      realDurations,
      ours,
      synthSecs,
      oursGan,
      espeak: espeak(text),
      mbrola: haveMbrola ? renderTeacher(ours.plan.tokens, ours.plan.f0) : null,
    };
  };

  const asrSer = findAsrSer();
  if (!asrSer) log(`intelligibility: no recognizer in ${asrHome()} (sh ../shared/tools/asr-zh/setup.sh installs it); the SER cells stay empty\n`);
  const asrDir = asrSer ? fs.mkdtempSync(path.join(os.tmpdir(), 'tts-bench-asr-')) : '';
  const heard = (system: AsrSystem, set: AsrSet, id: string, text: string, wave: Float32Array | null): void => {
    if (asrSer && wave) addAsrItem(path.join(asrDir, system, set), { id, text, wave });
  };
  const hearAll = (set: AsrSet, u: RealUtterance, text: string, a: Awaited<ReturnType<typeof renditions>>): void => {
    heard('real', set, u.id, text, u.wave);
    heard('copyGl32', set, u.id, text, a.copyGl32);
    heard('copyGan', set, u.id, text, a.copyGan);
    heard('copyOurs', set, u.id, text, a.copyOurs);
    heard('realProsody', set, u.id, text, a.realProsody);
    heard('realDurations', set, u.id, text, a.realDurations);
    heard('oursGan', set, u.id, text, a.oursGan);
    heard('ours', set, u.id, text, a.ours.audio);
    heard('espeak', set, u.id, text, a.espeak);
    heard('mbrola', set, u.id, text, a.mbrola);
  };
  // the front end's readings against the label pinyin: the corpus-token rows read the labels
  const goldPinyin = new Map(readLabels().map((r) => [String(r.id).padStart(6, '0'), r.pinyin]));
  const frontEnd = { eval: { correct: 0, gold: 0 }, train: { correct: 0, gold: 0 } };
  const countReading = (set: AsrSet, id: string, reading: SentenceAudio): void => {
    const c = alignAndCount(goldPinyin.get(id) ?? [], pinyinOf(reading.sentence));
    frontEnd[set].correct += c.correct;
    frontEnd[set].gold += c.gold;
  };

  const copy = {
    gl32: { lsd: [] as number[], mcd: [] as number[] },
    gl100: { lsd: [] as number[], mcd: [] as number[] },
    gan: { lsd: [] as number[], mcd: [] as number[] },
    noDenoiser: { lsd: [] as number[], mcd: [] as number[] },
    ours: { lsd: [] as number[], mcd: [] as number[] },
  };
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
  for (const u of evalUtts) {
    const text = labels.get(u.id) ?? '';
    const a = await renditions(u, text);
    hearAll('eval', u, text, a);
    countReading('eval', u.id, a.ours);
    // copy-synthesis
    const plain = await vocode(voice, normMel(u), u.frames, { ...opts.synth, steps: 0 }); // the denoiser's share
    const g100 = griffinLim(linearOf(u), { iterations: 100, length: u.wave.length, seed: 0 }).signal;
    const noDenoiser = fitLength(plain.audio, u.wave.length);
    for (const [k, sig] of [
      ['gl32', a.copyGl32],
      ['gl100', g100],
      ['gan', a.copyGan],
      ['noDenoiser', noDenoiser],
      ['ours', a.copyOurs],
    ] as const) {
      copy[k].lsd.push(logSpectralDistance(u.wave, sig));
      copy[k].mcd.push(melCepstralDistortion(u.wave, sig));
    }
    // TTS
    const s = a.ours;
    synthSecs += a.synthSecs;
    audioSecs += s.audio.length / 22050;
    tts.ours.push(ttsScores(u.wave, s.audio));
    tone.ours.push(...toneHits(s.plan.tokens, toneF0(s.audio, s.plan.frames)));
    tone.plan.push(...toneHits(s.plan.tokens, s.plan.f0));
    tone.ideal.push(...toneHits(s.plan.tokens, toneF0(harmonicSignal(s.plan.f0, s.plan.frames), s.plan.frames)));
    tts.gan.push(ttsScores(u.wave, a.oursGan));
    tone.gan.push(...toneHits(s.plan.tokens, toneF0(a.oursGan, s.plan.frames)));
    const es = a.espeak;
    if (es) tts.espeak.push(ttsScores(u.wave, es));
    if (a.mbrola) {
      tts.mbrola.push(ttsScores(u.wave, a.mbrola));
      tone.mbrola.push(...toneHits(s.plan.tokens, toneF0(a.mbrola, s.plan.frames)));
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
      `${u.id}: copy LSD ours ${f(copy.ours.lsd.at(-1)!)} gl32 ${f(copy.gl32.lsd.at(-1)!)}; TTS MCD ours ${f(tts.ours.at(-1)!.mcd)} espeak ${es ? f(tts.espeak.at(-1)!.mcd) : 'n/a'} mbrola ${a.mbrola ? f(tts.mbrola.at(-1)!.mcd) : 'n/a'}\n`,
    );
  }
  // the train sentences are only heard (intelligibility), so they cost nothing without a recognizer
  const asrTrainUtts = trainUtts.filter((u) => ASR_TRAIN_IDS.includes(u.id));
  if (asrSer)
    for (const u of asrTrainUtts) {
      const text = labels.get(u.id) ?? '';
      const a = await renditions(u, text);
      hearAll('train', u, text, a);
      countReading('train', u.id, a.ours);
      log(`${u.id}: rendered for the recognizer\n`);
    }
  const ser = new Map<string, AsrScore>();
  if (asrSer) {
    for (const system of fs.readdirSync(asrDir))
      for (const set of fs.readdirSync(path.join(asrDir, system))) {
        const score = scoreAsrList(path.join(asrDir, system, set), asrSer);
        ser.set(`${system}/${set}`, score);
        log(`intelligibility ${system} ${set}: SER ${f(score.meanSer, 3)} (CER ${f(score.meanCer, 3)}, ${score.utterances} sentences)\n`);
      }
    fs.rmSync(asrDir, { recursive: true, force: true });
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
  const heardAs: Record<AsrSystem, [system: string, from: string]> = {
    real: ['real recording', 'all'],
    copyGl32: ['copy: Griffin-Lim 32 it. (mel pinv)', 'log-mel'],
    copyGan: ['copy: ours, GAN generator only (F0 from the mel)', 'log-mel'],
    copyOurs: [`copy: ours, ${synthLabel}`, 'log-mel'],
    realProsody: ['ours on the corpus tokens, with the F0 of the recording', 'tokens, F0'],
    realDurations: ['ours on the corpus tokens, with our F0 templates', 'tokens'],
    oursGan: ['ours: GAN generator only', 'none'],
    ours: [`ours: ${synthLabel}`, 'none'],
    espeak: ['espeak-ng (cmn-latn-pinyin)', 'none'],
    mbrola: ['MBROLA cn1 (our durations/F0)', 'none'],
  };
  const serCell = (system: AsrSystem, set: AsrSet, n: number): string | undefined => {
    const score = ser.get(`${system}/${set}`);
    if (!score) return undefined;
    return score.utterances === n ? f(score.meanSer) : `${f(score.meanSer)} (${score.utterances} of ${n})`;
  };
  const serRows: TtsSerRow[] = ASR_SYSTEMS.map((k) => ({
    system: heardAs[k][0],
    from: heardAs[k][1],
    serEval: serCell(k, 'eval', evalUtts.length),
    serTrain: serCell(k, 'train', ASR_TRAIN_IDS.length),
  }));
  const share = (c: { correct: number; gold: number }): string => (c.gold ? `${f((100 * c.correct) / c.gold, 1)}%` : 'n/a');
  const serIntro = [
    `Intelligibility (#26): mean toneless-syllable error rate (SER, lower is better) of an offline Mandarin recognizer (PocketSphinx with the CMU Sphinx 2010 models: \`shared/tools/asr-zh\`) on the ${evalUtts.length} eval sentences and on train sentences ${ASR_TRAIN_IDS[0]}-${ASR_TRAIN_IDS.at(-1)}. A weak recognizer: compare rows on the same set only; differences under ~0.05 are noise.`,
    asrSer
      ? `"Taken from the recording": what a row uses besides the text. Tokens: the corpus' label pinyin, break marks, syllable durations and pauses (our front end reads ${share(frontEnd.eval)} of the eval syllables and ${share(frontEnd.train)} of these train syllables as the labels do, tones included). The vocoder and the acoustic model's first stage were trained on train recordings, these 30 among them; its second stage (the recordings' pitch on the plan's voicing, #26) held them out.`
      : `Not measured in this run: no recognizer in ${asrHome()} (install: sh ../shared/tools/asr-zh/setup.sh).`,
  ];
  const serJson = Object.fromEntries(
    [...ser].map(([k, v]) => [k, { meanSer: v.meanSer, meanCer: v.meanCer, corpusSer: v.corpusSer, corpusCer: v.corpusCer, lines: v.lines }]),
  );
  // only a run with the shipped voice and defaults is the README's
  const report = writeBenchReport(ttsBenchReport(rows, notes, serRows, serIntro), {
    base: path.join(opts.out, 'report'),
    title: '@diffgan/tts bench',
    json: { date: new Date().toISOString(), synth: opts.synth, rows, notes, intelligibility: { rows: serRows, asr: serJson } },
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
      tts: { mcdDtwDb: r2(o.mcd), f0RmseHz: r2(o.hz), toneAccuracy: +mean(tone.ours).toFixed(4), rtf2Cores: +rtf.toFixed(3) },
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

/** The recognizer's sentence sets: the eval recordings, and the train sentences issue #26 first measured. */
export type AsrSet = 'eval' | 'train';
export const ASR_TRAIN_IDS: readonly string[] = Array.from({ length: 30 }, (_, i) => String(i + 1).padStart(6, '0'));
/** What the recognizer hears, in the table's order: the recording, copy-synthesis stages, imposed prosody, text-only systems. */
const ASR_SYSTEMS = ['real', 'copyGl32', 'copyGan', 'copyOurs', 'realProsody', 'realDurations', 'oursGan', 'ours', 'espeak', 'mbrola'] as const;
type AsrSystem = (typeof ASR_SYSTEMS)[number];

/** One row of the intelligibility table (cells formatted; blank: not measured). */
export interface TtsSerRow {
  system: string;
  from: string;
  serEval?: string;
  serTrain?: string;
}

/** The bench's tables (bench/report.md and the README block): the main table's notes sit between it and the intelligibility table. */
export function ttsBenchReport(
  rows: readonly TtsBenchRow[],
  notes: readonly string[],
  serRows: readonly TtsSerRow[],
  serIntro: readonly string[],
): BenchReport {
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
      {
        before: [...notes, '', ...serIntro],
        rows: serRows,
        columns: [
          { key: 'system' },
          { key: 'from', title: 'taken from the recording' },
          { key: 'serEval', title: 'SER eval (10)' },
          { key: 'serTrain', title: 'SER train (30)' },
        ] satisfies ColumnSpec<TtsSerRow>[],
      },
    ],
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
