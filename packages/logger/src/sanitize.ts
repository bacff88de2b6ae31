/**
 * Field names redacted by default, at any depth and in any case: credentials in HTTP headers
 * (`Authorization`, `Proxy-Authorization`, `X-Forwarded-Authorization`, `Cookie`, `Set-Cookie`,
 * HTTP API v2's `cookies`, `X-Api-Key`, `X-Amz-Signature`, ALB's `x-amzn-oidc-data`), an
 * authorizer's `identitySource`, and fields named like a password (`password`, `passwd`, `pwd`,
 * `pass`, `passphrase`), secret, token, bearer, JWT, API key, private key, credential, session id
 * (`sid`), signature, connection string or database URL.
 */
export const DEFAULT_REDACT_KEYS: RegExp =
  /authorization$|^(?:set-)?cookies?$|passw(?:or)?d|^pass$|passphrase|pwd|secret|token|bearer|jwt|api[-_]?key|private[-_]?key|credential|session[-_]?id|^sid$|signature|connection[-_]?string|database[-_]?url|oidc|^identitysource$/i;

/** How {@link sanitize} treats keys and depth. */
export interface SanitizeOptions {
  /** Keys whose values are replaced by `censor`; undefined redacts nothing by name. */
  readonly keys: RegExp | undefined;
  readonly censor: string;
  /**
   * Also look inside strings holding JSON (an HTTP `body`, an SQS `body`, an SNS `Message`): one
   * that parses to an object or array is redacted and written back as JSON. For logged events.
   */
  readonly jsonStrings?: boolean | undefined;
}

// JSON in a string is parsed only up to this size: a larger one is cut by the event cap anyway.
const MAX_JSON_STRING_BYTES = 64 * 1024;

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
    case 'string':
      return options.jsonStrings === true ? cleanJsonString(value, options, depth, ancestors) : value;
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
  if (value instanceof Date) return value;
  // Bytes are never written: a Buffer would come out whole as `{"type":"Buffer","data":[…]}`.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[Binary: ${value.byteLength} bytes]`;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (value instanceof Map) return clean(mapToObject(value), options, depth, ancestors);
  if (value instanceof Set) return clean([...value], options, depth, ancestors);
  // An object that says how to serialize itself: what it says is scanned like the rest.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    ancestors.push(value);
    try {
      const json: unknown = (value as { toJSON(key?: string): unknown }).toJSON('');
      return json === value ? cleanPlain(value, options, depth, ancestors) : clean(json, options, depth + 1, ancestors);
    } catch (error) {
      return `[Unreadable: ${describe(error)}]`;
    } finally {
      ancestors.pop();
    }
  }
  ancestors.push(value);
  try {
    return cleanPlain(value, options, depth, ancestors);
  } finally {
    ancestors.pop();
  }
}

function cleanPlain(value: object, options: SanitizeOptions, depth: number, ancestors: object[]): unknown {
  return Array.isArray(value)
    ? cleanArray(value, options, depth, ancestors)
    : cleanObject(value, options, depth, ancestors);
}

/** A string holding a JSON object or array: redacted inside and written back, if anything changed. */
function cleanJsonString(text: string, options: SanitizeOptions, depth: number, ancestors: object[]): string {
  const first = text.trimStart()[0];
  if ((first !== '{' && first !== '[') || text.length > MAX_JSON_STRING_BYTES || depth >= MAX_DEPTH) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const cleaned = clean(parsed, options, depth + 1, ancestors);
  return cleaned === parsed ? text : JSON.stringify(cleaned);
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
    let dropped = false;
    try {
      item = record[key];
      // A copy keeping a toJSON() would hand JSON.stringify the unscanned original back.
      dropped = key === 'toJSON' && typeof item === 'function';
      cleaned = dropped
        ? undefined
        : options.keys?.test(key)
          ? options.censor
          : clean(item, options, depth + 1, ancestors);
    } catch (error) {
      cleaned = `[Unreadable: ${describe(error)}]`;
    }
    if ((cleaned !== item || dropped) && copy === undefined) {
      // A null-prototype copy: a key named "__proto__" stays a plain field.
      copy = Object.create(null) as Record<string, unknown>;
      for (let j = 0; j < i; j++) copy[keys[j]!] = record[keys[j]!];
    }
    if (copy !== undefined && !dropped) copy[key] = cleaned;
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
