/** The seed table's bench declares its options: a mistyped one is an error, --help lists each, defaults and ranges are kept. */
import * as path from 'path';
import { seedTableCommand, parseSeedTableArgs } from './run';
import { dAccuracyCommand } from './diagnose';
import { DEFAULT_PLATEAU } from './plateau';
import { main } from './bench';

const commands = {
  '': [seedTableCommand, 'seds', 'seeds'],
  'd-accuracy': [dAccuracyCommand, 'mdoel', 'model'],
} as const;

test.each(Object.entries(commands))("'%s': --help lists every option; a mistyped option is an error naming the one meant", (name, [c, typo, meant]) => {
  const help = c.help();
  for (const o of Object.keys(c.spec.options)) expect(help).toContain(`--${o}`);
  expect(() => c.parse([`--${typo}`, '1'])).toThrow(
    `unknown option --${typo} (see npm run bench -w @diffgan/seed-table --${name ? ` ${name}` : ''} --help; did you mean --${meant}?)`,
  );
});

test("bench: the table's options by default, d-accuracy's after its name; the table's help points to it", async () => {
  const out: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  try {
    await main(['--help']);
    await main(['d-accuracy', '--help']);
  } finally {
    write.mockRestore();
  }
  expect(out).toEqual([seedTableCommand.help(), dAccuracyCommand.help()]);
  expect(out[0]).toContain('npm run bench -w @diffgan/seed-table -- d-accuracy --help');
});

test('d-accuracy: --model is required and must have a discriminator', () => {
  expect(dAccuracyCommand.parse(['--model', 'diffgan'])).toMatchObject({ model: 'diffgan', seed: 0, n: 256, run: 'runs/seed-table' });
  expect(() => dAccuracyCommand.parse([])).toThrow(/--model is required/);
  expect(() => dAccuracyCommand.parse(['--model', 'ddpm'])).toThrow('invalid value for --model: ddpm (one of gan, diffgan2, diffgan4, pipeline)');
});

test('seed-table: the defaults follow --quick and --plateau as before', () => {
  expect(parseSeedTableArgs([])).toMatchObject({
    quick: false,
    steps: 3000,
    seeds: 3,
    samples: 1000,
    batch: 32,
    plateau: undefined,
    dataset: 'mnist',
    readme: true,
    reportOnly: false,
  });
  expect(parseSeedTableArgs(['--quick'])).toMatchObject({ steps: 10, seeds: 1, samples: 64, run: path.resolve('runs/seed-table-quick') });
  expect(parseSeedTableArgs([])!.out).toBe(path.join(path.resolve(__dirname, '..'), 'results'));
  expect(parseSeedTableArgs(['--plateau'])).toMatchObject({
    run: path.resolve('runs/plateau'),
    // beside the finished budget table's results, not over them
    out: path.join(path.resolve(__dirname, '..'), 'results-plateau'),
    steps: DEFAULT_PLATEAU.capSteps,
    plateau: { every: DEFAULT_PLATEAU.every, samples: DEFAULT_PLATEAU.samples, capSteps: DEFAULT_PLATEAU.capSteps },
  });
  expect(parseSeedTableArgs(['--quick', '--plateau'])!.plateau).toMatchObject({ every: 10, samples: 64, minSteps: 30 });
  expect(parseSeedTableArgs(['--quick', '--plateau'])!.run).toBe(path.resolve('runs/plateau-quick'));
  expect(parseSeedTableArgs(['--models', 'gan,diffgan4', '--dataset', 'fashion-mnist'])).toMatchObject({
    dataset: 'fashion-mnist',
    run: path.resolve('runs/seed-table-fashion-mnist'),
  });
  expect(parseSeedTableArgs(['--models', 'gan,diffgan4'])!.models.map((m) => m.id)).toEqual(['gan', 'diffgan4']);
  // speeds are cached beside each run unless --retime (the final table times every row in one run)
  expect(parseSeedTableArgs([])!.retime).toBeFalsy();
  expect(parseSeedTableArgs(['--plateau', '--report-only', '--retime'])).toMatchObject({ retime: true, reportOnly: true });
  expect(() => parseSeedTableArgs(['--models', 'gan,dfigan'])).toThrow(/invalid value for --models: gan,dfigan \(unknown model 'dfigan'/);
  expect(() => parseSeedTableArgs(['--plateau-every', '300'])).toThrow('invalid value for --plateau-every: 300 (a multiple of 250)');
  expect(() => parseSeedTableArgs(['--samples', '8'])).toThrow('invalid value for --samples: 8 (must be an integer ≥ 16)');
  expect(() => parseSeedTableArgs(['--budget-minutes', '0'])).toThrow('invalid value for --budget-minutes: 0 (must be a number > 0)');
  expect(parseSeedTableArgs(['--help'])).toBeNull();
});
