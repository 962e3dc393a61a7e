/**
 * One declarative way to read a command line: a command declares its options (typed, with
 * default, range or validator, alias and help line) and positionals, and gets a typed object,
 * a generated --help, and one-line errors that name the option. Built on parseArgs (argv.ts):
 * `--key value`, `--key=value`, `-k value`, flags, and `--` before arguments that start with '-'.
 */
import { DiffganError } from '../errors';
import { parseArgs } from './argv';

interface OptionBase {
  /** The help line (may hold newlines). "(default X)" is appended unless it already says "(default". */
  help: string;
  /** A one-letter short form (`o` for `-o`). */
  alias?: string;
  /** The value's name in the help (default: N for numbers, a|b for short enums, VALUE otherwise). */
  placeholder?: string;
}

/** A validator returns true (accepted), false (rejected) or the reason it is rejected. */
export type Validator<T> = (value: T) => boolean | string;

export interface StringOption extends OptionBase {
  type: 'string';
  default?: string;
  required?: boolean;
  validate?: Validator<string>;
}
export interface NumberOption extends OptionBase {
  /** 'integer' also rejects fractions. */
  type: 'number' | 'integer';
  default?: number;
  required?: boolean;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive lower bound (`above: 0` for "a number > 0"). */
  above?: number;
  /** The only values accepted (`[2, 4]`). */
  choices?: readonly number[];
  validate?: Validator<number>;
}
export interface BooleanOption extends OptionBase {
  type: 'boolean';
}
export interface EnumOption extends OptionBase {
  type: 'enum';
  choices: readonly string[];
  default?: string;
  required?: boolean;
}
/** A comma-separated list (`--scales 4,2`); `choices` limits the items. */
export interface ListOption extends OptionBase {
  type: 'list';
  choices?: readonly string[];
  default?: readonly string[];
  required?: boolean;
  validate?: Validator<string[]>;
}

export type OptionSpec = StringOption | NumberOption | BooleanOption | EnumOption | ListOption;

export interface PositionalSpec {
  name: string;
  /** What the positional is, for the "missing …" error (default `<name>`). */
  help?: string;
  /** Optional positionals come after the required ones. */
  optional?: boolean;
  /** The last positional may take any number of arguments (at least one unless optional). */
  repeat?: boolean;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** How the command is invoked (`sr upscale`), for the usage line and the errors' hint. */
  name: string;
  /** One line, shown under the usage line and in a list of commands. */
  summary: string;
  /** Text after the summary (what the command does in detail). */
  description?: string;
  /** Usage lines after the name; default: the positionals and "[options]". */
  usage?: string | readonly string[];
  options: O;
  positionals?: readonly PositionalSpec[];
  /** Text after the options (environment, notes). */
  epilog?: string;
  /** The end of every usage error (default "see <name> --help"). */
  hint?: string;
  /** Wraps a usage error message in the command's error type (default DiffganError). */
  error?: (message: string) => Error;
}

type ValueOf<S> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'number' | 'integer' }
    ? number
    : S extends { type: 'enum'; choices: readonly (infer C)[] }
      ? C
      : S extends { type: 'list' }
        ? string[]
        : string;
type AlwaysSet<S> = S extends { type: 'boolean' } ? true : S extends { default: unknown } ? true : S extends { required: true } ? true : false;

/** The parsed command line: each option's value (undefined when not given and without default). */
export type ParsedCommand<O> = { -readonly [K in keyof O]: AlwaysSet<O[K]> extends true ? ValueOf<O[K]> : ValueOf<O[K]> | undefined } & {
  /** The positionals, in order. */
  _: string[];
  /** -h / --help was given: nothing else was checked, print command.help(). */
  help: boolean;
  /** The options given on the command line (not defaulted). */
  given: ReadonlySet<string>;
};

export interface Command<O extends Record<string, OptionSpec>> {
  readonly spec: CommandSpec<O>;
  parse(argv: readonly string[]): ParsedCommand<O>;
  /** The generated --help text. */
  help(): string;
  /** The usage lines (`sr upscale <in> [options]`). */
  usageLines(): string[];
}

/** "2 or 4", "one of a, b, c". */
function choiceText(choices: readonly (string | number)[]): string {
  return choices.length === 2 ? `${choices[0]} or ${choices[1]}` : `one of ${choices.join(', ')}`;
}

/** What a number option accepts, in words ("an integer from 0 to 51"); undefined when it has no declared range. */
function numberExpectation(o: NumberOption): string | undefined {
  if (o.choices) return choiceText(o.choices);
  const kind = o.type === 'integer' ? 'an integer' : 'a number';
  if (o.min !== undefined && o.max !== undefined) return `${kind} from ${o.min} to ${o.max}`;
  if (o.min !== undefined) return `${kind} ≥ ${o.min}`;
  if (o.above !== undefined) return `${kind} > ${o.above}`;
  if (o.max !== undefined) return `${kind} ≤ ${o.max}`;
  return o.type === 'integer' ? 'an integer' : undefined;
}

function placeholderOf(o: OptionSpec): string {
  if (o.placeholder) return o.placeholder;
  if (o.type === 'number' || o.type === 'integer') return o.choices && o.choices.length <= 4 ? o.choices.join('|') : 'N';
  if (o.type === 'enum') return o.choices.join('|').length <= 24 ? o.choices.join('|') : 'NAME';
  if (o.type === 'list') return 'LIST';
  return 'VALUE';
}

function defaultText(o: OptionSpec): string | undefined {
  if (o.type === 'boolean' || o.default === undefined || /\(default/.test(o.help)) return undefined;
  if (o.type === 'list') return (o.default as readonly string[]).join(',');
  return String(o.default);
}

export function defineCommand<const O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): Command<O> {
  const hint = spec.hint ?? `see ${spec.name} --help`;
  const fail = (message: string): Error => (spec.error ?? ((m: string) => new DiffganError(m)))(message);
  const names = Object.keys(spec.options);
  const booleans = names.filter((n) => spec.options[n].type === 'boolean');
  const alias: Record<string, string> = { h: 'help' };
  for (const n of names) {
    const a = spec.options[n].alias;
    if (a) alias[a] = n;
  }
  const positionals = spec.positionals ?? [];

  const invalid = (name: string, raw: string, why?: string): Error => fail(`invalid value for --${name}: ${raw}${why ? ` (${why})` : ''}`);
  const check = <T>(name: string, raw: string, v: T, validate: Validator<T> | undefined): T => {
    const r = validate ? validate(v) : true;
    if (r === true) return v;
    throw invalid(name, raw, typeof r === 'string' ? r : undefined);
  };

  function convert(name: string, o: OptionSpec, raw: string | boolean): unknown {
    if (o.type === 'boolean') {
      if (raw !== true) throw fail(`option --${name} takes no value (${hint})`);
      return true;
    }
    if (typeof raw !== 'string') throw fail(`option --${name} needs a value`);
    switch (o.type) {
      case 'string':
        return check(name, raw, raw, o.validate);
      case 'enum':
        if (!o.choices.includes(raw)) throw invalid(name, raw, `must be ${choiceText(o.choices)}`);
        return raw;
      case 'list': {
        const items = raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const bad = o.choices && items.find((s) => !o.choices!.includes(s));
        if (bad !== undefined || items.length === 0)
          throw invalid(name, raw, o.choices ? `a comma-separated list of ${o.choices.join(', ')}` : 'a comma-separated list');
        return check(name, raw, items, o.validate);
      }
      default: {
        const n = raw.trim() === '' ? NaN : Number(raw);
        const inRange =
          Number.isFinite(n) &&
          (o.type !== 'integer' || Number.isInteger(n)) &&
          (o.min === undefined || n >= o.min) &&
          (o.max === undefined || n <= o.max) &&
          (o.above === undefined || n > o.above) &&
          (!o.choices || o.choices.includes(n));
        if (!inRange) {
          const e = numberExpectation(o);
          throw invalid(name, raw, e && `must be ${e}`);
        }
        return check(name, raw, n, o.validate);
      }
    }
  }

  function parse(argv: readonly string[]): ParsedCommand<O> {
    const raw = parseArgs([...argv], { boolean: [...booleans, 'help'], alias, known: names, hint });
    const out: Record<string, unknown> = { _: raw._, help: raw.help === true, given: new Set(names.filter((n) => raw[n] !== undefined)) };
    if (raw.help !== undefined && raw.help !== true) throw fail(`option --help takes no value (${hint})`);
    for (const n of names) {
      const o = spec.options[n];
      out[n] =
        raw[n] !== undefined
          ? convert(n, o, raw[n] as string | boolean)
          : o.type === 'boolean'
            ? false
            : o.type === 'list' && o.default
              ? [...o.default]
              : o.default;
    }
    if (out.help) return out as ParsedCommand<O>;
    for (const n of names) {
      const o = spec.options[n];
      if (o.type !== 'boolean' && o.required && out[n] === undefined) throw fail(`--${n} is required (${hint})`);
    }
    const required = positionals.filter((p) => !p.optional).length;
    if (raw._.length < required) {
      const p = positionals[raw._.length];
      throw fail(`missing ${p.help ?? `<${p.name}>`} (${hint})`);
    }
    if (!positionals[positionals.length - 1]?.repeat && raw._.length > positionals.length)
      throw fail(`unexpected argument '${raw._[positionals.length]}' (${hint})`);
    return out as ParsedCommand<O>;
  }

  function usageLines(): string[] {
    if (spec.usage !== undefined) return (typeof spec.usage === 'string' ? [spec.usage] : [...spec.usage]).map((u) => `${spec.name} ${u}`.trimEnd());
    const pos = positionals.map((p) => {
      const s = `<${p.name}>${p.repeat ? '...' : ''}`;
      return p.optional ? `[${s}]` : s;
    });
    return [[spec.name, ...pos, names.length ? '[options]' : ''].join(' ').trimEnd()];
  }

  function help(): string {
    const rows: [string, string][] = names.map((n) => {
      const o = spec.options[n];
      const flag = `${o.alias ? `-${o.alias}, ` : ''}--${n}${o.type === 'boolean' ? '' : ` ${placeholderOf(o)}`}`;
      const d = defaultText(o);
      return [flag, d === undefined ? o.help : `${o.help} (default ${d})`];
    });
    rows.push(['-h, --help', 'show this help']);
    // flags longer than 26 characters get a line of their own rather than pushing every help line right
    const width = Math.max(20, ...rows.map(([f]) => f.length).filter((n) => n <= 26)) + 2;
    const lines = rows.map(([f, h]) => {
      const [first, ...more] = h.split('\n');
      const head = f.length + 2 > width ? `  ${f}\n  ${' '.repeat(width)}${first}` : `  ${f.padEnd(width)}${first}`;
      return [head, ...more.map((m) => `  ${' '.repeat(width)}${m.trim()}`)].join('\n');
    });
    const usage = usageLines();
    return (
      [
        `usage: ${usage[0]}`,
        ...usage.slice(1).map((u) => `       ${u}`),
        '',
        spec.summary,
        ...(spec.description ? ['', spec.description.trimEnd()] : []),
        '',
        'options:',
        ...lines,
        ...(spec.epilog ? ['', spec.epilog.trimEnd()] : []),
      ].join('\n') + '\n'
    );
  }

  return { spec, parse, help, usageLines };
}

/** The help of a program made of commands: its usage lines, each command's summary, and where each command's options are. */
export function commandsHelp(program: string, summary: string, commands: readonly Command<Record<string, OptionSpec>>[], epilog?: string): string {
  const sub = (c: Command<Record<string, OptionSpec>>) => c.spec.name.slice(program.length).trim();
  const width = Math.max(...commands.map((c) => sub(c).length)) + 3;
  return (
    [
      `${program}: ${summary}`,
      '',
      ...[...commands.flatMap((c) => c.usageLines()), `${program} <command> --help`].map((u, i) => `${i ? '       ' : 'usage: '}${u}`),
      '',
      'commands:',
      ...commands.map((c) => `  ${sub(c).padEnd(width)}${c.spec.summary}`),
      ...(epilog ? ['', epilog.trimEnd()] : []),
    ].join('\n') + '\n'
  );
}
