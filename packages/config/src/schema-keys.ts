import type { z } from 'zod';

/** A zod schema's definition, as read here. */
export interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}

// Wrappers whose inner schema describes the same input shape.
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);
/** How deep a schema is walked (wrappers, nesting) before it is taken as unlistable. */
export const MAX_UNWRAP = 64;

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** Peels wrappers, pipes (`.transform`, `z.preprocess`) and lazies off a schema, down to what parses the input. */
export function unwrap(schema: unknown): Def | undefined {
  let def = defOf(schema);
  for (let i = 0; def !== undefined && i < MAX_UNWRAP; i++) {
    if (WRAPPERS.has(def.type)) def = defOf(def.innerType);
    else if (def.type === 'pipe') {
      // z.preprocess(fn, schema) is a pipe whose input side is the transform: the shape is on the output side.
      const input = defOf(def.in);
      def = input?.type === 'transform' ? defOf(def.out) : input;
    } else if (def.type === 'lazy') def = defOf((def.getter as () => unknown)());
    else return def;
  }
  return def;
}

/**
 * The top-level keys of a config schema (a `z.object`, possibly refined, transformed, wrapped or a
 * union/intersection of objects), or `undefined` when they cannot be listed (records, primitives).
 */
export function schemaKeys(schema: z.ZodType): ReadonlySet<string> | undefined {
  if (memo.has(schema)) return memo.get(schema);
  const keys = keysOf(schema, 0);
  memo.set(schema, keys);
  return keys;
}

// Schemas are module-scope constants: walk each once, not on every loadConfig call.
const memo = new WeakMap<object, ReadonlySet<string> | undefined>();

function keysOf(schema: unknown, depth: number): Set<string> | undefined {
  const def = unwrap(schema);
  if (def === undefined || depth > MAX_UNWRAP) return undefined;
  if (def.type === 'object') return new Set(Object.keys(def.shape as object));
  const parts =
    def.type === 'union' ? (def.options as unknown[]) : def.type === 'intersection' ? [def.left, def.right] : [];
  if (parts.length === 0) return undefined;
  const keys = new Set<string>();
  for (const part of parts) {
    const found = keysOf(part, depth + 1);
    if (found === undefined) return undefined;
    for (const key of found) keys.add(key);
  }
  return keys;
}

/** True when the schema at `path` (walking object shapes) accepts an array, so a string is split on commas. */
export function expectsArrayAt(schema: z.ZodType, path: readonly string[]): boolean {
  let def = unwrap(schema);
  for (const segment of path) {
    if (def?.type !== 'object') return false;
    const shape = def.shape as Record<string, unknown>;
    def = Object.hasOwn(shape, segment) ? unwrap(shape[segment]) : undefined;
  }
  return def?.type === 'array';
}
