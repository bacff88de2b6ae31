import { LambdakitError } from '@lambdakit/core';

/** Where a config value came from: a base or qualifier-override parameter, an environment variable, or nowhere. */
export type ConfigValueSource = 'base' | 'override' | 'env' | 'missing';

/** The store a config value came from. */
export type ConfigStoreName = 'ssm' | 'secrets' | 'kms' | 'env';

/** One missing or invalid configuration key; never carries the value itself. */
export interface ConfigIssue {
  /** The key as a dotted path, e.g. `db.host` (`''` for the whole config). */
  readonly key: string;
  /** The key as a path of segments, as zod reports it. */
  readonly path: readonly (string | number)[];
  /**
   * The SSM parameter (`/lambdakit/orders/prod/db/host`) or environment variable
   * (`LAMBDAKIT_CONFIG__db__host`) the value came from, or where it is expected when missing.
   */
  readonly parameter: string | undefined;
  /** `undefined` for an issue about the config as a whole (a refinement across keys). */
  readonly source: ConfigValueSource | undefined;
  /**
   * The store the value came from: `'ssm'`, `'secrets'` (Secrets Manager; `parameter` is then
   * `{secret}#{key}`), `'kms'` (a KMS-encrypted variable) or `'env'`; absent for a missing key.
   */
  readonly store?: ConfigStoreName | undefined;
  /** What is wrong, e.g. `Invalid input: expected string, received undefined`. */
  readonly message: string;
}

/** The stable codes of {@link ConfigError}. */
export type ConfigErrorCode = 'CONFIG_INVALID' | 'CONFIG_LOAD_FAILED' | 'CONFIG_TOO_LARGE';

/** Details a {@link ConfigError} carries besides its message. */
export interface ConfigErrorDetails {
  /** Every missing or invalid key (`CONFIG_INVALID`); empty for load failures. */
  issues?: readonly ConfigIssue[] | undefined;
  /** The SSM path that was read, e.g. `/lambdakit/orders` (`undefined` when SSM is not used). */
  path?: string | undefined;
  /** The underlying error of a load failure (the last SDK error, or the abort reason). */
  cause?: unknown;
}

/**
 * Configuration could not be produced: `CONFIG_INVALID` lists every missing or invalid key with
 * the parameter it came from (never the value); `CONFIG_LOAD_FAILED` carries the SSM error as `cause`;
 * `CONFIG_TOO_LARGE` names the limit a configuration went past (and the parameter, for a value).
 */
export class ConfigError extends LambdakitError<ConfigErrorCode> {
  readonly issues: readonly ConfigIssue[];
  readonly path: string | undefined;

  constructor(code: ConfigErrorCode, message: string, details: ConfigErrorDetails = {}) {
    super(code, message, { cause: details.cause });
    this.issues = Object.freeze([...(details.issues ?? [])]);
    this.path = details.path;
  }
}

/** `Name: message` of a cause, short, for error messages and warnings (SSM errors never carry values). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}
