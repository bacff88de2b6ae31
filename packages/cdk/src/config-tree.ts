/** A value of the config tree: a parameter (a `String`, or a `StringList` for an array) or a branch. */
export type ConfigValue = string | number | boolean | readonly string[] | ConfigTree;

/** The function's settings as SSM holds them under its path: keys nest as parameter names do (`db/host`). */
export interface ConfigTree {
  readonly [key: string]: ConfigValue;
}

/** One SSM parameter of a tree: its name below the function's path, and its value. */
export interface ConfigLeaf {
  name: string;
  value: string | readonly string[];
}

const SEGMENT = /^[A-Za-z0-9_.-]+$/;

/**
 * The parameters of a tree, in key order, checked as SSM and `@lambdakit/config` would check them:
 * each name segment is letters, digits, `_`, `.` or `-`; a value is not empty; a `StringList` item
 * holds no comma (SSM splits on it). `where` names the tree in messages.
 */
export function flattenTree(tree: ConfigTree, where: string, path: readonly string[] = []): ConfigLeaf[] {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
    throw new TypeError(`${where}: expected an object of settings, got ${describe(tree)}`);
  }
  return Object.entries(tree).flatMap(([key, value]) => {
    const at = [...path, key];
    const name = at.join('/');
    if (!SEGMENT.test(key)) {
      throw new TypeError(`${where}: "${name}" is not a parameter name (letters, digits, "_", "." and "-" only)`);
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      const text = String(value);
      if (text === '') throw new TypeError(`${where}: "${name}" is empty, which SSM does not store`);
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new TypeError(`${where}: "${name}" is ${text}, not a finite number`);
      }
      return [{ name, value: text }];
    }
    if (Array.isArray(value)) return [{ name, value: listOf(value, `${where}: "${name}"`) }];
    if (typeof value === 'object' && value !== null) return flattenTree(value as ConfigTree, where, at);
    throw new TypeError(
      `${where}: "${name}" is ${describe(value)}; expected text, a number, a boolean, a list of text or an object`,
    );
  });
}

function listOf(items: readonly unknown[], where: string): string[] {
  if (items.length === 0) throw new TypeError(`${where} is an empty list, which SSM does not store`);
  return items.map((item, index) => {
    if (typeof item !== 'string' || item === '' || item.includes(',')) {
      throw new TypeError(
        `${where}[${index}]: a StringList item is non-empty text without commas, got ${describe(item)}`,
      );
    }
    return item;
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}
