import * as fs from 'fs';
import * as path from 'path';
import { ridgeSolve, predictDurations, predictF0, fitPitch, contourOf, CONTOUR_POINTS } from './prosody';
import type { ProsodyModel, SyllableSpec, PitchObservation } from './prosody';
import { cn1Phones, syllablePhones, initialFrames } from './phones';
import { planSyllables, frameFeatures, FEATURE_CHANNELS } from './features';

const shipped = path.join(__dirname, '..', '..', 'weights', 'prosody.json');
const model = (): ProsodyModel => JSON.parse(fs.readFileSync(shipped, 'utf8')) as ProsodyModel;
const syl = (pinyin: string, breakAfter = 0): SyllableSpec => ({ pinyin, ...syllablePhones(pinyin), breakAfter });

describe('phones', () => {
  it('maps pinyin to feature phones and cn1 phones', () => {
    expect(syllablePhones('zhi1')).toMatchObject({ initial: 'zh', final: 'iii', tone: 1 });
    expect(syllablePhones('si4').final).toBe('ii');
    expect(syllablePhones('wanr2')).toMatchObject({ initial: '', final: 'uan', erhua: true });
    expect(cn1Phones('huan')).toEqual(['hu', 'an']);
    expect(cn1Phones('biao')).toEqual(['bi', 'ao']);
    expect(cn1Phones('shi')).toEqual(['sh', 'll']);
    expect(cn1Phones('xue')).toEqual(['x', 'ue']);
    expect(cn1Phones('yu')).toEqual(['y', 'v']);
    expect(initialFrames('sh', 20)).toBeGreaterThan(initialFrames('b', 20));
  });
});

describe('duration model', () => {
  it('ridge regression recovers a known linear model', () => {
    const d = 3,
      w = [0.5, -1, 2];
    const xtx = new Float64Array(d * d),
      xty = new Float64Array(d);
    for (let i = 0; i < 50; i++) {
      const x = [1, Math.sin(i), Math.cos(i * 0.7)],
        y = x.reduce((s, v, k) => s + v * w[k], 0);
      for (let a = 0; a < d; a++) {
        xty[a] += x[a] * y;
        for (let b = 0; b < d; b++) xtx[a * d + b] += x[a] * x[b];
      }
    }
    ridgeSolve(xtx, xty, d, 1e-9).forEach((v, k) => expect(v).toBeCloseTo(w[k], 4));
  });

  it('shipped model: plausible lengths, sentence-final lengthening, speed control', () => {
    const m = model();
    const syls = ['jin1', 'tian1', 'tian1', 'qi4', 'hen3', 'hao3'].map((p, i, a) => syl(p, i === 1 ? 1 : i === a.length - 1 ? 4 : 0));
    const d = predictDurations(m, syls);
    d.forEach((x) => {
      expect(x).toBeGreaterThanOrEqual(8);
      expect(x).toBeLessThanOrEqual(45);
    }); // 90-520 ms
    expect(d[5]).toBeGreaterThan(d[4]);
    const fast = predictDurations(m, syls, 2);
    expect(fast.reduce((a, b) => a + b)).toBeLessThan(0.6 * d.reduce((a, b) => a + b));
    expect(m.pause.prob[3]).toBeGreaterThan(0.5);
    expect(m.pause.prob[1]).toBeLessThan(0.5);
  });
});

describe('pitch templates', () => {
  it('fit recovers planted contours', () => {
    const planted = [
      [3, 3, 3, 3, 3, 3, 3, 3],
      [-2, -2, -1, 0, 1, 2, 3, 4],
      [-3, -4, -5, -6, -6, -6, -5, -5],
      [4, 3, 2, 1, 0, -1, -2, -3],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ];
    const obs: PitchObservation[] = [];
    for (let u = 0; u < 20; u++)
      for (let tone = 1; tone <= 5; tone++) {
        const tp = ((u * 7 + tone * 3) % 10) * 0.2;
        obs.push({ utt: u, tone, tPhrase: tp, contour: planted[tone - 1].map((v) => v + 15 + u * 0.1 - tp) });
      }
    const p = fitPitch(obs);
    expect(p.declination).toBeCloseTo(-1, 1);
    const t2 = p.templates[1],
      t4 = p.templates[3];
    expect(t2[7] - t2[0]).toBeCloseTo(6, 0);
    expect(t4[0] - t4[7]).toBeCloseTo(7, 0);
  });

  it('shipped templates give the right contour shape per tone', () => {
    const m = model();
    const shape = (tone: number): number[] => {
      const plan = planSyllables([syl(`ma${tone}`, 4)], m);
      const f0 = predictF0(m, plan.tokens, 1);
      const pos = plan.tokens[0].frames,
        t = plan.tokens[1];
      const ini = initialFrames(t.initial, t.frames);
      return contourOf(f0, pos + ini, pos + t.frames)!;
    };
    const [t1, t2, t3, t4] = [1, 2, 3, 4].map(shape);
    expect(t1).toHaveLength(CONTOUR_POINTS);
    const range = (c: number[]): number => Math.max(...c) - Math.min(...c);
    expect(range(t1)).toBeLessThan(2); // level
    expect(t2[7] - t2[2]).toBeGreaterThan(1.5); // rising
    expect(t4[0] - t4[7]).toBeGreaterThan(2); // falling
    expect(Math.min(...t3)).toBeLessThan(Math.min(...t1) - 4); // low
    expect(plan(t1)).toBe(true);
    function plan(c: number[]): boolean {
      return c.every(Number.isFinite);
    }
  });

  it('pitch factor scales F0 and the features follow', () => {
    const m = model();
    const p = planSyllables([syl('ni3', 1), syl('hao3', 4)], m);
    const hi = predictF0(m, p.tokens, 1.5);
    const i = p.f0.findIndex((v) => v > 0);
    expect(hi[i] / p.f0[i]).toBeCloseTo(1.5, 3);
    const x = frameFeatures(p.tokens, p.f0);
    expect(x.length).toBe(p.frames * FEATURE_CHANNELS);
  });
});
