/**
 * Field names redacted by default, at any depth and in any case: credentials in HTTP headers
 * (`Authorization`, `Cookie`, `Set-Cookie`, `X-Api-Key`, …) and fields named like a password,
 * secret, token, API key, private key or credential.
 */
export const DEFAULT_REDACT_KEYS: RegExp =
  /^(?:proxy-)?authorization$|^(?:set-)?cookie$|passw(?:or)?d|secret|token|api[-_]?key|private[-_]?key|credential|session[-_]?id/i;

/** How {@link sanitize} treats keys and depth. */
export interface SanitizeOptions {
  /** Keys whose values are replaced by `censor`; undefined redacts nothing by name. */
  readonly keys: RegExp | undefined;
  readonly censor: string;
}

/** Objects nested deeper than this are written as a marker, so a deep structure cannot hide a secret from redaction. */
const MAX_DEPTH = 12;

/** Properties of AWS SDK v3 errors that are not worth a log line (`$response` is the raw HTTP response). */
const SKIPPED_ERROR_KEYS = new Set(['name', 'message', 'stack', 'cause', '$response']);

/**
 * Makes a value safe to serialize: redacts keys matching `options.keys`, turns Errors anywhere into
 * plain objects (name, message, stack, own fields such as AWS SDK `$metadata`, the `cause` chain),
 * BigInt and Symbols into strings, Map and Set into object and array, cycles into `"[Circular]"`.
 * Copy on write: a value needing no change is returned as is (the common case costs one walk).
 * Throws only if a property read keeps throwing; callers guard.
 */
export function sanitize(value: unknown, options: SanitizeOptions): unknown {
  return clean(value, options, 0, []);
}

function clean(value: unknown, options: SanitizeOptions, depth: number, ancestors: object[]): unknown {
  switch (typeof value) {
    case 'object':
      break;
    case 'bigint':
      // A string keeps every digit; a JSON number past 2^53 loses them in most parsers.
      return value.toString();
    case 'symbol':
      return value.toString();
    default:
      return value;
  }
  if (value === null) return value;
  if (ancestors.includes(value)) return '[Circular]';
  if (value instanceof Error) return cleanError(value, options, depth, ancestors);
  if (ArrayBuffer.isView(value) || value instanceof Date) return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (value instanceof Map) return clean(mapToObject(value), options, depth, ancestors);
  if (value instanceof Set) return clean([...value], options, depth, ancestors);
  // An object that says how to serialize itself is left to JSON.stringify.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  ancestors.push(value);
  try {
    return Array.isArray(value)
      ? cleanArray(value, options, depth, ancestors)
      : cleanObject(value, options, depth, ancestors);
  } finally {
    ancestors.pop();
  }
}

function cleanArray(value: unknown[], options: SanitizeOptions, depth: number, ancestors: object[]): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    const cleaned = clean(item, options, depth + 1, ancestors);
    if (cleaned !== item) {
      copy ??= value.slice();
      copy[i] = cleaned;
    }
  }
  return copy ?? value;
}

function cleanObject(value: object, options: SanitizeOptions, depth: number, ancestors: object[]): object {
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    let item: unknown;
    let cleaned: unknown;
    try {
      item = record[key];
      cleaned = options.keys?.test(key) ? options.censor : clean(item, options, depth + 1, ancestors);
    } catch (error) {
      cleaned = `[Unreadable: ${describe(error)}]`;
    }
    if (cleaned !== item && copy === undefined) {
      // A null-prototype copy: a key named "__proto__" stays a plain field.
      copy = Object.create(null) as Record<string, unknown>;
      for (let j = 0; j < i; j++) copy[keys[j]!] = record[keys[j]!];
    }
    if (copy !== undefined) copy[key] = cleaned;
  }
  return copy ?? value;
}

function cleanError(error: Error, options: SanitizeOptions, depth: number, ancestors: object[]): unknown {
  const out = Object.create(null) as Record<string, unknown>;
  ancestors.push(error);
  try {
    out.name = readSafely(error, 'name');
    out.message = readSafely(error, 'message');
    out.stack = readSafely(error, 'stack');
    // Own fields: `code`, `statusCode`, and on AWS SDK v3 errors `$metadata` (httpStatusCode,
    // requestId, attempts), `$fault`, `$retryable`.
    for (const key of Object.keys(error)) {
      if (SKIPPED_ERROR_KEYS.has(key)) continue;
      out[key] = options.keys?.test(key)
        ? options.censor
        : clean(readSafely(error, key), options, depth + 1, ancestors);
    }
    if (error instanceof AggregateError && !Object.hasOwn(out, 'errors')) {
      out.errors = clean(readSafely(error, 'errors'), options, depth + 1, ancestors);
    }
    const cause = readSafely(error, 'cause');
    if (cause !== undefined) {
      out.cause = depth >= MAX_DEPTH ? '[Cause chain too deep]' : clean(cause, options, depth + 1, ancestors);
    }
  } finally {
    ancestors.pop();
  }
  return out;
}

function readSafely(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key];
  } catch (error) {
    return `[Unreadable: ${describe(error)}]`;
  }
}

function mapToObject(map: Map<unknown, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of map) out[typeof key === 'symbol' ? key.toString() : String(key)] = item;
  return out;
}

/** A short description of a thrown value, for markers; never throws. */
export function describe(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return typeof error === 'symbol' ? error.toString() : String(error);
  } catch {
    return 'unknown error';
  }
}
