import { IdempotencyError } from './idempotency-error.js';

/**
 * A key value that cannot be encoded faithfully: where in the value (`[1].when`), and what was
 * found there, with the conversion that would make it a key.
 */
function unencodable(path: string, found: string): IdempotencyError {
  return new IdempotencyError(
    'IDEMPOTENCY_KEY_INVALID',
    `${path === '' ? 'the key' : `the key at ${path}`} is ${found}`,
  );
}

// Deeper than any key a function builds from an event: a guard against a hostile structure.
const MAX_DEPTH = 64;

const isPlainObject = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** What a value that is not JSON is, and how to turn it into a key. */
function describeUnsupported(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return `${String(value)}, which has no JSON form (NaN and Infinity would all read as null)`;
    case 'bigint':
      return 'a BigInt (use String(value): a BigInt and its digits as a string would otherwise be one key)';
    case 'symbol':
      return 'a Symbol';
    case 'function':
      return 'a function';
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? 'an invalid Date (every invalid Date would read as null)'
      : 'a Date (use date.toISOString(): a Date and its ISO string would otherwise be one key)';
  }
  if (value instanceof Map) return 'a Map (use [...map.entries()], sorted if its order does not matter)';
  if (value instanceof Set) return 'a Set (use [...set], sorted if its order does not matter)';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return 'bytes (use Buffer.from(value).toString("base64"): bytes would otherwise read as an object of indexes)';
  }
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return `an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'} (use a plain object of its fields)`;
}

/**
 * The canonical encoding of an idempotency key: JSON with object members sorted, injective over
 * what it accepts, so two different keys never share a record. It accepts strings (as they are:
 * no Unicode normalisation, so "é" composed and decomposed are two keys), finite numbers (-0 is
 * 0), booleans, null, arrays and plain objects of these; `undefined` is JSON's (a member left out,
 * `null` in an array). Anything else has no faithful JSON form and throws `IDEMPOTENCY_KEY_INVALID`:
 * NaN and Infinity, Dates, Maps, Sets, bytes, BigInt, class instances, functions, cycles.
 */
export function encodeKey(value: unknown): string {
  return write(value, '', new Set(), 0);
}

function write(value: unknown, path: string, ancestors: Set<object>, depth: number): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw unencodable(path, describeUnsupported(value));
      return JSON.stringify(value);
    case 'undefined':
      return 'null';
    case 'object':
      break;
    default:
      throw unencodable(path, describeUnsupported(value));
  }
  if (value === null) return 'null';
  if (depth >= MAX_DEPTH) throw unencodable(path, `nested deeper than ${MAX_DEPTH} levels`);
  if (ancestors.has(value)) throw unencodable(path, 'a cycle (it contains itself)');
  if (!Array.isArray(value) && !isPlainObject(value)) throw unencodable(path, describeUnsupported(value));
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let index = 0; index < value.length; index++) {
      items.push(write(value[index], `${path}[${index}]`, ancestors, depth + 1));
    }
    text = `[${items.join(',')}]`;
  } else {
    const members: string[] = [];
    // Sorted by UTF-16 code units (Array#sort's default): stable across engines and locales.
    for (const name of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[name];
      if (member === undefined) continue;
      members.push(`${JSON.stringify(name)}:${write(member, `${path}.${name}`, ancestors, depth + 1)}`);
    }
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}
