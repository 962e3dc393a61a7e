/** Fits the prosody model (durations, pauses, pitch templates) and writes weights/prosody.json. */
import { loadCorpus } from '../synth/corpus';
import { fitDurations, fitPitch, pitchObservations } from '../synth/prosody';
import type { ProsodyModel, PitchObservation } from '../synth/prosody';
import { loadRealUtterances } from './data';

export function fitProsody(log: (s: string) => void = () => undefined): ProsodyModel {
  const corpus = loadCorpus();
  // durations: every sentence except the eval recordings' ids (009501-009510)
  const dur = fitDurations(corpus.filter((u) => Number(u.id) < 9501 || Number(u.id) > 9510));
  log(`durations: ${dur.model.n} syllables, rmse(log frames) ${dur.model.rmseLog.toFixed(3)}\n`);
  const real = loadRealUtterances('train', corpus);
  const obs: PitchObservation[] = [];
  real.forEach((u, i) => {
    if (u.tokens) obs.push(...pitchObservations(u.tokens as never, u.f0, i));
  });
  const pitch = fitPitch(obs);
  log(
    `pitch: ${pitch.n} syllable contours from ${real.filter((u) => u.tokens).length} recordings, rmse ${pitch.rmseSt.toFixed(2)} st, mean ${pitch.meanSt.toFixed(1)} st\n`,
  );
  return { format: 'diffgan-tts-prosody/1', duration: dur.model, pause: dur.pause, pitch };
}
