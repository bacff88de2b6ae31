import type { z } from 'zod';
import { type Def, MAX_UNWRAP, unwrap } from './schema-keys.js';

/**
 * Every parameter key path the schema names (`[['db', 'host'], ['db', 'password'], ['currency']]`):
 * nested `z.object`s are walked, anything else is a leaf. `undefined` when the schema cannot list
 * them all (a record, a loose or catchall object, a union mixing objects and values), as a read
 * parameter by parameter needs.
 */
export function schemaLeafPaths(schema: z.ZodType): readonly (readonly string[])[] | undefined {
  if (leafMemo.has(schema)) return leafMemo.get(schema);
  const leaves = leavesOf(schema, [], 0);
  const unique = leaves === undefined ? undefined : [...new Map(leaves.map((path) => [path.join('/'), path])).values()];
  leafMemo.set(schema, unique);
  return unique;
}

const leafMemo = new WeakMap<object, readonly (readonly string[])[] | undefined>();

/** What a schema is to the config tree: a subtree of named keys, a leaf value, or neither for certain. */
function kindOf(def: Def | undefined, depth: number): 'object' | 'leaf' | 'unknown' {
  if (def === undefined || depth > MAX_UNWRAP) return 'unknown';
  if (def.type === 'object') return 'object';
  if (def.type === 'record' || def.type === 'map') return 'unknown';
  const parts =
    def.type === 'union' ? (def.options as unknown[]) : def.type === 'intersection' ? [def.left, def.right] : [];
  if (parts.length === 0) return 'leaf';
  const kinds = new Set(parts.map((part) => kindOf(unwrap(part), depth + 1)));
  return kinds.size === 1 ? [...kinds][0]! : 'unknown';
}

function leavesOf(schema: unknown, prefix: readonly string[], depth: number): string[][] | undefined {
  const def = unwrap(schema);
  if (kindOf(def, depth) !== 'object' || def === undefined) return undefined;
  if (def.type !== 'object') {
    const parts = def.type === 'union' ? (def.options as unknown[]) : [def.left, def.right];
    const leaves: string[][] = [];
    for (const part of parts) {
      const found = leavesOf(part, prefix, depth + 1);
      if (found === undefined) return undefined;
      leaves.push(...found);
    }
    return leaves;
  }
  // A loose or catchall object takes keys the shape does not name: they cannot be asked for by name.
  const catchall = unwrap(def.catchall);
  if (catchall !== undefined && catchall.type !== 'never') return undefined;
  const leaves: string[][] = [];
  for (const [key, child] of Object.entries(def.shape as Record<string, unknown>)) {
    const kind = kindOf(unwrap(child), depth + 1);
    if (kind === 'unknown') return undefined;
    if (kind === 'leaf') {
      leaves.push([...prefix, key]);
      continue;
    }
    const nested = leavesOf(child, [...prefix, key], depth + 1);
    if (nested === undefined) return undefined;
    leaves.push(...nested);
  }
  return leaves;
}
