/**
 * The command line both interpolator recipes share (`npm run train-interp|train-ifnet -w
 * @diffgan/video-gen -- …`): `export …` writes a run's weights through the recipe's own export
 * command; anything else trains, as `diffgan train <recipe> …` does.
 */
import { DiffganError } from '@diffgan/core-models';
import type { Command, OptionSpec, ParsedCommand } from '@diffgan/core-models';
import { trainMain } from '@diffgan/core-models/train';

export interface TrainOrExport<O extends Record<string, OptionSpec>> {
  recipe: string;
  /** How the command is invoked, for the training help and errors. */
  program: string;
  exportCommand: Command<O>;
  exportRun: (options: ParsedCommand<O>) => void | Promise<void>;
}

export async function trainOrExport<O extends Record<string, OptionSpec>>(argv: string[], cli: TrainOrExport<O>): Promise<void> {
  if (argv[0] !== 'export') {
    await trainMain([cli.recipe, ...argv], { program: cli.program });
    return;
  }
  const options = cli.exportCommand.parse(argv.slice(1));
  if (options.help) {
    process.stdout.write(cli.exportCommand.help());
    return;
  }
  await cli.exportRun(options);
}

/** Runs main as a script: a DiffganError is one line on stderr, anything else its stack; exit code 1. */
export function runScript(name: string, main: (argv: string[]) => Promise<void>): void {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${name}: ${e instanceof DiffganError ? e.message : e.stack}\n`);
    process.exit(1);
  });
}
