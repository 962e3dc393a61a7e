/**
 * Soak bench (issue #29): N consecutive library `synthesize` calls in one process on short
 * mixed texts, some aborted with an AbortSignal (after the first sentence, by a timer, or before
 * the call), reporting RSS and open file handles (/proc/self/fd) at start (after warm-up: one call
 * per text, which loads the voice and lets onnxruntime's arenas and the JS heap reach their working size) and at the end. Target: RSS growth < 50 MB, no handle leak.
 *   npm run bench -w @diffgan/tts -- soak [--n 1000] [--steps 1] [--gl 32]
 */
import * as fs from 'fs';
import * as os from 'os';
import { defineCommand } from '@diffgan/core-models';
import { synthesize, DEFAULT_DENOISE_STEPS, DEFAULT_GL_ITERATIONS } from './synth/synthesize';

const TEXTS = [
  '你好。',
  '今天天气很好。',
  '我们走吧，好吗？',
  '3月5日，12.5度。',
  '请拨打10086。',
  '他说：“行！”',
  '一二三。四五六。',
  '银行行长来了。',
  '好。',
  '我的AI会说话。',
  '春眠不觉晓。处处闻啼鸟。',
  '百分之八十。',
];
const MULTI = TEXTS.filter((t) => (t.match(/[。？！]/g) ?? []).length > 1);

const fds = (): number => {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return NaN;
  }
};
const mb = (b: number): string => (b / 2 ** 20).toFixed(0);
const isAbort = (e: unknown): boolean => (e as Error)?.name === 'AbortError';

export const soakCommand = defineCommand({
  name: 'npm run bench -w @diffgan/tts -- soak',
  summary: 'N consecutive synthesize calls, some aborted: RSS and open file handles must not grow.',
  options: {
    n: { type: 'integer', min: 1, default: 1000, help: 'synthesize calls' },
    steps: { type: 'number', default: DEFAULT_DENOISE_STEPS, help: 'diffusion denoising steps' },
    gl: { type: 'number', default: DEFAULT_GL_ITERATIONS, help: 'Griffin-Lim iterations' },
  },
});

export async function soak(argv: string[], log: (s: string) => void = () => undefined): Promise<string> {
  const a = soakCommand.parse(argv);
  if (a.help) return soakCommand.help();
  const n = a.n;
  const opts = { steps: a.steps, griffinLimIterations: a.gl };
  const rssCold = process.memoryUsage.rss();
  for (const t of TEXTS) await synthesize(t, opts); // warm-up
  const rss0 = process.memoryUsage.rss(),
    fd0 = fds(),
    t0 = performance.now();
  let peak = rss0,
    completed = 0,
    midway = 0,
    timed = 0,
    before = 0,
    seconds = 0;
  for (let i = 0; i < n; i++) {
    const ac = new AbortController();
    let text = TEXTS[i % TEXTS.length],
      timer: NodeJS.Timeout | undefined,
      onProgress: (() => void) | undefined;
    if (i % 10 === 3) {
      text = MULTI[i % MULTI.length];
      onProgress = () => ac.abort();
    } // mid-way: after the first sentence
    else if (i % 10 === 7)
      timer = setTimeout(() => ac.abort(), i % 40); // whenever the timer lands
    else if (i % 50 === 0) ac.abort(); // before the call
    try {
      const r = await synthesize(text, { ...opts, signal: ac.signal, onProgress });
      completed++;
      seconds += r.audio.length / r.sampleRate;
    } catch (e) {
      if (!isAbort(e)) throw e;
      if (onProgress) midway++;
      else if (timer) timed++;
      else before++;
    } finally {
      clearTimeout(timer);
    }
    if ((i + 1) % Math.min(100, Math.ceil(n / 10)) === 0) {
      const m = process.memoryUsage();
      peak = Math.max(peak, m.rss);
      log(`soak ${i + 1}/${n}: RSS ${mb(m.rss)} MB (JS heap ${mb(m.heapUsed)}, external ${mb(m.external)}), ${fds()} fds\n`);
    }
  }
  const rss1 = process.memoryUsage.rss(),
    fd1 = fds(),
    secs = (performance.now() - t0) / 1000;
  peak = Math.max(peak, rss1);
  const grow = (rss1 - rss0) / 2 ** 20,
    ok = grow < 50 && fd1 <= fd0;
  return (
    `soak (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores): ${n} synthesize calls in ${secs.toFixed(0)} s ` +
    `(${completed} completed, ${seconds.toFixed(0)} s of audio; aborted: ${midway} after the first sentence, ${timed} by a timer, ${before} before the call); ` +
    `RSS ${mb(rssCold)} MB before loading the voice, ${mb(rss0)} after ${TEXTS.length} warm-up calls -> ${mb(rss1)} MB at the end (${grow >= 0 ? '+' : ''}${grow.toFixed(1)} MB, peak ${mb(peak)}; target < 50), open fds ${fd0} -> ${fd1}: ${ok ? 'met' : 'NOT met'}\n`
  );
}
