import { synthesize } from './synthesize';
import { LONG_UNPUNCTUATED } from '../frontend/test-texts';
import { quietFrameShare as quietShare } from '../dsp/metrics';

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
