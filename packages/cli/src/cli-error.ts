import { LambdakitError } from '@lambdakit/core';

/** Exit code of a run where every invocation succeeded. */
export const EXIT_OK = 0;
/** Exit code when an invocation failed (function error, timeout, init error, dead-lettered event). */
export const EXIT_FUNCTION_ERROR = 1;
/** Exit code for bad usage: unknown option, unreadable file, invalid JSON, missing module or export. */
export const EXIT_USAGE = 2;

/**
 * The stable codes of {@link CliError}:
 * - `CLI_USAGE`: an option, an argument or a combination of them the command does not take;
 * - `CLI_INVALID_INPUT`: a file (or stdin) the command reads is missing, unreadable, not JSON, or
 *   not what its option expects;
 * - `CLI_INVALID_HANDLER`: the `<module>[#export]` to run is missing, not a runnable module, or a
 *   name Lambda's handler setting cannot express;
 * - `CLI_SETUP_FAILED`: what the run needs around the function could not be set up (the local AWS
 *   services, AWS's runtime interface client, a writable dead-letter directory).
 */
export type CliErrorCode = 'CLI_USAGE' | 'CLI_INVALID_INPUT' | 'CLI_INVALID_HANDLER' | 'CLI_SETUP_FAILED';

/** Details a {@link CliError} carries besides its message. */
export interface CliErrorDetails {
  /** The input at fault, as the user named it (`events/order.json`, `stdin`, `dist/handler.js`). */
  file?: string | undefined;
  /** The underlying error (a file system error, a syntax error). */
  cause?: unknown;
}

/**
 * A problem with how the CLI was called (an option, a file, the module to run, what the run needs):
 * printed as one `lambdakit: …` line on stderr, exit code 2, whatever its code.
 */
export class CliError extends LambdakitError<CliErrorCode> {
  /** The input at fault, when there is one. */
  readonly file: string | undefined;

  constructor(code: CliErrorCode, message: string, details: CliErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.file = details.file;
  }
}
