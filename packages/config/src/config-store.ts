import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ConfigSource } from './config-source.js';
import type { ConfigEntry } from './config-tree.js';
import type { ConfigSchema } from './load-config.js';

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
  /**
   * The key paths a store reading by name asks for ({@link ConfigStore.namesFrom}); `undefined` when no
   * store reads by name, and when prefetching without a schema.
   */
  readonly leafPaths: readonly (readonly string[])[] | undefined;
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
  /**
   * For a store that reads values by name: the key paths of `schema` it will ask for, or `undefined`
   * when it reads otherwise; a `TypeError` naming `door` when it cannot read with this schema.
   */
  readonly namesFrom?: ((schema: ConfigSchema, door: string) => readonly (readonly string[])[] | undefined) | undefined;
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

/** The key paths the stores that read by name ask for (`ssmExtension()`), or `undefined` when none does. */
export function namesFrom(
  stores: readonly ConfigStore[],
  schema: ConfigSchema,
  door: string,
): readonly (readonly string[])[] | undefined {
  let names: readonly (readonly string[])[] | undefined;
  for (const store of stores) names ??= store.namesFrom?.(schema, door);
  return names;
}
