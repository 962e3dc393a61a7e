/**
 * Every failure the CLI reports is a VideoError, so it can print one line
 * and pick an exit code without parsing messages.
 */
export type VideoErrorCode =
  | 'MISSING_FILE'
  | 'NOT_A_VIDEO'
  | 'TRUNCATED'
  | 'TOO_FEW_FRAMES'
  | 'UNWRITABLE_OUTPUT'
  | 'OUTPUT_IS_INPUT'
  | 'FFMPEG_FAILED'
  | 'MODEL_UNAVAILABLE'
  | 'ABORTED'
  | 'USAGE';

export class VideoError extends Error {
  constructor(
    readonly code: VideoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VideoError';
  }
}

/** ffmpeg's stderr is multi-line; the last meaningful line usually names the cause. */
export function lastMeaningfulLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !/^Conversion failed!?$/.test(line) && !/^Error while/.test(line));
  return lines[lines.length - 1] ?? 'unknown error';
}
