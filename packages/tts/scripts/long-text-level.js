#!/usr/bin/env node
// Level of long input (#26): share of 50 ms frames below -45 dBFS for a short text (corpus
// sentences 000001-000003 as written) and for a long unpunctuated one (corpus text from 000001
// on, punctuation removed, cut to N characters), default pipeline. Run from packages/tts after
// `npx tsc -b .`: node scripts/long-text-level.js [N=2000]
const { synthesize, readLabels, quietFrameShare: quietShare } = require('../dist/index.js');

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
