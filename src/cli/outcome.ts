/**
 * A verb that finished with a non-zero status but no error to print (an import with rejected rows, a clearing
 * file that failed verification, a failed job run): it has already written its output, so `main` returns the code
 * and prints nothing. Thrown by the `act` wrapper, because commander discards what an action returns.
 */
export class CommandOutcome extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CommandOutcome';
  }
}
