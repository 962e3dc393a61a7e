/**
 * The voice's training recipes (core-models registry): tts-acoustic, tts-vocoder (adversarial
 * with adv > 0) and tts-denoiser, with the options and defaults of the old `train.js <kind>`.
 * Exported weights (EMA) carry the net's config and the task config, as before, plus the
 * resolved recipe config and commit. `configs/<weights>.json` holds each shipped net's config.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BaseConfig, GroupConfig, Recipe, builtModulePath, cosineLrSchedule, createModel, initModelFrom, registerRecipe } from '@diffgan/core-models/train';
import type { GraphSpec } from '@diffgan/core-models';
import {
  acousticSpec,
  vocoderSpec,
  denoiserSpec,
  ACOUSTIC_CONFIG,
  VOCODER_CONFIG,
  DENOISER_CONFIG,
  frameDiscriminatorSpec,
  MEL_MEAN,
  MEL_STD,
  MAG_MEAN,
  MAG_STD,
  RESIDUAL_SCALE,
  DIFFUSION_T,
} from '../synth/nets';
import type { TaskConfig } from './task';
import { REAL_F0 } from './data';
import type { RealF0 } from './data';

export const WEIGHTS_DIR = path.resolve(__dirname, '..', '..', 'weights');
export const LICENCE =
  'Trained on BZNSYP/CSMSC (DataBaker): NON-COMMERCIAL RESEARCH USE ONLY. Acoustic-model pre-training used MBROLA cn1 renders (non-commercial diphone database). Not covered by the project MIT licence.';

interface VoiceConfig extends BaseConfig {
  lr: number;
  segment: number;
  warmup: number;
  checkpointEvery: number;
  logEvery: number;
}
export interface AcousticConfig extends VoiceConfig {
  prosody: string;
  teacher: number;
  teacherCache: string;
  pretrainSteps: number;
  realShare: number;
  realF0: string;
  holdOut: string;
  init: string;
}
export interface VocoderConfig extends VoiceConfig {
  adv: number;
  advWeight: number;
  melWeight: number;
}
export interface DenoiserConfig extends VoiceConfig {
  vocoder: string;
}

const COMMON_HELP = {
  steps: 'total training steps',
  batch: 'batch size (segments)',
  seed: 'initialisation and data seed',
  lr: 'Adam learning rate',
  segment: 'frames per training segment',
  warmup: 'learning-rate warm-up steps (then cosine decay to 0.05)',
  checkpointEvery: 'steps between checkpoints',
  logEvery: 'steps between log lines',
};

/** The pieces the three nets differ in; everything else (Adam 0.8/0.99, EMA 0.999, schedule, export) is shared. */
function voiceRecipe<C extends VoiceConfig>(o: {
  kind: 'acoustic' | 'vocoder' | 'denoiser';
  summary: string;
  defaults: C;
  help: Omit<{ [K in keyof C]: string }, keyof typeof COMMON_HELP>;
  spec: () => GraphSpec;
  group: string;
  extra?: (c: C) => Record<string, GraphSpec>;
  task: (c: C) => TaskConfig;
  check?: (c: C) => string | undefined;
  /** weights manifest the main group starts from ('' or absent: random) */
  init?: (c: C) => string;
  data: (c: C) => string;
  netConfig: (c: C) => Record<string, unknown>;
}): Recipe<C> {
  return registerRecipe<C>({
    name: `tts-${o.kind}`,
    summary: o.summary,
    defaults: o.defaults,
    help: { ...COMMON_HELP, ...o.help } as { [K in keyof C]: string },
    check: o.check,
    groups: (c) => {
      const adam = { lr: c.lr, beta1: 0.8, beta2: 0.99 };
      const init = o.init?.(c);
      const model = createModel(o.spec(), c.seed);
      const groups: Record<string, GroupConfig> = { [o.group]: { model: init ? initModelFrom(model, init) : model, adam, ema: 0.999 } };
      for (const [g, spec] of Object.entries(o.extra?.(c) ?? {})) groups[g] = { model: createModel(spec, c.seed + 1), adam: { ...adam } };
      return groups;
    },
    phases: (c) => [...Object.keys(o.extra?.(c) ?? {}), o.group],
    task: (c) => ({ module: builtModulePath(__dirname, 'task.js'), config: o.task(c) }),
    lrSchedule: (c) => cosineLrSchedule(c.warmup, 0.05),
    meta: (c) => ({ config: portablePaths(o.task(c)), batch: c.batch, ...initRecord(o.init?.(c)) }),
    exports: { [o.kind]: { group: o.group, ema: true } },
    manifest: (c) => {
      const init = initRecord(o.init?.(c));
      return {
        version: '0.1.0',
        config: { ...o.netConfig(c), task: portablePaths(o.task(c)) },
        data: o.data(c),
        ...(init.init ? { notes: `started from ${init.init} (sha256 ${init.initSha256})` } : {}),
        licence: LICENCE,
      };
    },
  } as Recipe<C>);
}

const weightsFile = (value: string, file: string): string => (value ? path.resolve(value) : path.join(WEIGHTS_DIR, file));

/**
 * The task config as a manifest records it: the workers get absolute paths, the record gets them
 * relative to where the command ran (as its `command` line names them), so it is the same on every clone.
 */
function portablePaths<T extends object>(task: T): T {
  return Object.fromEntries(Object.entries(task).map(([k, v]) => [k, typeof v === 'string' && path.isAbsolute(v) ? path.relative(process.cwd(), v) : v])) as T;
}

/** Which weights a run started from: 'shipped' changes when new weights ship, so its sha256 says which. */
function initRecord(init: string | undefined): { init?: string; initSha256?: string } {
  if (!init) return {};
  return { init: path.relative(process.cwd(), init), initSha256: JSON.parse(fs.readFileSync(init, 'utf8')).weights?.sha256 };
}

/** What a real pair's F0 input is, in words, per realF0 (the manifests' data line). */
const REAL_F0_DATA: Record<RealF0, string> = {
  recording: 'their YIN F0',
  plan: "the prosody model's template F0 and voicing at each recording's register",
  planVoicing: "their YIN pitch on the prosody model's template voicing",
};

export const ACOUSTIC_RECIPE = voiceRecipe<AcousticConfig>({
  kind: 'acoustic',
  summary: 'tts acoustic model (frame features → log-mel): MBROLA renders first, then mostly real recordings',
  defaults: {
    steps: 20000,
    batch: 16,
    seed: 0,
    lr: 1e-3,
    segment: 64,
    warmup: 200,
    checkpointEvery: 250,
    logEvery: 10,
    prosody: '',
    teacher: 3000,
    teacherCache: '/tmp/diffgan-tts-cache/teacher-v2',
    pretrainSteps: 20000,
    realShare: 0.8,
    realF0: 'recording',
    holdOut: '',
    init: '',
  },
  help: {
    prosody: 'prosody model JSON (empty: the shipped weights/prosody.json)',
    teacher: 'MBROLA-rendered label sentences',
    teacherCache: 'where the renders are cached',
    pretrainSteps: 'steps on teacher renders only',
    realShare: 'share of real recordings after pre-training',
    realF0:
      "F0 input of the real pairs: 'recording' (its YIN pitch and voicing), 'plan' (the prosody templates and voicing on its durations, at its register: what synthesis gives) or 'planVoicing' (its YIN pitch on the templates' voicing)",
    holdOut: "real recordings left out of training, ids 'first-last' ('' none)",
    init: "acoustic weights to start from: a manifest path, 'shipped' (weights/acoustic), empty: random",
  },
  check: (c) => (REAL_F0.includes(c.realF0 as RealF0) ? undefined : `realF0 must be one of ${REAL_F0.join(', ')}: ${c.realF0}`),
  init: (c) => (c.init === 'shipped' ? path.join(WEIGHTS_DIR, 'acoustic.manifest.json') : c.init ? path.resolve(c.init) : ''),
  spec: acousticSpec,
  group: 'a',
  task: (c) => ({
    kind: 'acoustic',
    segment: c.segment,
    prosody: weightsFile(c.prosody, 'prosody.json'),
    teacherCount: c.teacher,
    teacherCache: c.teacherCache,
    pretrainSteps: c.pretrainSteps,
    realShare: c.realShare,
    realF0: c.realF0 as RealF0,
    holdOut: c.holdOut,
  }),
  data: (c) => {
    const real = `the real BZNSYP train recordings (groups A+B${c.holdOut ? ` without ${c.holdOut}` : ''}, real durations, ${REAL_F0_DATA[c.realF0 as RealF0]})`;
    const teacher = c.teacher > 0 && (c.pretrainSteps > 0 || c.realShare < 1);
    return teacher ? `MBROLA cn1 renders of ${c.teacher} BZNSYP label sentences (corpus durations, template F0), then ${real}` : real;
  },
  netConfig: () => ({ ...ACOUSTIC_CONFIG, melMean: MEL_MEAN, melStd: MEL_STD }),
});

export const VOCODER_RECIPE = voiceRecipe<VocoderConfig>({
  kind: 'vocoder',
  summary: 'tts vocoder generator ((log-mel, F0 comb) → log-magnitude): L1, + LSGAN with a frame discriminator when adv > 0',
  defaults: { steps: 20000, batch: 16, seed: 0, lr: 1e-3, segment: 64, warmup: 200, checkpointEvery: 250, logEvery: 10, adv: 0, advWeight: 0.1, melWeight: 1 },
  help: {
    adv: 'adversarial phase on (> 0) or off (0); a run turning adversarial adds a fresh discriminator',
    advWeight: 'weight of the adversarial term',
    melWeight: 'weight of the log-mel L1 term',
  },
  spec: vocoderSpec,
  group: 'g',
  extra: (c): Record<string, GraphSpec> => (c.adv > 0 ? { disc: frameDiscriminatorSpec() } : {}),
  task: (c) => ({ kind: 'vocoder', segment: c.segment, adversarial: c.adv > 0, advWeight: c.advWeight, melWeight: c.melWeight }),
  data: () => 'BZNSYP train recordings with full-band audio (groups A and C), F0 by YIN',
  netConfig: (c) => ({
    ...VOCODER_CONFIG,
    melMean: MEL_MEAN,
    melStd: MEL_STD,
    magMean: MAG_MEAN,
    magStd: MAG_STD,
    adversarial: c.adv > 0,
    excitation: 'harmonic sum at F0 + 0.1 noise (voiced), noise (unvoiced); comb = ln|E| - 17-bin moving average, clamped [-4, 3]',
  }),
});

export const DENOISER_RECIPE = voiceRecipe<DenoiserConfig>({
  kind: 'denoiser',
  summary: "tts denoiser (x0 diffusion on the log-magnitude residual real − vocoder), conditioned on the shipped vocoder's output",
  defaults: { steps: 20000, batch: 8, seed: 0, lr: 5e-4, segment: 32, warmup: 200, checkpointEvery: 250, logEvery: 10, vocoder: '' },
  help: { vocoder: 'the vocoder manifest whose predictions it denoises (empty: the shipped weights/vocoder)' },
  spec: denoiserSpec,
  group: 'den',
  task: (c) => ({ kind: 'denoiser', segment: c.segment, vocoder: weightsFile(c.vocoder, 'vocoder.manifest.json') }),
  data: () => 'BZNSYP train recordings with full-band audio (groups A and C), paired with the log-magnitude the shipped vocoder predicts for them',
  netConfig: () => ({
    ...DENOISER_CONFIG,
    magMean: MAG_MEAN,
    magStd: MAG_STD,
    residualScale: RESIDUAL_SCALE,
    diffusionT: DIFFUSION_T,
    schedule: 'cosine',
    param: 'x0',
  }),
});
