import type { SSMClient } from '@aws-sdk/client-ssm';
import { retrySettings } from '@lambdakit/core';
import type { SourceSettings } from './config-source.js';
import { type ConfigStore, isConfigStore } from './config-store.js';
import { type ConfigSourceKind, type EnvSettings, envSettings } from './env-overrides.js';
import { isRetryable } from './fetch-parameters.js';
import type { ConfigSchema, LoadConfigOptions } from './load-config.js';
import type { PrefetchConfigOptions } from './prefetch-config.js';
import { ssm } from './ssm-source.js';

/** The doors whose options are checked here, named in every TypeError. */
export type ConfigDoor = 'config' | 'loadConfig' | 'prefetchConfig';

/** The options of `loadConfig`, `config()` and `prefetchConfig()` checked, with defaults applied. */
export interface ResolvedOptions {
  readonly prefix: string;
  readonly client: SSMClient | undefined;
  /** The stores read, in `sources` order (later ones win at the same level); unused with `kind: 'env'`. */
  readonly sources: readonly ConfigStore[];
  readonly decrypt: boolean;
  readonly kind: ConfigSourceKind;
  readonly env: EnvSettings;
  readonly rawEnv: Readonly<Record<string, string | undefined>>;
  readonly settings: SourceSettings;
}

// SSM: hierarchy levels are letters, digits and `_ . -`, separated by `/`.
const PREFIX = /^(\/[A-Za-z0-9_.-]+)*$/;

/**
 * Checks the options where the door is called (a `TypeError` names the door and the option) and
 * applies the defaults: once per `config()`, per `prefetchConfig()` or per `loadConfig` call.
 */
export function resolveOptions(
  door: ConfigDoor,
  options: PrefetchConfigOptions & Pick<LoadConfigOptions<ConfigSchema>, 'maxAgeSeconds'>,
): ResolvedOptions {
  const fail = (option: string, expected: string, got: unknown) =>
    new TypeError(
      `${door}({ ${option} }): expected ${expected}, got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}`,
    );
  const rawPrefix = options.prefix ?? '/lambdakit';
  const prefix = typeof rawPrefix === 'string' && rawPrefix.endsWith('/') ? rawPrefix.slice(0, -1) : rawPrefix;
  if (typeof prefix !== 'string' || !PREFIX.test(prefix))
    throw fail('prefix', 'an SSM path such as "/lambdakit"', rawPrefix);
  const maxAgeSeconds = options.maxAgeSeconds ?? 300;
  if (typeof maxAgeSeconds !== 'number' || Number.isNaN(maxAgeSeconds) || maxAgeSeconds < 0) {
    throw fail('maxAgeSeconds', 'a number of seconds, at least 0 (or Infinity)', maxAgeSeconds);
  }
  const decrypt = options.decrypt ?? true;
  if (typeof decrypt !== 'boolean') throw fail('decrypt', 'a boolean', decrypt);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw fail('now', 'a function returning epoch milliseconds', now);
  const rawEnv = options.env ?? process.env;
  if (rawEnv === null || typeof rawEnv !== 'object') throw fail('env', 'an object of environment variables', rawEnv);
  const env = envSettings(rawEnv);
  const kind = options.source ?? env.source ?? 'ssm';
  if (kind !== 'ssm' && kind !== 'env') throw fail('source', '"ssm" or "env"', kind);
  const sources = storesOption(options.sources, fail);
  if (options.retry !== undefined && (options.retry === null || typeof options.retry !== 'object')) {
    throw fail('retry', 'an object of retry settings', options.retry);
  }
  // SSM's own classification of failures, whatever the caller passes: only the backoff is theirs to tune.
  const retry = retrySettings({ ...options.retry, isRetryable }, `${door}: retry`);
  return {
    prefix,
    client: options.client,
    sources,
    decrypt,
    kind,
    env,
    rawEnv,
    settings: { retry, now, maxAgeMs: maxAgeSeconds * 1000 },
  };
}

/** `sources` checked: stores made by `ssm()`, `secrets()` and `encryptedEnv()`, each kind at most once. */
// SSM with the top-level client and decrypt options: what `sources` defaults to.
const defaultSsm = ssm();

function storesOption(
  sources: readonly ConfigStore[] | undefined,
  fail: (option: string, expected: string, got: unknown) => TypeError,
): readonly ConfigStore[] {
  if (sources === undefined) return [defaultSsm];
  const expected = 'a list of stores such as [ssm(), secrets()] (ssm(), secrets(), encryptedEnv(…), each at most once)';
  if (!Array.isArray(sources) || sources.length === 0) throw fail('sources', expected, sources);
  const kinds = new Set<string>();
  for (const store of sources) {
    if (!isConfigStore(store)) throw fail('sources', expected, typeof store === 'string' ? store : String(store));
    if (kinds.has(store.store)) throw fail('sources', expected, `${store.store} twice`);
    kinds.add(store.store);
  }
  return Object.freeze([...sources]);
}
