import { type ConfigEntry, isKeySegment } from './config-tree.js';

/** Environment variables starting with this override config keys: `LAMBDAKIT_CONFIG__db__host` sets `db.host`. */
export const CONFIG_ENV_PREFIX = 'LAMBDAKIT_CONFIG__';

/** `LAMBDAKIT_CONFIG_SOURCE=env` skips SSM entirely: the config comes from environment variables alone. */
export const CONFIG_SOURCE_ENV = 'LAMBDAKIT_CONFIG_SOURCE';

/** Where configuration comes from: SSM with environment overrides on top, or the environment alone. */
export type ConfigSourceKind = 'ssm' | 'env';

/** What an environment says about configuration, read once per environment object. */
export interface EnvSettings {
  /** The source `LAMBDAKIT_CONFIG_SOURCE` asks for, if set. */
  readonly source: ConfigSourceKind | undefined;
  /** One entry per `LAMBDAKIT_CONFIG__…` variable (values are strings; arrays are split later). */
  readonly overrides: readonly ConfigEntry[];
  /** Variables with the prefix whose key path is unusable (empty or invalid segments). */
  readonly ignored: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

// process.env is read once per environment object: reading it is slow, and Lambda fixes the
// environment before init, so a warm invocation never scans it again.
const cache = new WeakMap<Env, EnvSettings>();

/** The env-variable name that sets a key path: `['db', 'host']` → `LAMBDAKIT_CONFIG__db__host`. */
export function envVariableName(path: readonly (string | number)[]): string {
  return `${CONFIG_ENV_PREFIX}${path.join('__')}`;
}

/** The key path an env-variable name sets, or `undefined` if it is not a valid override name. */
export function envKeyPath(name: string): string[] | undefined {
  if (!name.startsWith(CONFIG_ENV_PREFIX)) return undefined;
  const segments = name.slice(CONFIG_ENV_PREFIX.length).split('__');
  return segments.every(isKeySegment) ? segments : undefined;
}

/** Reads the overrides and source switch from an environment (memoized per environment object). */
export function envSettings(env: Env): EnvSettings {
  let settings = cache.get(env);
  if (settings !== undefined) return settings;
  const overrides: ConfigEntry[] = [];
  const ignored: string[] = [];
  for (const name of Object.keys(env)) {
    if (!name.startsWith(CONFIG_ENV_PREFIX)) continue;
    const value = env[name];
    const path = envKeyPath(name);
    if (path === undefined || value === undefined) ignored.push(name);
    else overrides.push({ path, value, origin: name, source: 'env' });
  }
  const raw = env[CONFIG_SOURCE_ENV];
  if (raw !== undefined && raw !== '' && raw !== 'ssm' && raw !== 'env') {
    throw new TypeError(`${CONFIG_SOURCE_ENV} must be "ssm" or "env", got ${JSON.stringify(raw.slice(0, 50))}`);
  }
  settings = Object.freeze({
    source: raw === 'ssm' || raw === 'env' ? raw : undefined,
    overrides: Object.freeze(overrides),
    ignored: Object.freeze(ignored),
  });
  cache.set(env, settings);
  return settings;
}
