/**
 * Front-end accuracy against the corpus' gold surface pinyin.
 *
 * Per sentence, our syllables and the gold syllables are aligned by minimum edit
 * distance over whole toned tokens (substitution, insertion, deletion all cost 1;
 * ties prefer the diagonal). A gold syllable counts as correct when it is aligned to
 * an identical predicted token (same letters, same tone). Accuracy = correct / gold
 * syllables, so a missing or extra erhua merge costs one syllable. Alignment is
 * needed because erhua merges and spelled letters can change the syllable count.
 *
 * Runnable: node dist/frontend/evaluate.js [--plain] [--from N] [--to N] [--errors K] (--help: the options)
 */
import { defineCommand } from '@diffgan/core-models';
import { readLabels, LabelRow } from './labels';
import { readSentence, pinyinOf, ReadOptions } from './reading';

export interface AlignedCount {
  correct: number;
  gold: number;
  /** (gold, predicted) token pairs that differ, predicted '-' when deleted. */
  confusions: Array<[string, string]>;
}

/** Aligns predicted to gold tokens and counts identical aligned pairs. */
export function alignAndCount(gold: string[], predicted: string[]): AlignedCount {
  const n = gold.length;
  const m = predicted.length;
  const cost: number[][] = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const sub = cost[i - 1][j - 1] + (gold[i - 1] === predicted[j - 1] ? 0 : 1);
      cost[i][j] = Math.min(sub, cost[i - 1][j] + 1, cost[i][j - 1] + 1);
    }
  }
  let correct = 0;
  const confusions: Array<[string, string]> = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0 && cost[i][j] === cost[i - 1][j - 1] + (gold[i - 1] === predicted[j - 1] ? 0 : 1)) {
      if (gold[i - 1] === predicted[j - 1]) correct++;
      else confusions.push([gold[i - 1], predicted[j - 1]]);
      i--;
      j--;
    } else if (i > 0 && cost[i][j] === cost[i - 1][j] + 1) {
      confusions.push([gold[i - 1], '-']);
      i--;
    } else {
      j--;
    }
  }
  return { correct, gold: n, confusions };
}

export interface EvaluationOptions extends ReadOptions {
  /** Read the text without the corpus' #1-#4 marks (predict prosodic words instead). */
  plain?: boolean;
  fromId?: number;
  toId?: number;
  rows?: LabelRow[];
}

export interface EvaluationResult {
  sentences: number;
  syllables: number;
  correct: number;
  accuracy: number;
  /** Sentences whose every syllable is right. */
  sentenceAccuracy: number;
  /** Most frequent (gold, predicted) confusions with counts, most frequent first. */
  topConfusions: Array<{ gold: string; predicted: string; count: number }>;
  /** Per-sentence details for error analysis. */
  details: Array<{ id: number; gold: string[]; predicted: string[]; correct: number }>;
}

export function evaluateFrontEnd(options: EvaluationOptions = {}): EvaluationResult {
  const from = options.fromId ?? 1;
  const to = options.toId ?? Number.MAX_SAFE_INTEGER;
  const rows = (options.rows ?? readLabels()).filter((r) => r.id >= from && r.id <= to);
  let syllables = 0;
  let correct = 0;
  let perfect = 0;
  const confusionCounts = new Map<string, number>();
  const details: EvaluationResult['details'] = [];
  for (const row of rows) {
    const input = options.plain ? row.text : row.markedText;
    const predicted = pinyinOf(readSentence(input, { ...options, prosodyMarks: !options.plain }));
    const counted = alignAndCount(row.pinyin, predicted);
    syllables += counted.gold;
    correct += counted.correct;
    if (counted.correct === counted.gold && predicted.length === counted.gold) perfect++;
    for (const [g, p] of counted.confusions) {
      const key = `${g}\t${p}`;
      confusionCounts.set(key, (confusionCounts.get(key) ?? 0) + 1);
    }
    details.push({ id: row.id, gold: row.pinyin, predicted, correct: counted.correct });
  }
  const topConfusions = [...confusionCounts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 50)
    .map(([key, count]) => {
      const [gold, predictedToken] = key.split('\t');
      return { gold, predicted: predictedToken, count };
    });
  return {
    sentences: rows.length,
    syllables,
    correct,
    accuracy: syllables === 0 ? 0 : correct / syllables,
    sentenceAccuracy: rows.length === 0 ? 0 : perfect / rows.length,
    topConfusions,
    details,
  };
}

function formatResult(label: string, r: EvaluationResult): string {
  return `${label}: ${(100 * r.accuracy).toFixed(2)}% syllables (${r.correct}/${r.syllables}), ${(100 * r.sentenceAccuracy).toFixed(1)}% sentences fully right (${r.sentences} sentences)`;
}

export const evaluateCommand = defineCommand({
  name: 'node dist/frontend/evaluate.js',
  summary: "Front-end accuracy against the corpus' gold pinyin (tune 1-7000, held apart 7001-9800, overall range).",
  options: {
    plain: { type: 'boolean', help: 'read plain text (default: text with prosody marks)' },
    from: { type: 'integer', min: 1, default: 1, help: 'first sentence id of the overall range' },
    to: { type: 'integer', min: 1, default: 9800, help: 'last sentence id of the overall range' },
    errors: { type: 'integer', min: 0, default: 0, placeholder: 'K', help: 'print the K most frequent confusions of the tune range' },
  },
});

export function main(argv: string[]): void {
  const args = evaluateCommand.parse(argv);
  if (args.help) {
    process.stdout.write(evaluateCommand.help());
    return;
  }
  const { plain, errors: showErrors } = args;
  const rows = readLabels();
  const mode = plain ? 'plain text' : 'text with prosody marks';
  const tune = evaluateFrontEnd({ rows, plain, fromId: 1, toId: 7000 });
  const held = evaluateFrontEnd({ rows, plain, fromId: 7001, toId: 9800 });
  const all = evaluateFrontEnd({ rows, plain, fromId: args.from, toId: args.to });
  console.log(`input: ${mode}`);
  console.log(formatResult('tune 000001-007000', tune));
  console.log(formatResult('held apart 007001-009800', held));
  console.log(formatResult('overall', all));
  if (showErrors > 0) {
    for (const c of tune.topConfusions.slice(0, showErrors)) console.log(`${c.count}\tgold ${c.gold}\tours ${c.predicted}`);
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`evaluate: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
