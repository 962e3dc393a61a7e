/**
 * Trains the voice: `node dist/train/train.js <recipe> [--config configs/<net>.json] [--key=value ...]`
 * is `diffgan train` over the tts recipes (tts-acoustic, tts-vocoder, tts-denoiser; recipes.ts),
 * and `node dist/train/train.js prosody [--out DIR]` fits the closed-form prosody model.
 * scripts/train-voice.sh runs the shipped voice's stages in order.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DiffganError, defineCommand, writeFileAtomic } from '@diffgan/core-models';
import { trainMain } from '@diffgan/core-models/train';
import { fitProsody } from './prosody';
import { LICENCE, WEIGHTS_DIR } from './recipes';

export { LICENCE, WEIGHTS_DIR };

export const prosodyCommand = defineCommand({
  name: 'node dist/train/train.js prosody',
  summary: 'Fits the prosody model (syllable durations, F0 templates) and writes prosody.json.',
  options: { out: { type: 'string', placeholder: 'DIR', help: "where prosody.json goes (default: this package's weights/)" } },
});

export async function main(argv: string[]): Promise<void> {
  if (argv[0] !== 'prosody') {
    await trainMain(argv, { program: 'node dist/train/train.js' });
    return;
  }
  const a = prosodyCommand.parse(argv.slice(1));
  if (a.help) {
    process.stdout.write(prosodyCommand.help());
    return;
  }
  const out = path.resolve(a.out ?? WEIGHTS_DIR);
  const t0 = Date.now();
  const model = fitProsody((s) => process.stderr.write(s));
  fs.mkdirSync(out, { recursive: true });
  writeFileAtomic(
    path.join(out, 'prosody.json'),
    JSON.stringify({
      ...model,
      licence: LICENCE,
      training: {
        data: 'BZNSYP syllable durations (9,789 sentences, eval ids excluded) and YIN F0 of the 100 train recordings of groups A+B',
        command: `train ${argv.join(' ')}`,
        wallClock: `${((Date.now() - t0) / 1000).toFixed(0)} s`,
      },
    }) + '\n',
  );
  process.stderr.write(`wrote ${path.join(out, 'prosody.json')}\n`);
}

if (require.main === module)
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`tts train: ${e instanceof DiffganError ? e.message : e.stack}\n`);
    process.exit(1);
  });
