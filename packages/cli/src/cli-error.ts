import { LambdakitError } from '@lambdakit/core';

/** Exit code of a run where every invocation succeeded. */
export const EXIT_OK = 0;
/** Exit code when an invocation failed (function error, timeout, init error, dead-lettered event). */
export const EXIT_FUNCTION_ERROR = 1;
/** Exit code for bad usage: unknown option, unreadable file, invalid JSON, missing module or export. */
export const EXIT_USAGE = 2;

/**
 * A problem with how the CLI was called (an option, a file, the module to run): printed as one
 * `lambdakit: …` line on stderr, exit code 2. `file` names the input at fault when there is one.
 */
export class CliError extends LambdakitError {
  readonly file: string | undefined;

  constructor(message: string, options: { file?: string; cause?: unknown } = {}) {
    super('CLI_USAGE', message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
  }
}
