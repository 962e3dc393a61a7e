/**
 * vgen entry point. main() never throws and never calls process.exit: it
 * prints one line per failure on stderr, sets process.exitCode and resolves
 * with it (0 ok, 1 failure, 2 usage, 130 interrupted).
 */
import { CliCommand, parseArgs } from './cli-args';
import { VideoError } from './errors';
import { probe, setFfmpegPreference } from './ffmpeg';
import { Interpolator, OutputRate, interpolateVideo } from './interpolate';
import { blendInterpolator, duplicateInterpolator } from './interpolators';
import { minterpolateVideo } from './minterpolate';
import {
  ifnetInterpolatorAvailable,
  loadIfnetInterpolator,
  loadModelInterpolator,
  loadModelUpscaler,
  modelInterpolatorAvailable,
  modelUpscalerAvailable,
} from './model';
import { createProgress } from './progress';
import { formatRational } from './rational';
import { UpscaleMethod, upscaleVideo } from './upscale';

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** An odd size is kept by encoding 4:4:4, which not every player handles: say so. */
function oddSizeNote(result: { width: number; height: number; pixelFormat: string }): string {
  if (result.pixelFormat !== 'yuv444p') return '';
  return `; ${result.width}x${result.height} kept as yuv444p (H.264 High 4:4:4, which some players cannot play; yuv420p needs an even size)`;
}

async function chooseInterpolator(method: 'blend' | 'duplicate' | 'model' | 'ifnet'): Promise<Interpolator> {
  if (method === 'model') return loadModelInterpolator();
  if (method === 'ifnet') return loadIfnetInterpolator();
  return method === 'blend' ? blendInterpolator : duplicateInterpolator;
}

async function run(command: Exclude<CliCommand, { kind: 'help' }>, signal: AbortSignal): Promise<string> {
  if (command.systemFfmpeg) setFfmpegPreference('system');
  if (command.kind === 'probe') {
    const info = await probe(command.input);
    return JSON.stringify({ ...info, fps: formatRational(info.fps), sampleAspectRatio: formatRational(info.sampleAspectRatio) }, null, 2);
  }
  const progress = createProgress(`vgen ${command.kind}`, !command.quiet);
  const onStart = (_: unknown, total: number) => progress.start(total);
  const onProgress = ({ framesWritten }: { framesWritten: number }) => progress.update(framesWritten);
  const common = { input: command.input, output: command.output, crf: command.crf, preset: command.preset, signal, onStart, onProgress };
  try {
    if (command.kind === 'interpolate') {
      const rate: OutputRate = command.fps === undefined ? { factor: command.factor } : { fps: command.fps };
      if (command.method === 'minterpolate') {
        const result = await minterpolateVideo({ ...common, ...rate });
        return `wrote ${result.output}: ${result.framesWritten} frames at ${formatRational(result.fps)} fps (minterpolate)${oddSizeNote(result)}`;
      }
      const interpolator = await chooseInterpolator(command.method);
      const result = await interpolateVideo({ ...common, ...rate, interpolator, sceneCuts: command.sceneCuts });
      const cuts = result.sceneCuts.length ? `, held at scene cuts before frames ${result.sceneCuts.join(', ')}` : '';
      const timing = result.variableFrameRate ? '; variable frame rate: frames placed by their timestamps' : '';
      return `wrote ${result.output}: ${result.framesWritten} frames at ${formatRational(result.fps)} fps (${command.method}${cuts}${timing})${oddSizeNote(result)}`;
    }
    const method: UpscaleMethod = command.method === 'model' ? { kind: 'model', upscaler: await loadModelUpscaler() } : { kind: 'lanczos' };
    const result = await upscaleVideo({ ...common, scale: command.scale, method });
    const cropped = result.crop.right || result.crop.bottom ? ' (cropped to even size)' : '';
    return `wrote ${result.output}: ${result.framesWritten} frames at ${result.width}x${result.height}${cropped} (${command.method})`;
  } finally {
    progress.stop();
  }
}

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let code = 0;
  try {
    const command = parseArgs(argv, {
      interpolate: ifnetInterpolatorAvailable() ? 'ifnet' : modelInterpolatorAvailable() ? 'model' : 'blend',
      upscale: modelUpscalerAvailable() ? 'model' : 'lanczos',
    });
    if (command.kind === 'help') {
      process.stdout.write(command.text);
    } else {
      const summary = await run(command, controller.signal);
      if (command.kind === 'probe' || !command.quiet) process.stdout.write(`${summary}\n`);
    }
  } catch (err) {
    if (controller.signal.aborted) {
      process.stderr.write('vgen: interrupted; no output written\n');
      code = 130;
    } else if (err instanceof VideoError) {
      process.stderr.write(`vgen: ${oneLine(err.message)}\n`);
      code = err.code === 'USAGE' ? 2 : 1;
    } else {
      process.stderr.write(`vgen: internal error: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
      code = 1;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.exitCode = code;
  return code;
}
