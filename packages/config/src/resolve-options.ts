import type { KMSClient } from '@aws-sdk/client-kms';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { retrySettings } from '@lambdakit/core';
import type { SourceSettings } from './config-source.js';
import { isKeySegment } from './config-tree.js';
import { type ConfigSourceKind, type EnvSettings, envSettings } from './env-overrides.js';
import { isRetryable } from './fetch-parameters.js';
import type { ConfigSchema, LoadConfigOptions } from './load-config.js';
import type { PrefetchConfigOptions } from './prefetch-config.js';

/** A store the tree is read from: SSM Parameter Store or Secrets Manager. */
export type ConfigStore = 'ssm' | 'secrets';

/** The doors whose options are checked here, named in every TypeError. */
export type ConfigDoor = 'config' | 'loadConfig' | 'prefetchConfig';

/** The options of `loadConfig`, `config()` and `prefetchConfig()` checked, with defaults applied. */
export interface ResolvedOptions {
  readonly prefix: string;
  readonly client: SSMClient | undefined;
  readonly secretsClient: SecretsManagerClient | undefined;
  readonly kmsClient: KMSClient | undefined;
  /** The KMS-encrypted variables, by the key path each sets. */
  readonly encrypted: readonly { readonly path: readonly string[]; readonly variable: string }[];
  /** Which stores are read (both `false` only for `kind: 'env'`). */
  readonly stores: { readonly ssm: boolean; readonly secrets: boolean };
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
  const { sources, secretsClient, kmsClient } = storeOptions(options, fail);
  const encrypted = encryptedOption(options.encryptedEnv, (expected, got) => fail('encryptedEnv', expected, got));
  if (options.retry !== undefined && (options.retry === null || typeof options.retry !== 'object')) {
    throw fail('retry', 'an object of retry settings', options.retry);
  }
  // SSM's own classification of failures, whatever the caller passes: only the backoff is theirs to tune.
  const retry = retrySettings({ ...options.retry, isRetryable }, `${door}: retry`);
  return {
    prefix,
    client: options.client,
    secretsClient,
    kmsClient,
    encrypted,
    stores: { ssm: kind === 'ssm' && sources.includes('ssm'), secrets: kind === 'ssm' && sources.includes('secrets') },
    decrypt,
    kind,
    env,
    rawEnv,
    settings: { retry, now, maxAgeMs: maxAgeSeconds * 1000 },
  };
}

// Lambda: environment variable names are letters, digits and underscores, starting with a letter.
const VARIABLE = /^[A-Za-z][A-Za-z0-9_]*$/;

/** `encryptedEnv` checked: each key a dotted path of config keys, each value a variable name. */
function encryptedOption(
  option: Readonly<Record<string, string>> | undefined,
  fail: (expected: string, got: unknown) => TypeError,
): ResolvedOptions['encrypted'] {
  if (option === undefined) return [];
  if (option === null || typeof option !== 'object' || Array.isArray(option)) {
    throw fail('an object of config key paths to variable names, e.g. { "db.password": "DB_PASSWORD" }', option);
  }
  return Object.entries(option).map(([key, variable]) => {
    const path = key.split('.');
    if (!path.every(isKeySegment)) throw fail('config key paths such as "db.password"', key);
    if (typeof variable !== 'string' || !VARIABLE.test(variable)) {
      throw fail(`an environment variable name for "${key}"`, variable);
    }
    return { path, variable };
  });
}

/** `sources`, `secretsClient` and `kmsClient` checked. */
function storeOptions(
  options: PrefetchConfigOptions,
  fail: (option: string, expected: string, got: unknown) => TypeError,
) {
  const sources = options.sources ?? ['ssm'];
  if (
    !Array.isArray(sources) ||
    sources.length === 0 ||
    sources.some((store) => store !== 'ssm' && store !== 'secrets') ||
    new Set(sources).size !== sources.length
  ) {
    throw fail('sources', 'a list of "ssm" and "secrets", each at most once', JSON.stringify(sources));
  }
  const isClient = (client: unknown) => typeof (client as { send?: unknown } | null)?.send === 'function';
  const { secretsClient, kmsClient } = options;
  if (secretsClient !== undefined && !isClient(secretsClient)) {
    throw fail('secretsClient', 'a SecretsManagerClient', secretsClient);
  }
  if (kmsClient !== undefined && !isClient(kmsClient)) throw fail('kmsClient', 'a KMSClient', kmsClient);
  return { sources: sources as readonly ConfigStore[], secretsClient, kmsClient };
}
