import { synthesize } from './synthesize';
import { LONG_UNPUNCTUATED } from '../frontend/test-texts';

/** Share of 50 ms frames quieter than -45 dBFS (RMS): pauses and silences, or speech too quiet to hear. */
function quietShare(audio: Float32Array, sampleRate: number): number {
  const hop = Math.round(sampleRate * 0.05);
  let quiet = 0,
    frames = 0;
  for (let i = 0; i + hop <= audio.length; i += hop) {
    let energy = 0;
    for (let k = 0; k < hop; k++) energy += audio[i + k] ** 2;
    frames++;
    if (10 * Math.log10(energy / hop + 1e-20) < -45) quiet++;
  }
  return quiet / frames;
}

describe('long input (shipped weights)', () => {
  it("a long unpunctuated text keeps the level of ordinary speech: its share of quiet frames stays within 0.1 of a short text's", async () => {
    // the generator's waveform only (fast): the loss of level came before the spectrogram stages
    const fast = { steps: 0, griffinLimIterations: 0, melProjection: 0 };
    const short = await synthesize('今天天气很好，我们一起去公园散步吧。', fast);
    const long = await synthesize(LONG_UNPUNCTUATED, fast);
    const shortShare = quietShare(short.audio, short.sampleRate),
      longShare = quietShare(long.audio, long.sampleRate);
    expect(long.audio.length / long.sampleRate).toBeGreaterThan(30);
    expect(shortShare).toBeGreaterThan(0.05); // the short text's own silences count: the measure is not trivially 0
    expect(longShare).toBeLessThan(shortShare + 0.1);
  }, 60_000);
});
