/**
 * `diffgan train <recipe> [--config file.json] [--key=value ...]`: core-models' one train
 * command over every package's recipes (each package registers them from its `train` entry:
 * the seed table's families, eval's classifiers, image-sr's, video-gen's and tts's).
 */
import { defineCommand } from '@diffgan/core-models';
import { trainMain } from '@diffgan/core-models/train';

/** For the program's help: the command's usage and summary (its options are each recipe's, `diffgan train <recipe> --help`). */
export const trainCommand = defineCommand({
  name: 'diffgan train',
  summary: 'train (or resume training of) a registered recipe; diffgan train --help lists them',
  usage: '<recipe> [--config FILE.json] [--key=value ...] [--run DIR] [--out DIR] [--runtime R] [--workers W]',
  options: {},
});

/** Registers every package's recipes (loaded on demand: the packages are heavy and only `train` needs them all). */
export async function loadRecipes(): Promise<void> {
  await import('@diffgan/seed-table/train');
  await import('@diffgan/eval/train');
  await import('@diffgan/image-sr/train');
  await import('@diffgan/video-gen/train');
  await import('@diffgan/tts/train');
}

export async function trainCmd(argv: string[]): Promise<void> {
  await loadRecipes();
  // `diffgan` names the table's DiffGAN row, trained with 4 steps (as `diffgan sample --model diffgan`)
  await trainMain(argv[0] === 'diffgan' ? ['diffgan4', ...argv.slice(1)] : argv);
}
