import type { ConfigStoreName } from './config-error.js';

/** Where a value in the config tree came from. */
export type EntrySource = 'base' | 'override' | 'env';

/**
 * A leaf of the config tree: SSM and environment values are strings (a StringList an array of
 * them); a secret's JSON object may also hold numbers, booleans, null and arrays.
 */
export type ConfigValue = string | number | boolean | null | readonly unknown[];

/** One value destined for the config tree, with the parameter or variable it came from. */
export interface ConfigEntry {
  readonly path: readonly string[];
  readonly value: ConfigValue;
  /** The SSM parameter name, the secret's name and key (`/lambdakit/orders#db.password`) or the environment variable. */
  readonly origin: string;
  readonly source: EntrySource;
  /** The value came from a secret (Secrets Manager, a KMS-encrypted variable): it is never printed. */
  readonly secret?: boolean | undefined;
  /** The store it was read from (absent: SSM for a parameter, the environment for an override). */
  readonly store?: ConfigStoreName | undefined;
}

/** A parameter as read from `GetParametersByPath`, or a leaf of a secret's JSON object named like one. */
export interface RawParameter {
  readonly name: string;
  readonly type: string | undefined;
  readonly value: ConfigValue;
  /** Set on a leaf of a secret: see {@link ConfigEntry.secret}. */
  readonly secret?: boolean | undefined;
  /** Where the value is named in messages when not by `name`: a secret's name and key (`/lambdakit/orders#db.host`). */
  readonly origin?: string | undefined;
}

/** The parameters of one function's tree, sorted into the layers that apply to one qualifier. */
export interface Layers {
  readonly base: ConfigEntry[];
  readonly override: ConfigEntry[];
  /** Parameter names that can never become keys (characters outside SSM's set, `__proto__`). */
  readonly ignored: string[];
}

/** The config object built from layered entries, and where each leaf came from. */
export interface ConfigTree {
  readonly tree: Record<string, unknown>;
  /** Leaf origins by key path joined with `/`. */
  readonly origins: ReadonlyMap<string, ConfigEntry>;
  /** Pairs within one layer where a name is both a value and the parent of another value. */
  readonly conflicts: readonly (readonly [ConfigEntry, ConfigEntry])[];
}

// SSM parameter names use letters, digits and `_ . -` between slashes. `__proto__` is refused so a
// hostile parameter name can never reach an object's prototype, even through a loose schema.
const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** True when `segment` can be a config key: SSM's name characters, and not `__proto__`. */
export function isKeySegment(segment: string): boolean {
  return SEGMENT.test(segment) && segment !== '__proto__';
}

/**
 * The key path of a parameter under `basePath` (`/lambdakit/orders` + `/db/host` → `['db', 'host']`),
 * or `undefined` when the name is not below it or has a segment that cannot be a key.
 */
export function parameterPath(name: string, basePath: string): string[] | undefined {
  if (!name.startsWith(`${basePath}/`)) return undefined;
  const segments = name.slice(basePath.length + 1).split('/');
  return segments.every(isKeySegment) ? segments : undefined;
}

/**
 * Sorts a function's parameters into layers. A parameter whose first segment is a top-level key
 * of the schema belongs to the base; one under `{qualifier}/` is an override for this qualifier;
 * anything else (another alias's or version's overrides, keys the schema does not know) is skipped,
 * so overrides never leak between qualifiers or into the base.
 */
export function splitLayers(
  parameters: readonly RawParameter[],
  basePath: string,
  qualifier: string | undefined,
  baseKeys: ReadonlySet<string>,
): Layers {
  const layers: Layers = { base: [], override: [], ignored: [] };
  for (const parameter of parameters) {
    const path = parameterPath(parameter.name, basePath);
    if (path === undefined) {
      layers.ignored.push(parameter.name);
      continue;
    }
    // SSM: a StringList is stored as one comma-separated string.
    const value =
      parameter.type === 'StringList' && typeof parameter.value === 'string'
        ? parameter.value.split(',')
        : parameter.value;
    const [first] = path;
    const secret = parameter.secret === true ? { secret: true, store: storeOf(parameter.type) } : {};
    if (baseKeys.has(first as string)) {
      layers.base.push({ path, value, origin: parameter.origin ?? parameter.name, source: 'base', ...secret });
    } else if (first === qualifier && path.length > 1) {
      const origin = parameter.origin ?? parameter.name;
      layers.override.push({ path: path.slice(1), value, origin, source: 'override', ...secret });
    }
  }
  return layers;
}

/** The store a secret leaf came from, by the type its fetcher gave it. */
function storeOf(type: string | undefined): ConfigStoreName {
  return type === 'KmsEncryptedVariable' ? 'kms' : 'secrets';
}

interface Node {
  entry?: ConfigEntry | undefined;
  children?: Map<string, Node> | undefined;
}

/**
 * Builds the nested config object: `db/host` becomes `{ db: { host } }`. Each later layer wins at
 * the paths it sets, replacing a value or a whole subtree there; within one layer a name that is
 * both a value and a parent (`db` and `db/host`) is reported as a conflict.
 */
export function buildTree(layers: readonly (readonly ConfigEntry[])[]): ConfigTree {
  const root: Node = {};
  const conflicts: (readonly [ConfigEntry, ConfigEntry])[] = [];
  for (const layer of layers) {
    // With NUL (below every key character) as separator, a parent sorts right before its children.
    const sorted = [...layer].sort((a, b) => compare(a.path.join('\0'), b.path.join('\0')));
    for (let i = 0; i + 1 < sorted.length; i++) {
      const a = sorted[i] as ConfigEntry;
      const b = sorted[i + 1] as ConfigEntry;
      const ak = a.path.join('\0');
      const bk = b.path.join('\0');
      if (bk === ak || bk.startsWith(`${ak}\0`)) conflicts.push([a, b]);
    }
    for (const entry of sorted) {
      let node = root;
      for (const segment of entry.path) {
        node.entry = undefined; // a later layer's branch replaces an earlier layer's value here
        node.children ??= new Map();
        let child = node.children.get(segment);
        if (child === undefined) {
          child = {};
          node.children.set(segment, child);
        }
        node = child;
      }
      node.entry = entry;
      node.children = undefined; // and a later layer's value replaces an earlier subtree
    }
  }
  const origins = new Map<string, ConfigEntry>();
  const tree = toObject(root, origins) as Record<string, unknown>;
  return { tree, origins, conflicts };
}

function toObject(node: Node, origins: Map<string, ConfigEntry>): unknown {
  if (node.entry !== undefined) {
    origins.set(node.entry.path.join('/'), node.entry);
    const { value } = node.entry;
    return Array.isArray(value) ? [...value] : value;
  }
  // Null prototype: keys such as `constructor` or `toString` are plain data here.
  const object: Record<string, unknown> = Object.create(null);
  for (const [key, child] of node.children ?? []) object[key] = toObject(child, origins);
  return object;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
