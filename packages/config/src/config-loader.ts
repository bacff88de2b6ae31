import { parseArn } from '@lambdakit/core';
import type { z } from 'zod';
import { ConfigError, describeError } from './config-error.js';
import type { ConfigSource } from './config-source.js';
import { namesFrom } from './config-store.js';
import type { ConfigInvocation, ConfigSchema, LoadConfigOptions } from './load-config.js';
import { type ConfigRecipe, configRecipe, resolveConfig, resolveEnvConfig } from './resolve-config.js';
import { type ConfigDoor, type ResolvedOptions, resolveOptions } from './resolve-options.js';
import { schemaKeys } from './schema-keys.js';

/** Loads the config for an invocation: synchronously when warm, as a promise on first load. */
export interface ConfigLoader<T> {
  get(ctx: ConfigInvocation): T | Promise<T>;
  /** Reads the stores that can change (SSM, Secrets Manager) again now, then resolves the config. */
  reload(ctx: ConfigInvocation): Promise<T>;
}

/** Where an invoked ARN's configuration lives. */
interface Target {
  readonly functionName: string;
  readonly region: string;
  /** The overrides segment: the alias, the version, or `latest` for `$LATEST` and unqualified ARNs. */
  readonly qualifier: string;
}

// Per-process memo of parsed ARNs: a warm invocation costs a map lookup, not a parse. Bounded,
// since `loadConfig` accepts any ARN a caller passes.
const targets = new Map<string, Target | ConfigError>();
const MAX_TARGETS = 256;

/**
 * Builds the loader behind `loadConfig` and `config()`: options are checked once, when the door is
 * called, and the result is memoized per SSM client, path, decryption, qualifier, schema and environment.
 */
export function createConfigLoader<S extends ConfigSchema>(
  door: ConfigDoor,
  options: LoadConfigOptions<S>,
): ConfigLoader<z.output<S>> {
  const { schema } = options;
  if (
    schema === null ||
    typeof schema !== 'object' ||
    typeof (schema as { safeParse?: unknown }).safeParse !== 'function'
  ) {
    throw new TypeError(`${door}({ schema }): expected a zod schema`);
  }
  const keys = schemaKeys(schema);
  if (keys === undefined) {
    throw new TypeError(
      `${door}({ schema }): expected a z.object (refinements, transforms and unions of objects are fine): its top-level keys tell base parameters from alias and version overrides`,
    );
  }
  const resolved = resolveOptions(door, options);
  for (const store of resolved.sources) {
    for (const path of store.keyPaths) {
      if (!keys.has(path[0] as string)) {
        throw new TypeError(
          `${door}({ sources }): ${store.store} sets "${path.join('.')}", which is not under a top-level key of the schema (${[...keys].join(', ')})`,
        );
      }
    }
  }
  const leafPaths = namesFrom(resolved.sources, schema, door);
  const recipe = configRecipe(schema, keys, resolved.env);
  if (resolved.kind === 'env') {
    // No AWS call in this mode: an encrypted variable is read as it is (plaintext, for local runs).
    const plain = resolved.sources.flatMap((store) => store.plain(resolved.rawEnv));
    const get = () => resolveEnvConfig(recipe, plain);
    return { get, reload: async () => get() };
  }
  return storeLoader(recipe, resolved, leafPaths);
}

function storeLoader<S extends ConfigSchema>(
  recipe: ConfigRecipe<S>,
  resolved: ResolvedOptions,
  leafPaths: readonly (readonly string[])[] | undefined,
): ConfigLoader<z.output<S>> {
  const { settings } = resolved;
  // Per invoked ARN, what `locate` derives from it: warm invocations of one ARN skip the ARN parse,
  // the path string and the source lookup. Bounded like the parsed-ARN cache.
  const located = new Map<string, { sources: readonly ConfigSource[]; qualifier: string }>();
  const locate = (arn: string) => {
    const target = targetOf(arn);
    const path = `${resolved.prefix}/${target.functionName}`;
    if (recipe.keys.has(target.qualifier)) throw qualifierClash(target.qualifier, path);
    const where = {
      region: target.region,
      functionName: target.functionName,
      path,
      qualifier: target.qualifier,
      env: resolved.rawEnv,
      ssmDefaults: { client: resolved.client, decrypt: resolved.decrypt },
      leafPaths,
    };
    // In `sources` order: a later store wins where two set a key at the same level.
    const sources = resolved.sources.flatMap((store) => store.source(where) ?? []);
    if (located.size >= MAX_TARGETS) located.clear();
    const found = { sources, qualifier: target.qualifier };
    located.set(arn, found);
    return found;
  };
  return {
    get(ctx) {
      const { sources, qualifier } = located.get(ctx.invokedFunctionArn) ?? locate(ctx.invokedFunctionArn);
      // Nothing to read (only encrypted variables, none of them set): the environment alone.
      if (sources.length === 0) return resolveEnvConfig(recipe);
      if (sources.every((source) => source.snapshot !== undefined)) {
        for (const source of sources) source.refreshIfStale(settings);
        return resolveConfig(recipe, sources, qualifier);
      }
      // Only a load to wait for reads ctx.signal: lambdakit creates it (a timer) on first read.
      const { signal } = ctx;
      return Promise.all(sources.map((source) => source.get(settings, signal))).then(() =>
        resolveConfig(recipe, sources, qualifier),
      );
    },
    async reload(ctx) {
      const { sources, qualifier } = located.get(ctx.invokedFunctionArn) ?? locate(ctx.invokedFunctionArn);
      if (sources.length === 0) return resolveEnvConfig(recipe);
      await Promise.all(sources.map((source) => source.reload(settings, ctx.signal)));
      return resolveConfig(recipe, sources, qualifier);
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
        `Cannot locate configuration: the invoked function ARN is not usable (${describeError(error)}). Outside Lambda, set LAMBDAKIT_CONFIG_SOURCE=env to configure from environment variables alone`,
        { cause: error },
      );
    }
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(arn, target);
  }
  if (target instanceof ConfigError) throw target;
  return target;
}

function qualifierClash(qualifier: string, path: string): ConfigError {
  return new ConfigError(
    'CONFIG_INVALID',
    `Qualifier "${qualifier}" has the same name as a top-level config key: under ${path} its overrides cannot be told from that key's values; rename the alias or the key`,
    {
      path,
      issues: [
        {
          key: qualifier,
          path: [qualifier],
          parameter: `${path}/${qualifier}`,
          source: 'override',
          message: 'top-level key has the same name as the invoked qualifier',
        },
      ],
    },
  );
}
