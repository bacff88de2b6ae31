/** Options every lambdakit error accepts besides its message. */
export interface LambdakitErrorOptions {
  /** The underlying error, kept on `error.cause`. */
  cause?: unknown;
}

/**
 * Base class of every error lambdakit throws: a stable `name` (the class name) and a stable
 * machine-readable `code`, so callers can branch without parsing messages.
 */
export class LambdakitError extends Error {
  /** Stable machine-readable code, e.g. `TIMEOUT`, `PARSE_ERROR`. */
  readonly code: string;

  constructor(code: string, message: string, options?: LambdakitErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}
