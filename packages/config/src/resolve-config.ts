import { emitWarning } from '@lambdakit/core';
import type { z } from 'zod';
import type { ConfigError } from './config-error.js';
import type { ConfigSource, Snapshot } from './config-source.js';
import { type ConfigEntry, splitLayers } from './config-tree.js';
import type { EnvSettings } from './env-overrides.js';
import type { ConfigSchema } from './load-config.js';
import { validateConfig } from './validate-config.js';

/** What turns parameters into one loader's config: the schema, its top-level keys, the environment. */
export interface ConfigRecipe<S extends ConfigSchema> {
  readonly schema: S;
  readonly keys: ReadonlySet<string>;
  readonly env: EnvSettings;
  /** Identifies the schema and environment in a source's memo, beside the qualifier. */
  readonly memoKey: string;
}

interface Resolved<T> {
  /** The generation of the snapshot it was resolved from (joined with `:` for several sources). */
  readonly generation: number | string;
  readonly value?: T;
  readonly error?: ConfigError;
  readonly lastGood?: T;
}

/**
 * Resolved configs kept per source. Each (qualifier, schema, environment) is one entry: a schema or
 * `env` object built per call instead of once at module scope would otherwise add one per invocation.
 */
const MAX_MEMO_ENTRIES = 256;

const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(object: object): number {
  let id = ids.get(object);
  if (id === undefined) {
    id = ++nextId;
    ids.set(object, id);
  }
  return id;
}

/** The recipe of one loader, made once when its door is called. */
export function configRecipe<S extends ConfigSchema>(
  schema: S,
  keys: ReadonlySet<string>,
  env: EnvSettings,
): ConfigRecipe<S> {
  return { schema, keys, env, memoKey: `\0${idOf(schema)}\0${idOf(env)}` };
}

/**
 * The config of one qualifier from the loaded snapshots of its function's sources (SSM, then
 * secrets): the base layers, the qualifier's overrides and the environment's, validated by the
 * schema and deeply frozen. Memoized on the first source per snapshot generations, so a warm
 * invocation costs a map lookup. After a refresh that does not validate, the last good config is
 * served (`LAMBDAKIT_CONFIG_INVALID_AFTER_REFRESH`).
 */
export function resolveConfig<S extends ConfigSchema>(
  recipe: ConfigRecipe<S>,
  sources: readonly ConfigSource[],
  qualifier: string,
): z.output<S> {
  type T = z.output<S>;
  const source = sources[0] as ConfigSource;
  // The warm path allocates nothing for one source (the common case): a number and one string.
  const single = sources.length === 1;
  const generation = single
    ? (source.snapshot as Snapshot).generation
    : sources.map((s) => s.snapshot?.generation).join(':');
  const key = single
    ? `${qualifier}${recipe.memoKey}`
    : `${qualifier}${recipe.memoKey}${sources.map((s) => `\0${s.id}`).join('')}`;
  const memo = source.memo.get(key) as Resolved<T> | undefined;
  if (memo !== undefined && memo.generation === generation) {
    if (memo.error === undefined) return memo.value as T;
    if (memo.lastGood !== undefined) return memo.lastGood;
    throw memo.error;
  }
  const snapshots = sources.map((s) => s.snapshot as Snapshot);
  const bases: ConfigEntry[][] = [];
  const overrides: ConfigEntry[][] = [];
  sources.forEach((from, i) => {
    const layers = splitLayers((snapshots[i] as Snapshot).parameters, from.path, qualifier, recipe.keys);
    if (layers.ignored.length > 0) {
      emitWarning(
        'LAMBDAKIT_CONFIG_PARAMETER_IGNORED',
        `Ignored ${layers.ignored.length} value(s) of ${from.describe} whose names cannot be config keys: ${layers.ignored.slice(0, 10).join(', ')}`,
      );
    }
    bases.push(layers.base);
    overrides.push(layers.override);
  });
  const result = validateConfig(recipe.schema, [...bases, ...overrides, recipe.env.overrides], {
    path: source.path,
    qualifier,
    describe: sources.map((s) => s.describe).join(' and '),
    ssm: sources.some((s) => s.store === 'ssm'),
    secrets: sources.some((s) => s.store === 'secrets'),
  });
  if (result.ok) {
    // A new frozen object: an invocation holding the previous one never sees it change.
    remember(source, key, { generation, value: result.value, lastGood: result.value });
    return result.value;
  }
  if (memo?.lastGood !== undefined) {
    emitWarning(
      'LAMBDAKIT_CONFIG_INVALID_AFTER_REFRESH',
      `Refreshed configuration from ${sources.map((s) => s.describe).join(' and ')} is invalid; serving the last good configuration. ${result.error.message}`,
    );
    remember(source, key, { generation, error: result.error, lastGood: memo.lastGood });
    return memo.lastGood;
  }
  remember(source, key, { generation, error: result.error });
  throw result.error;
}

function remember(source: ConfigSource, key: string, entry: Resolved<unknown>): void {
  if (!source.memo.has(key) && source.memo.size >= MAX_MEMO_ENTRIES) {
    // Oldest first (a Map keeps insertion order): the entries of a long-gone schema go before current ones.
    source.memo.delete(source.memo.keys().next().value as string);
    if (!source.memoFullWarned) {
      source.memoFullWarned = true;
      emitWarning(
        'LAMBDAKIT_CONFIG_MEMO_FULL',
        `More than ${MAX_MEMO_ENTRIES} configurations resolved from ${source.path}: the schema or env option is probably created on every call; create it once, at module scope, so each invocation does not validate again`,
      );
    }
  }
  source.memo.set(key, entry);
}

// Environment-only configs, per schema, environment and encrypted-variable mapping (there is no snapshot to key them on).
const envOnly = new WeakMap<object, WeakMap<object, Map<string, Resolved<unknown>>>>();

/**
 * The config from environment variables alone (`LAMBDAKIT_CONFIG_SOURCE=env`), with `plain` (the
 * `encryptedEnv` variables, read as they are) under the overrides; memoized per schema and environment.
 */
export function resolveEnvConfig<S extends ConfigSchema>(
  recipe: ConfigRecipe<S>,
  plain: readonly ConfigEntry[] = [],
): z.output<S> {
  let bySchema = envOnly.get(recipe.schema);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    envOnly.set(recipe.schema, bySchema);
  }
  let byPlain = bySchema.get(recipe.env);
  if (byPlain === undefined) {
    byPlain = new Map();
    bySchema.set(recipe.env, byPlain);
  }
  const key = JSON.stringify(plain.map((entry) => [entry.path, entry.origin]));
  let entry = byPlain.get(key);
  if (entry === undefined) {
    const result = validateConfig(recipe.schema, [plain, recipe.env.overrides], {
      path: undefined,
      qualifier: undefined,
      describe: 'the environment',
      ssm: false,
      secrets: false,
    });
    entry = result.ok ? { generation: '', value: result.value } : { generation: '', error: result.error };
    byPlain.set(key, entry);
  }
  if (entry.error !== undefined) throw entry.error;
  return entry.value as z.output<S>;
}
