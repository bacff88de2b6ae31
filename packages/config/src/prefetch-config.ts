import type { SSMClient } from '@aws-sdk/client-ssm';
import type { RetryOptions } from '@lambdakit/core';
import type { ConfigSource } from './config-source.js';
import { type ConfigStore, namesFrom } from './config-store.js';
import type { ConfigSourceKind } from './env-overrides.js';
import type { ConfigSchema } from './load-config.js';
import { resolveOptions } from './resolve-options.js';

/** Options of {@link prefetchConfig}: where and how to read SSM (`loadConfig` and `config()` take them too). */
export interface PrefetchConfigOptions {
  /** The SSM path all functions' trees live under (default `/lambdakit`). */
  prefix?: string | undefined;
  /**
   * The stores the configuration is read from, in order (a later one wins where two set a key at
   * the same level): `[ssm()]` by default; `[ssm(), secrets()]` adds Secrets Manager,
   * `encryptedEnv({ 'db.password': 'DB_PASSWORD' })` KMS-encrypted variables.
   */
  sources?: readonly ConfigStore[] | undefined;
  /** The SSM client (default: one shared client per region, created on first use). */
  client?: SSMClient | undefined;
  /** Read SecureString parameters decrypted (`WithDecryption`, default `true`). */
  decrypt?: boolean | undefined;
  /** Retries of the first load and of each refresh (throttling, 5xx and network failures only). */
  retry?: Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs' | 'sleep'> | undefined;
  /** `'ssm'` (SSM, environment overrides on top) or `'env'` (environment only); default from `LAMBDAKIT_CONFIG_SOURCE`, else `'ssm'`. */
  source?: ConfigSourceKind | undefined;
  /** The environment to read overrides, `LAMBDAKIT_CONFIG_SOURCE`, `AWS_LAMBDA_FUNCTION_NAME` and `AWS_REGION` from (default `process.env`, read once). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The clock a load is stamped with, for `maxAgeSeconds`: epoch milliseconds (default `Date.now`). */
  now?: (() => number) | undefined;
}

// Lambda: function names are 1-64 letters, digits, hyphens and underscores.
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Starts reading this function's parameter tree now, at module load, so SSM latency overlaps the
 * rest of cold-start init; the first invocation then joins (or finds) the result. The function name
 * and region come from `AWS_LAMBDA_FUNCTION_NAME` and `AWS_REGION`: the tree holds every alias's and
 * version's overrides, so the qualifier (unknown until an invocation) is not needed yet.
 * Resolves `true` when loaded, `false` when skipped or failed (the first invocation retries); never
 * rejects. A bad option is a `TypeError`, thrown at once. `config()` calls it unless `prefetch: false`.
 */
export function prefetchConfig(options: PrefetchConfigOptions = {}): Promise<boolean> {
  const resolved = resolveOptions('prefetchConfig', options);
  if (resolved.kind === 'env') return Promise.resolve(true);
  const functionName = resolved.rawEnv.AWS_LAMBDA_FUNCTION_NAME;
  const region = resolved.rawEnv.AWS_REGION ?? resolved.rawEnv.AWS_DEFAULT_REGION;
  if (functionName === undefined || !FUNCTION_NAME.test(functionName)) return Promise.resolve(false);
  if (region === undefined || region === '') return Promise.resolve(false);
  const target = {
    region,
    functionName,
    path: `${resolved.prefix}/${functionName}`,
    qualifier: undefined,
    env: resolved.rawEnv,
    ssmDefaults: { client: resolved.client, decrypt: resolved.decrypt },
    // config() hands its options, schema included, so a store reading by name can prefetch too.
    leafPaths: leafPathsOf(options),
  };
  let sources: ConfigSource[];
  try {
    sources = resolved.sources.flatMap((store) => store.source(target) ?? []);
  } catch {
    return Promise.resolve(false); // the first invocation meets the same error, and reports it
  }
  return Promise.all(sources.map((source) => source.prefetch(resolved.settings))).then((loaded) =>
    loaded.every(Boolean),
  );
}

/** The key paths stores reading by name ask for, when the options carry a schema (as `config()`'s do). */
function leafPathsOf(options: PrefetchConfigOptions): readonly (readonly string[])[] | undefined {
  const { schema } = options as { schema?: ConfigSchema };
  if (schema === undefined || options.sources === undefined) return undefined;
  try {
    return namesFrom(options.sources, schema, 'prefetchConfig');
  } catch {
    return undefined; // the door with the schema reports it
  }
}
