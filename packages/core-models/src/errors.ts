/** An error meant for a person: the CLIs print its message as one line and exit non-zero. */
export class DiffganError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffganError';
  }
}
