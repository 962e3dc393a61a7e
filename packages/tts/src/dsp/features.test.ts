import { logMelSpectrogram, logMelToAudio } from './features';
import { melFilterbank } from './mel';
import { melCepstralDistortion } from './metrics';
import { speechLike } from './test-signals';

describe('log-mel features', () => {
  const sr = 22050;

  it('has 80 mels per 256-sample frame and peaks in the band centred nearest a 440 Hz tone', () => {
    const tone = Float32Array.from({ length: sr / 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / sr));
    const mel = logMelSpectrogram(tone);
    expect(mel.nBins).toBe(80);
    expect(mel.nFrames).toBe(1 + Math.floor(tone.length / 256));
    const row = Array.from(mel.data.subarray(10 * 80, 11 * 80));
    const centers = Array.from(melFilterbank().centers);
    const nearest = centers.reduce((best, c, k) => (Math.abs(c - 440) < Math.abs(centers[best] - 440) ? k : best), 0);
    expect(Math.abs(row.indexOf(Math.max(...row)) - nearest)).toBeLessThanOrEqual(1);
    // Bands far from the tone sit on the ln(1e-5) floor.
    expect(row[79]).toBeCloseTo(Math.log(1e-5), 3);
  });

  it('goes back to audio through pseudo-inverse + Griffin-Lim, closer with more iterations', () => {
    const x = speechLike(8192);
    const logMel = logMelSpectrogram(x);
    const few = logMelToAudio(logMel, { griffinLim: { iterations: 2 } });
    const more = logMelToAudio(logMel, { griffinLim: { iterations: 24 } });
    expect(more.length).toBe(256 * (logMel.nFrames - 1));
    const mcdFew = melCepstralDistortion(x.subarray(0, few.length), few);
    const mcdMore = melCepstralDistortion(x.subarray(0, more.length), more);
    expect(mcdMore).toBeLessThan(mcdFew);
    expect(mcdMore).toBeLessThan(8);
  });
});
