import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ConfigSource } from './config-source.js';
import type { ConfigEntry } from './config-tree.js';

const brand: unique symbol = Symbol('lambdakit.configStore');

/** Where one source is read for one function: what a {@link ConfigStore} needs to make it. */
export interface StoreTarget {
  readonly region: string;
  /** `{prefix}/{functionName}`. */
  readonly path: string;
  readonly functionName: string;
  /** The invocation's qualifier (`prod`, `7`, `latest`); `undefined` when prefetching at init. */
  readonly qualifier: string | undefined;
  /** The environment the options name (`env`, else `process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The top-level `client` and `decrypt` options, which `ssm()` falls back on. */
  readonly ssmDefaults: { readonly client: SSMClient | undefined; readonly decrypt: boolean };
}

/**
 * A store the configuration is read from, as `sources` lists them: `ssm()`, `secrets()`,
 * `encryptedEnv(…)`. Each is made by its function, so a bundle carries the code of the stores a
 * function uses and no other.
 */
export interface ConfigStore {
  readonly [brand]: true;
  /** `'ssm'`, `'secrets'` (Secrets Manager) or `'kms'` (KMS-encrypted variables). */
  readonly store: 'ssm' | 'secrets' | 'kms';
  /** The source of one function's values (shared by every caller with the same client), or none. */
  source(target: StoreTarget): ConfigSource | undefined;
  /** Key paths it sets whatever the stores hold (encrypted variables), checked against the schema. */
  readonly keyPaths: readonly (readonly string[])[];
  /** With `source: 'env'` (no AWS call): what it adds from the environment alone. */
  plain(env: Readonly<Record<string, string | undefined>>): readonly ConfigEntry[];
}

/** Makes a {@link ConfigStore}. */
export function configStore(store: Omit<ConfigStore, typeof brand>): ConfigStore {
  return Object.freeze({ ...store, [brand]: true as const });
}

/** Whether `value` is a store made by `ssm()`, `secrets()` or `encryptedEnv()`. */
export function isConfigStore(value: unknown): value is ConfigStore {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}

/** Whether `client` looks like an AWS SDK v3 client (it has `send`). */
export function isSdkClient(client: unknown): boolean {
  return typeof (client as { send?: unknown } | null)?.send === 'function';
}
