#!/usr/bin/env node
// Level of long input (#26): share of 50 ms frames below -45 dBFS for a short text (corpus
// sentences 000001-000003 as written) and for a long unpunctuated one (corpus text from 000001
// on, punctuation removed, cut to N characters), default pipeline. Run from packages/tts after
// `npx tsc -b .`: node scripts/long-text-level.js [N=2000]
const { synthesize, readLabels } = require('../dist/index.js');

function quietShare(audio, sampleRate) {
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

(async () => {
  const chars = Number(process.argv[2] ?? 2000);
  const rows = readLabels().map((r) => r.text);
  let long = '';
  for (const text of rows) {
    if (long.length >= chars) break;
    long += text.replace(/[^\p{Script=Han}]/gu, '');
  }
  for (const [name, text] of [
    ['short', rows.slice(0, 3).join('')],
    [`long (${chars} characters, no punctuation)`, long.slice(0, chars)],
  ]) {
    const r = await synthesize(text);
    console.log(
      `${name}: ${(r.audio.length / r.sampleRate).toFixed(1)} s, share of 50 ms frames below -45 dBFS ${quietShare(r.audio, r.sampleRate).toFixed(2)}`,
    );
  }
})();
