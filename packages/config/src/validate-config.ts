import type { z } from 'zod';
import { ConfigError, type ConfigIssue, type ConfigStoreName } from './config-error.js';
import { buildTree, type ConfigEntry } from './config-tree.js';
import { envVariableName } from './env-overrides.js';
import type { ConfigSchema } from './load-config.js';
import { markSecrets } from './mark-secrets.js';
import { expectsArrayAt } from './schema-keys.js';

/** Where the config was looked up, for messages and for naming where a missing key belongs. */
export interface ConfigLocation {
  /** `{prefix}/{functionName}`, or `undefined` for environment-only config. */
  readonly path: string | undefined;
  /** The qualifier segment (`prod`, `7`, `latest`). */
  readonly qualifier: string | undefined;
  /** What was read, for the message (`SSM path /lambdakit/orders`, `the environment`). */
  readonly describe: string;
  /** SSM was read: a missing key may be set as a parameter. */
  readonly ssm: boolean;
  /** Secrets Manager was read: a missing key may be set in a secret. */
  readonly secrets: boolean;
}

/** The outcome of {@link validateConfig}. */
export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ConfigError };

/**
 * Layers the entries (base, then qualifier overrides, then environment), parses the result with
 * the schema and deeply freezes it; on failure builds a ConfigError naming every bad key and its parameter.
 */
export function validateConfig<S extends ConfigSchema>(
  schema: S,
  layers: readonly (readonly ConfigEntry[])[],
  where: ConfigLocation,
): Validation<z.output<S>> {
  // Environment values are plain strings; where the schema wants a list, split it as SSM splits a StringList.
  const typed = layers.map((layer) =>
    layer.map((entry) =>
      entry.source === 'env' && typeof entry.value === 'string' && expectsArrayAt(schema, entry.path)
        ? { ...entry, value: entry.value.split(',') }
        : entry,
    ),
  );
  const { tree, origins, conflicts } = buildTree(typed);
  const issues: ConfigIssue[] = conflicts.map(([parent, child]) =>
    issueFrom(parent, [...parent.path], `is both a value and the parent of ${child.origin}; keep one`),
  );
  const parsed = schema.safeParse(tree);
  if (parsed.success && issues.length === 0) {
    markSecrets(parsed.data, origins);
    return { ok: true, value: deepFreeze(parsed.data) };
  }
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    const origin = originOf(origins, path);
    // Only zod's message goes out, never `issue.input`: the value may be a decrypted secret.
    issues.push(
      origin !== undefined
        ? issueFrom(origin, path, issue.message)
        : {
            key: path.join('.'),
            path,
            parameter: path.length === 0 ? undefined : expectedName(path, where),
            source: path.length === 0 ? undefined : 'missing',
            message: issue.message,
          },
    );
  }
  const target = where.describe;
  const lines = issues.map((i) => {
    const hint =
      i.source === 'missing' ? missingHint(i.path, where) : i.parameter === undefined ? '' : ` (${i.parameter})`;
    return `- ${i.key === '' ? '(config)' : i.key}${hint}: ${i.message}`;
  });
  return {
    ok: false,
    error: new ConfigError(
      'CONFIG_INVALID',
      `Invalid configuration from ${target}${where.qualifier === undefined ? '' : ` for qualifier "${where.qualifier}"`}, ${issues.length} issue(s):\n${lines.join('\n')}`,
      { issues, path: where.path },
    ),
  };
}

/** An issue about a value that was set: where it came from, never the value. */
function issueFrom(entry: ConfigEntry, path: (string | number)[], message: string): ConfigIssue {
  return { key: path.join('.'), path, parameter: entry.origin, source: entry.source, store: storeOf(entry), message };
}

/** The store an entry came from: what its fetcher said, else SSM for a parameter and the environment for an override. */
function storeOf(entry: ConfigEntry): ConfigStoreName {
  return entry.store ?? (entry.source === 'env' ? 'env' : 'ssm');
}

/** The deepest key on the issue's path that has a known origin (an array element reports its list). */
function originOf(
  origins: ReadonlyMap<string, ConfigEntry>,
  path: readonly (string | number)[],
): ConfigEntry | undefined {
  for (let n = path.length; n > 0; n--) {
    const found = origins.get(path.slice(0, n).join('/'));
    if (found !== undefined) return found;
  }
  return undefined;
}

function expectedName(path: readonly (string | number)[], where: ConfigLocation): string {
  if (where.path === undefined) return envVariableName(path);
  return where.ssm ? `${where.path}/${path.join('/')}` : `${where.path}#${path.join('.')}`;
}

function missingHint(path: readonly (string | number)[], where: ConfigLocation): string {
  const names: string[] = [];
  if (where.path !== undefined) {
    const key = path.join('/');
    if (where.ssm) names.push(`${where.path}/${key}`);
    if (where.ssm && where.qualifier !== undefined) names.push(`${where.path}/${where.qualifier}/${key}`);
    if (where.secrets) {
      const qualified = where.qualifier === undefined ? '' : ` (or ${where.path}/${where.qualifier})`;
      names.push(`key ${path.join('.')} of secret ${where.path}${qualified}`);
    }
  }
  names.push(envVariableName(path));
  return ` (missing: set ${names.join(' or ')})`;
}

/**
 * Freezes plain objects and arrays, recursively, so a config handed to an invocation can never
 * change under it. Class instances a transform may return (Date, URL, Map) are left as they are.
 */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
