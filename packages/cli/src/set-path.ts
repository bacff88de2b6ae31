import { CliError } from './cli-error.js';

// Keys that would reach Object.prototype instead of the event: never followed or written.
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** Splits `Records.0.body` or `Records[0].body` into its keys; throws on an empty key. */
export function parsePath(path: string): string[] {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (path === '' || keys.some((key) => key === '')) {
    throw new CliError('CLI_USAGE', `--set ${path}: expected a dotted path such as Records.0.body or detail.id`);
  }
  for (const key of keys)
    if (FORBIDDEN.has(key)) throw new CliError('CLI_USAGE', `--set ${path}: "${key}" cannot be set`);
  return keys;
}

/**
 * Sets one field of `target` from a `path=value` assignment, in place: intermediate objects
 * (or arrays, before a numeric key) are created; an array index may append but not leave a
 * hole. The value is parsed as JSON when it is valid JSON, else taken as a string, except
 * that a field already holding a string stays a string (an SQS `body` is JSON text).
 */
export function setPath(target: Record<string, unknown>, assignment: string): void {
  const equals = assignment.indexOf('=');
  if (equals <= 0) throw new CliError('CLI_USAGE', `--set ${assignment}: expected path=value`);
  const path = assignment.slice(0, equals);
  const raw = assignment.slice(equals + 1);
  const keys = parsePath(path);
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const last = i === keys.length - 1;
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(key))
        throw new CliError(
          'CLI_USAGE',
          `--set ${path}: "${keys.slice(0, i).join('.')}" is an array; "${key}" is not an index`,
        );
      const index = Number(key);
      if (index > node.length) {
        throw new CliError(
          'CLI_USAGE',
          `--set ${path}: index ${index} is past the end of "${keys.slice(0, i).join('.')}" (${node.length} items; --records makes more)`,
        );
      }
    }
    const container = node as Record<string, unknown>;
    const current = Object.hasOwn(container, key) ? container[key] : undefined;
    if (last) {
      container[key] = valueFor(raw, current);
      return;
    }
    if (current === null || typeof current !== 'object') {
      container[key] = /^\d+$/.test(keys[i + 1]!) ? [] : {};
    }
    node = container[key] as Record<string, unknown> | unknown[];
  }
}

function valueFor(raw: string, current: unknown): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return raw;
  }
  return typeof current === 'string' && typeof parsed !== 'string' ? raw : parsed;
}
