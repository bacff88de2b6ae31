import { parseArn } from '@lambdakit/core';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { type ResolvedSourceOptions, resolveSourceOptions, type SourceOptions } from './config-settings.js';
import { type ConfigSource, configSource, defaultClient, describe, type Snapshot } from './config-source.js';
import { splitLayers } from './config-tree.js';
import { deepFreeze } from './deep-freeze.js';
import { schemaKeys } from './schema-keys.js';
import { validateConfig } from './validate-config.js';

/** What a config loader needs: the source options and the schema. */
/**
 * A configuration schema: a zod schema of an object (a `z.object`, refined or transformed, or a
 * union of objects): its top-level keys are the configuration's keys, read from SSM.
 */
export type ConfigSchema = z.ZodType<unknown, Record<string, unknown>>;

export interface ConfigLoaderOptions<S extends ConfigSchema> extends SourceOptions {
  /** The zod schema of the config; its top-level keys must be listable (a `z.object`, possibly refined or transformed). */
  schema: S;
}

/** Loads the config for an invoked ARN: synchronously when warm, as a promise on first load. */
export interface ConfigLoader<T> {
  get(arn: string, signal: () => AbortSignal | undefined): T | Promise<T>;
}

interface Target {
  readonly functionName: string;
  readonly region: string;
  /** The overrides segment: the alias, the version, or `latest` for `$LATEST` and unqualified ARNs. */
  readonly qualifier: string;
}

interface Resolved<T> {
  readonly generation: number;
  readonly value?: T;
  readonly error?: ConfigError;
  readonly lastGood?: T;
}

// Per-process memo of parsed ARNs: a warm invocation costs a map lookup, not a parse. Bounded,
// since `loadConfig` accepts any ARN a caller passes.
const targets = new Map<string, Target | ConfigError>();
const MAX_TARGETS = 256;
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

// Environment-only configs, per schema and environment (there is no SSM snapshot to key them on).
const envOnly = new WeakMap<object, WeakMap<object, Resolved<unknown>>>();

/**
 * Builds the loader behind `loadConfig` and `config()`: options are checked once, and the
 * result is memoized per SSM client, path, decryption, qualifier, schema and environment.
 */
export function createConfigLoader<S extends ConfigSchema>(options: ConfigLoaderOptions<S>): ConfigLoader<z.output<S>> {
  type T = z.output<S>;
  const { schema } = options;
  if (
    schema === null ||
    typeof schema !== 'object' ||
    typeof (schema as { safeParse?: unknown }).safeParse !== 'function'
  ) {
    throw new TypeError('config: options.schema must be a zod schema');
  }
  const keys = schemaKeys(schema);
  if (keys === undefined) {
    throw new TypeError(
      'config: options.schema must be a z.object (refinements, transforms and unions of objects are fine): its top-level keys tell base parameters from alias and version overrides',
    );
  }
  const resolved: ResolvedSourceOptions = resolveSourceOptions(options);
  const { settings } = resolved;
  const memoSuffix = `\0${idOf(schema)}\0${idOf(resolved.env)}`;

  if (resolved.kind === 'env') {
    return {
      get() {
        let bySchema = envOnly.get(schema);
        if (bySchema === undefined) {
          bySchema = new WeakMap();
          envOnly.set(schema, bySchema);
        }
        let entry = bySchema.get(resolved.env) as Resolved<T> | undefined;
        if (entry === undefined) {
          const result = validateConfig(schema, [resolved.env.overrides], { path: undefined, qualifier: undefined });
          entry = result.ok
            ? { generation: 0, value: deepFreeze(result.value) }
            : { generation: 0, error: result.error };
          bySchema.set(resolved.env, entry);
        }
        if (entry.error !== undefined) throw entry.error;
        return entry.value as T;
      },
    };
  }

  const remember = (source: ConfigSource, key: string, entry: Resolved<T>): void => {
    if (!source.memo.has(key) && source.memo.size >= MAX_MEMO_ENTRIES) {
      // Oldest first (a Map keeps insertion order): the entries of a long-gone schema go before current ones.
      source.memo.delete(source.memo.keys().next().value as string);
      if (!source.memoFullWarned) {
        source.memoFullWarned = true;
        settings.warn({
          code: 'CONFIG_MEMO_FULL',
          message: `More than ${MAX_MEMO_ENTRIES} configurations resolved from ${source.path}: the schema or env option is probably created on every call; create it once, at module scope, so each invocation does not validate again`,
          path: source.path,
        });
      }
    }
    source.memo.set(key, entry);
  };

  const resolve = (source: ConfigSource, snapshot: Snapshot, qualifier: string): T => {
    const key = `${qualifier}${memoSuffix}`;
    const memo = source.memo.get(key) as Resolved<T> | undefined;
    if (memo !== undefined && memo.generation === snapshot.generation) {
      if (memo.error === undefined) return memo.value as T;
      if (memo.lastGood !== undefined) return memo.lastGood;
      throw memo.error;
    }
    const layers = splitLayers(snapshot.parameters, source.path, qualifier, keys);
    if (layers.ignored.length > 0) {
      settings.warn({
        code: 'CONFIG_PARAMETER_IGNORED',
        message: `Ignored ${layers.ignored.length} parameter(s) under ${source.path} whose names cannot be config keys: ${layers.ignored.slice(0, 10).join(', ')}`,
        path: source.path,
      });
    }
    const result = validateConfig(schema, [layers.base, layers.override, resolved.env.overrides], {
      path: source.path,
      qualifier,
    });
    if (result.ok) {
      // A new frozen object: an invocation holding the previous one never sees it change.
      const value = deepFreeze(result.value);
      remember(source, key, { generation: snapshot.generation, value, lastGood: value });
      return value;
    }
    if (memo?.lastGood !== undefined) {
      settings.warn({
        code: 'CONFIG_INVALID_AFTER_REFRESH',
        message: `Refreshed configuration from ${source.path} is invalid; serving the last good configuration. ${result.error.message}`,
        path: source.path,
        error: result.error,
      });
      remember(source, key, { generation: snapshot.generation, error: result.error, lastGood: memo.lastGood });
      return memo.lastGood;
    }
    remember(source, key, { generation: snapshot.generation, error: result.error });
    throw result.error;
  };

  // Per invoked ARN, what the lookup below derives from it: warm invocations of one ARN skip the
  // ARN parse, the path string and the source lookup. Bounded like the parsed-ARN cache.
  const located = new Map<string, { source: ConfigSource; qualifier: string }>();

  return {
    get(arn, signal) {
      const known = located.get(arn);
      if (known !== undefined) {
        const snapshot = known.source.snapshot;
        if (snapshot !== undefined) {
          known.source.refreshIfStale(settings);
          return resolve(known.source, snapshot, known.qualifier);
        }
      }
      const target = targetOf(arn);
      if (keys.has(target.qualifier)) {
        const path = `${resolved.prefix}/${target.functionName}`;
        throw new ConfigError(
          'CONFIG_INVALID',
          `Qualifier "${target.qualifier}" has the same name as a top-level config key: under ${path} its overrides cannot be told from that key's values; rename the alias or the key`,
          {
            path,
            issues: [
              {
                key: target.qualifier,
                path: [target.qualifier],
                parameter: `${path}/${target.qualifier}`,
                source: 'override',
                message: 'top-level key has the same name as the invoked qualifier',
              },
            ],
          },
        );
      }
      const client = resolved.client ?? defaultClient(target.region);
      const source = configSource(client, `${resolved.prefix}/${target.functionName}`, resolved.decrypt);
      if (located.size >= MAX_TARGETS) located.clear();
      located.set(arn, { source, qualifier: target.qualifier });
      const snapshot = source.snapshot;
      if (snapshot !== undefined) {
        source.refreshIfStale(settings);
        return resolve(source, snapshot, target.qualifier);
      }
      return source
        .get(settings, signal())
        .then((loaded) => resolve(source, source.snapshot ?? loaded, target.qualifier));
    },
  };
}

function targetOf(arn: string): Target {
  let target = targets.get(arn);
  if (target === undefined) {
    try {
      const parsed = parseArn(arn);
      target = Object.freeze({
        functionName: parsed.functionName,
        region: parsed.region,
        // Lambda runs $LATEST for an unqualified invocation, so both read the `latest` overrides.
        qualifier: parsed.qualifier === undefined || parsed.qualifierKind === 'latest' ? 'latest' : parsed.qualifier,
      });
    } catch (error) {
      target = new ConfigError(
        'CONFIG_LOAD_FAILED',
        `Cannot locate configuration: the invoked function ARN is not usable (${describe(error)}). Outside Lambda, set LAMBDAKIT_CONFIG_SOURCE=env to configure from environment variables alone`,
        { cause: error },
      );
    }
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(arn, target);
  }
  if (target instanceof ConfigError) throw target;
  return target;
}
