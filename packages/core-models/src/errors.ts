/** An error meant for a person: the CLIs print its message as one line and exit non-zero. */
export class DiffganError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffganError';
  }
}

/** The default sink of one-line notices (warnings that do not stop the work). */
export const warnLine = (line: string): void => {
  process.stderr.write(line + '\n');
};
