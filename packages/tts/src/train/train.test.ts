/** The tts recipes keep the old `train.js <kind>` options, defaults, groups and schedule; a mistyped option is an error naming it. */
import { getRecipe, initBackend, parseTrainArgs } from '@diffgan/core-models/train';
import { loadWeights } from '@diffgan/core-models';
import { prosodyCommand, WEIGHTS_DIR } from './train';
import * as fs from 'fs';
import * as path from 'path';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const common = { steps: 20000, seed: 0, segment: 64, warmup: 200, checkpointEvery: 250, logEvery: 10 };

test('defaults of the old command per net', () => {
  expect(getRecipe('tts-acoustic').defaults).toEqual({
    ...common,
    batch: 16,
    lr: 1e-3,
    prosody: '',
    teacher: 3000,
    teacherCache: '/tmp/diffgan-tts-cache/teacher-v2',
    pretrainSteps: 20000,
    realShare: 0.8,
    realF0: 'recording',
    holdOut: '',
    init: '',
  });
  expect(getRecipe('tts-vocoder').defaults).toEqual({ ...common, batch: 16, lr: 1e-3, adv: 0, advWeight: 0.1, melWeight: 1 });
  expect(getRecipe('tts-denoiser').defaults).toEqual({ ...common, segment: 32, batch: 8, lr: 5e-4, vocoder: '' });
});

test('task configs, groups and phases as the old setup() built them; the vocoder turns adversarial with adv > 0', () => {
  const ac = getRecipe('tts-acoustic');
  expect(ac.task(ac.defaults).config).toEqual({
    kind: 'acoustic',
    segment: 64,
    prosody: path.join(WEIGHTS_DIR, 'prosody.json'),
    teacherCount: 3000,
    teacherCache: '/tmp/diffgan-tts-cache/teacher-v2',
    pretrainSteps: 20000,
    realShare: 0.8,
    realF0: 'recording',
    holdOut: '',
  });
  const den = getRecipe('tts-denoiser');
  expect(den.task(den.defaults).config).toEqual({ kind: 'denoiser', segment: 32, vocoder: path.join(WEIGHTS_DIR, 'vocoder.manifest.json') });
  // the workers get the absolute path; the manifest records it relative to where the command ran (the same on every clone)
  expect((den.manifest!(den.defaults, 'denoiser').config as { task: { vocoder: string } }).task.vocoder).toBe(
    path.relative(process.cwd(), path.join(WEIGHTS_DIR, 'vocoder.manifest.json')),
  );
  const voc = getRecipe('tts-vocoder');
  const adv = parseTrainArgs(['tts-vocoder', '--steps', '100', '--adv', '1', '--runtime', 'tfjs'])!.config;
  expect(voc.task(adv).config).toEqual({ kind: 'vocoder', segment: 64, adversarial: true, advWeight: 0.1, melWeight: 1 });
  expect(voc.phases(voc.defaults)).toEqual(['g']);
  expect(voc.phases(adv)).toEqual(['disc', 'g']);
  const groups = voc.groups(adv);
  expect(Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, [v.model.spec.name, v.adam, v.ema]]))).toEqual({
    g: ['tts_vocoder', { lr: 1e-3, beta1: 0.8, beta2: 0.99 }, 0.999],
    disc: ['tts_frame_disc', { lr: 1e-3, beta1: 0.8, beta2: 0.99 }, undefined],
  });
  expect(voc.lrSchedule!(adv)(6000, 6000)).toBeCloseTo(0.05, 12);
  expect(ac.manifest!(ac.defaults, 'acoustic').data).toMatch(/^MBROLA cn1 renders of 3000 BZNSYP label sentences/);
});

test('a mistyped or unknown option is an error naming it', () => {
  expect(() => parseTrainArgs(['tts-vocoder', '--stpes', '100'])).toThrow(/^unknown option --stpes .*did you mean --steps\?\)$/);
  expect(() => parseTrainArgs(['tts-vocoder', '--adv', 'yes'])).toThrow('invalid value for --adv: yes');
  expect(() => parseTrainArgs(['tts-vocoder', '--export-only'])).toThrow(/^unknown option --export-only/);
  expect(() => prosodyCommand.parse(['--outt', 'x'])).toThrow(/did you mean --out\?/);
});

test("the shipped second stage (configs/acoustic.json): from the first stage's weights, real pairs only, their pitch on the plan's voicing", () => {
  const ac = getRecipe('tts-acoustic');
  const config = path.join(__dirname, '..', '..', 'configs', 'acoustic.json');
  const c = parseTrainArgs(['tts-acoustic', '--config', config])!.config;
  expect(ac.check!(c)).toBeUndefined();
  expect(ac.task(c).config).toMatchObject({ realF0: 'planVoicing', realShare: 1, pretrainSteps: 0, teacherCount: 0, holdOut: '000001-000030' });
  expect(() => ac.groups(c)).toThrow(`init: weights manifest not found: ${path.resolve('runs/tts_acoustic/acoustic.manifest.json')}`);
  // init 'shipped': the group starts at the shipped weights, and the manifest says which (their sha256)
  const shipped = path.join(WEIGHTS_DIR, 'acoustic.manifest.json');
  const fromShipped = parseTrainArgs(['tts-acoustic', '--config', config, '--init', 'shipped'])!.config;
  const { weights } = loadWeights(shipped);
  const model = ac.groups(fromShipped).a.model;
  for (const [name, v] of model.params) expect(Array.from(v.dataSync())).toEqual(Array.from(weights.get(name)!.data));
  expect(ac.manifest!(fromShipped, 'acoustic').data).toBe(
    "the real BZNSYP train recordings (groups A+B without 000001-000030, real durations, their YIN pitch on the prosody model's template voicing)",
  );
  expect(ac.manifest!(fromShipped, 'acoustic').notes).toBe(
    `started from ${path.relative(process.cwd(), shipped)} (sha256 ${JSON.parse(fs.readFileSync(shipped, 'utf8')).weights.sha256})`,
  );
  expect(ac.check!({ ...c, realF0: 'yin' })).toBe('realF0 must be one of recording, plan, planVoicing: yin');
});
