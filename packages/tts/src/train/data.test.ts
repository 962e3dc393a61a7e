/**
 * The real pairs' F0 input (#26): with realF0 'plan' a recording's features carry the plan's
 * voicing (the teacher renders' and synthesis'), not the recording's, at the recording's register.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FEATURE_CHANNELS, frameFeatures } from '../synth/features';
import type { PlanToken } from '../synth/features';
import { predictF0 } from '../synth/prosody';
import type { ProsodyModel } from '../synth/prosody';
import { idRange, planF0OfRecording, realPair, recordingPitchOnPlanVoicing } from './data';
import type { RealUtterance } from './data';

const prosody = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'weights', 'prosody.json'), 'utf8')) as ProsodyModel;
const VOICED = FEATURE_CHANNELS - 2; // the voiced flag; log-F0 is the channel before it
const LOG_F0 = FEATURE_CHANNELS - 3;

const syl = (pinyin: string, initial: string, final: string, tone: number, frames: number): PlanToken => ({
  kind: 'syl',
  pinyin,
  initial,
  final,
  tone,
  frames,
  breakAfter: 0,
});
const sil = (frames: number): PlanToken => ({ kind: 'sil', pinyin: 'sil', initial: '', final: '', tone: 5, frames, breakAfter: 0 });
// sh: an unvoiced initial (5 of 12 frames, initialFrames), m: a voiced one
const tokens = [sil(5), syl('shi4', 'sh', 'iii', 4, 12), { ...syl('ma1', 'm', 'a', 1, 10), breakAfter: 4 }, sil(5)];
const T = 32;

/** A "recording" 3 semitones above the templates where they are voiced, and voiced at 150 Hz everywhere else (pauses, the sh). */
function recordingF0(): Float32Array {
  const template = predictF0(prosody, tokens);
  return template.map((f) => (f > 0 ? f * 2 ** (3 / 12) : 150));
}

function utterance(f0: Float32Array): RealUtterance {
  return {
    id: '000001',
    group: 'A',
    wave: new Float32Array(0),
    frames: T + 1,
    logMel: new Float32Array((T + 1) * 80),
    logMag: new Float32Array(0),
    f0,
    tokens,
  };
}

test("the plan's F0 of a recording: the templates' voicing, shifted by the mean semitone difference on frames voiced in both", () => {
  const template = predictF0(prosody, tokens);
  expect(Array.from(template.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
  expect(Array.from(template.subarray(5, 10))).toEqual([0, 0, 0, 0, 0]); // the sh
  expect(template[10]).toBeGreaterThan(0);
  const planned = planF0OfRecording(prosody, tokens, recordingF0());
  for (let i = 0; i < T; i++) {
    if (template[i] === 0) expect(planned[i]).toBe(0);
    else expect(planned[i] / template[i]).toBeCloseTo(2 ** (3 / 12), 5);
  }
  // no frame voiced in both: the templates as they are
  expect(Array.from(planF0OfRecording(prosody, tokens, new Float32Array(T)))).toEqual(Array.from(template));
});

test("realF0 'plan': a real pair's voicing is the teacher renders' (template) voicing; 'recording' keeps the recording's", () => {
  const f0 = recordingF0();
  const teacherFeatures = frameFeatures(tokens, predictF0(prosody, tokens));
  const plan = realPair(utterance(f0), 'plan', prosody)!;
  const recording = realPair(utterance(f0))!;
  const planVoicing = realPair(utterance(f0), 'planVoicing', prosody)!;
  expect(plan.frames).toBe(T);
  const channel = (x: Float32Array, c: number): number[] => Array.from({ length: T }, (_, i) => x[i * FEATURE_CHANNELS + c]);
  expect(channel(plan.features, VOICED)).toEqual(channel(teacherFeatures, VOICED));
  expect(channel(planVoicing.features, VOICED)).toEqual(channel(teacherFeatures, VOICED));
  expect(channel(recording.features, VOICED)).toEqual(new Array(T).fill(1));
  // log-F0 in semitones / 6: 3 semitones above the teacher's on every voiced frame
  const planLogF0 = channel(plan.features, LOG_F0),
    teacherLogF0 = channel(teacherFeatures, LOG_F0),
    teacherVoiced = channel(teacherFeatures, VOICED);
  planLogF0.forEach((v, i) => expect(v - teacherLogF0[i]).toBeCloseTo(teacherVoiced[i] ? 0.5 : 0, 5));
  // everything but the F0 channels is the same
  for (let c = 0; c < LOG_F0; c++) expect(channel(plan.features, c)).toEqual(channel(recording.features, c));
});

test("the recording's pitch on the plan's voicing: its own where voiced, linear in semitones between, the nearest beyond its ends", () => {
  const template = predictF0(prosody, tokens);
  // voiced: the final of shi (frames 10-16) and all of ma (17-26, m is a voiced initial)
  expect(Array.from(template, (f) => (f > 0 ? 1 : 0))).toEqual([...new Array(10).fill(0), ...new Array(17).fill(1), ...new Array(5).fill(0)]);
  const recording = new Float32Array(T);
  recording[3] = 0; // a pause the tracker calls unvoiced
  recording[12] = 200;
  recording[16] = 200 * 2 ** (4 / 12);
  const out = recordingPitchOnPlanVoicing(prosody, tokens, recording);
  const expected = new Array(T).fill(0);
  expected[10] = expected[11] = expected[12] = 200;
  for (let i = 13; i <= 26; i++) expected[i] = 200 * 2 ** (Math.min(i - 12, 4) / 12);
  out.forEach((v, i) => expect([i, v]).toEqual([i, expect.closeTo(expected[i], 3)]));
  expect(Array.from(recordingPitchOnPlanVoicing(prosody, tokens, new Float32Array(T)))).toEqual(Array.from(template));
});

test("held-out id ranges: inclusive 'first-last', '' none, anything else an error", () => {
  const held = idRange('000001-000030');
  expect(['000001', '000030', '000031', '009501'].map(held)).toEqual([true, true, false, false]);
  expect(idRange('')('000001')).toBe(false);
  expect(() => idRange('1,2')).toThrow("not an id range 'first-last': 1,2");
});
