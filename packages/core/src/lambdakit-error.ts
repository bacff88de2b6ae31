/** What every lambdakit error accepts besides its code and message: the typed data of its class, and a cause. */
export interface LambdakitErrorOptions {
  /** The underlying error, kept on `error.cause`. */
  cause?: unknown;
}

/**
 * Base class of every error lambdakit throws. One shape everywhere: `new XError(code, message, details)`,
 * where `code` is a stable, package-prefixed string literal (`CONFIG_NOT_FOUND`, `PARSER_INVALID_EVENT`)
 * typed as its package's union, `message` says what was wrong and where, and `details` carries the data
 * a caller needs (exposed as readonly properties) and the `cause`. `name` is the class name.
 */
export class LambdakitError<Code extends string = string> extends Error {
  /** Stable machine-readable code, prefixed with its package: `CORE_TIMEOUT`, `PARSER_INVALID_EVENT`. */
  readonly code: Code;

  constructor(code: Code, message: string, options?: LambdakitErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}
