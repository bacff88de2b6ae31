import type { SSMClient } from '@aws-sdk/client-ssm';
import { type ConfigWarning, describe, type SourceSettings } from './config-source.js';
import { type ConfigSourceKind, envSettings } from './env-overrides.js';
import { type RetryOptions, retrySettings } from './retry.js';

/** Options shared by `loadConfig`, `config` and `prefetchConfig`: where and how to read SSM. */
export interface SourceOptions {
  /** The SSM path all functions' trees live under (default `/lambdakit`). */
  prefix?: string | undefined;
  /** The SSM client (default: one shared client per region, created on first use). */
  client?: SSMClient | undefined;
  /** Read SecureString parameters decrypted (`WithDecryption`, default `true`). */
  decrypt?: boolean | undefined;
  /** Retries of the first load and of each refresh. */
  retry?: RetryOptions | undefined;
  /** `'ssm'` (SSM, environment overrides on top) or `'env'` (environment only); default from `LAMBDAKIT_CONFIG_SOURCE`, else `'ssm'`. */
  source?: ConfigSourceKind | undefined;
  /** The environment to read overrides and `LAMBDAKIT_CONFIG_SOURCE` from (default `process.env`, read once). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Age after which a warm invocation triggers a background refresh (default 300; `Infinity`: never). */
  maxAgeSeconds?: number | undefined;
  /** Receives warnings (failed refresh, ignored parameters); default: one JSON line on `console.warn`. */
  onWarning?: ((warning: ConfigWarning) => void) | undefined;
  /** The clock for `maxAgeSeconds`, epoch milliseconds (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** {@link SourceOptions} checked and with defaults applied. */
export interface ResolvedSourceOptions {
  readonly prefix: string;
  readonly client: SSMClient | undefined;
  readonly decrypt: boolean;
  readonly kind: ConfigSourceKind;
  readonly env: ReturnType<typeof envSettings>;
  readonly rawEnv: Readonly<Record<string, string | undefined>>;
  readonly settings: SourceSettings;
}

// SSM: hierarchy levels are letters, digits and `_ . -`, separated by `/`.
const PREFIX = /^(\/[A-Za-z0-9_.-]+)*$/;

/** Checks the options and applies defaults, once per `config()` (or per `loadConfig` call). */
export function resolveSourceOptions(options: SourceOptions): ResolvedSourceOptions {
  const rawPrefix = options.prefix ?? '/lambdakit';
  const prefix = rawPrefix.endsWith('/') ? rawPrefix.slice(0, -1) : rawPrefix;
  if (typeof rawPrefix !== 'string' || !PREFIX.test(prefix)) {
    throw new TypeError(`config: prefix must be an SSM path such as "/lambdakit", got ${JSON.stringify(rawPrefix)}`);
  }
  const maxAgeSeconds = options.maxAgeSeconds ?? 300;
  if (typeof maxAgeSeconds !== 'number' || Number.isNaN(maxAgeSeconds) || maxAgeSeconds < 0) {
    throw new RangeError(`config: maxAgeSeconds must be a number >= 0 (or Infinity), got ${maxAgeSeconds}`);
  }
  const rawEnv = options.env ?? process.env;
  const env = envSettings(rawEnv);
  const kind = options.source ?? env.source ?? 'ssm';
  if (kind !== 'ssm' && kind !== 'env')
    throw new TypeError(`config: source must be "ssm" or "env", got ${JSON.stringify(kind)}`);
  return {
    prefix,
    client: options.client,
    decrypt: options.decrypt ?? true,
    kind,
    env,
    rawEnv,
    settings: {
      retry: retrySettings(options.retry),
      now: options.now ?? Date.now,
      maxAgeMs: maxAgeSeconds * 1000,
      warn: safely(options.onWarning ?? warnAsJson),
    },
  };
}

/** A warning sink that throws must not fail an invocation, nor reject a background refresh unobserved. */
function safely(sink: (warning: ConfigWarning) => void): (warning: ConfigWarning) => void {
  return (warning) => {
    try {
      sink(warning);
    } catch {
      // nothing sensible left to report to
    }
  };
}

/** The default warning sink: one JSON line, which CloudWatch Logs indexes as structured fields. */
function warnAsJson(warning: ConfigWarning): void {
  console.warn(
    JSON.stringify({
      level: 'WARN',
      logger: '@lambdakit/config',
      code: warning.code,
      message: warning.message,
      path: warning.path,
      ...(warning.error === undefined ? {} : { error: describe(warning.error) }),
    }),
  );
}
