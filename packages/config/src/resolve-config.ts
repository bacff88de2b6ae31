import { emitWarning } from '@lambdakit/core';
import type { z } from 'zod';
import type { ConfigError } from './config-error.js';
import type { ConfigSource, Snapshot } from './config-source.js';
import { splitLayers } from './config-tree.js';
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
  readonly generation: number;
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
 * The config of one qualifier from a snapshot of its function's tree: base layer, the qualifier's
 * overrides and the environment's, validated by the schema and deeply frozen. Memoized on the
 * source per snapshot generation, so a warm invocation costs a map lookup. After a refresh that
 * does not validate, the last good config is served (`LAMBDAKIT_CONFIG_INVALID_AFTER_REFRESH`).
 */
export function resolveConfig<S extends ConfigSchema>(
  recipe: ConfigRecipe<S>,
  source: ConfigSource,
  snapshot: Snapshot,
  qualifier: string,
): z.output<S> {
  type T = z.output<S>;
  const key = `${qualifier}${recipe.memoKey}`;
  const memo = source.memo.get(key) as Resolved<T> | undefined;
  if (memo !== undefined && memo.generation === snapshot.generation) {
    if (memo.error === undefined) return memo.value as T;
    if (memo.lastGood !== undefined) return memo.lastGood;
    throw memo.error;
  }
  const layers = splitLayers(snapshot.parameters, source.path, qualifier, recipe.keys);
  if (layers.ignored.length > 0) {
    emitWarning(
      'LAMBDAKIT_CONFIG_PARAMETER_IGNORED',
      `Ignored ${layers.ignored.length} parameter(s) under ${source.path} whose names cannot be config keys: ${layers.ignored.slice(0, 10).join(', ')}`,
    );
  }
  const { generation } = snapshot;
  const result = validateConfig(recipe.schema, [layers.base, layers.override, recipe.env.overrides], {
    path: source.path,
    qualifier,
  });
  if (result.ok) {
    // A new frozen object: an invocation holding the previous one never sees it change.
    remember(source, key, { generation, value: result.value, lastGood: result.value });
    return result.value;
  }
  if (memo?.lastGood !== undefined) {
    emitWarning(
      'LAMBDAKIT_CONFIG_INVALID_AFTER_REFRESH',
      `Refreshed configuration from ${source.path} is invalid; serving the last good configuration. ${result.error.message}`,
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

// Environment-only configs, per schema and environment (there is no SSM snapshot to key them on).
const envOnly = new WeakMap<object, WeakMap<object, Resolved<unknown>>>();

/** The config from environment variables alone (`LAMBDAKIT_CONFIG_SOURCE=env`), memoized per schema and environment. */
export function resolveEnvConfig<S extends ConfigSchema>(recipe: ConfigRecipe<S>): z.output<S> {
  let bySchema = envOnly.get(recipe.schema);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    envOnly.set(recipe.schema, bySchema);
  }
  let entry = bySchema.get(recipe.env);
  if (entry === undefined) {
    const result = validateConfig(recipe.schema, [recipe.env.overrides], { path: undefined, qualifier: undefined });
    entry = result.ok ? { generation: 0, value: result.value } : { generation: 0, error: result.error };
    bySchema.set(recipe.env, entry);
  }
  if (entry.error !== undefined) throw entry.error;
  return entry.value as z.output<S>;
}
