import { gunzipSync } from 'node:zlib';
import type { ParseLimits } from './limits.js';

/** Why a payload could not be decoded; becomes a zod `custom` issue with `params.reason`. */
export class DecodeFailure {
  constructor(
    readonly reason: 'too_large' | 'too_many' | 'too_deep' | 'invalid_json' | 'invalid_base64' | 'invalid_gzip',
    readonly message: string,
  ) {}
}

// Canonical base64 only (what AWS sends): Buffer.from(text, 'base64') silently skips invalid
// characters, so without this check garbage would decode to garbage instead of an error.
// A loop, not a regex: V8's backtracking for /^(?:[A-Za-z0-9+/]{4})*…$/ overflowed the stack on
// text of a few MB (a large function URL or ALB body), which made the schema throw.
const ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;

/** True when `text` is canonical, padded base64. */
export function isBase64(text: string): boolean {
  const length = text.length;
  if (length % 4 !== 0) return false;
  // At most two '=' of padding, only at the end.
  let end = length;
  if (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  if (end > 0 && end === length - 1 && text.charCodeAt(end - 1) === 0x3d) end--;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || ALPHABET[c] === 0) return false;
  }
  return true;
}

/** Decodes canonical base64, refusing anything else and anything whose bytes exceed `maxBytes`. */
export function decodeBase64(text: string, maxBytes: number): Buffer {
  // 4 characters carry 3 bytes: reject oversized input before allocating anything.
  if ((text.length / 4) * 3 - 2 > maxBytes) {
    throw new DecodeFailure('too_large', `Decoded data is larger than the ${maxBytes}-byte limit`);
  }
  if (!isBase64(text)) throw new DecodeFailure('invalid_base64', 'Invalid base64');
  return Buffer.from(text, 'base64');
}

/** Gunzips `data`, stopping at `maxBytes` of output so a gzip bomb costs at most that much memory. */
export function gunzip(data: Buffer, maxBytes: number): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DecodeFailure('too_large', `Decompressed data is larger than the ${maxBytes}-byte limit`);
    }
    throw new DecodeFailure('invalid_gzip', 'Invalid gzip data');
  }
}

/** The UTF-8 size of `text`, computed only when the length alone cannot decide against `max`. */
function exceedsBytes(text: string, max: number): boolean {
  // A UTF-16 code unit takes 1 to 3 UTF-8 bytes, so the length bounds the byte size both ways.
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return Buffer.byteLength(text, 'utf8') > max;
}

/** True when `text` holds more than `max` opening brackets (`{` or `[`), in strings or not. */
function bracketsExceed(text: string, max: number): boolean {
  let count = 0;
  for (let at = text.indexOf('{'); at !== -1; at = text.indexOf('{', at + 1)) if (++count > max) return true;
  for (let at = text.indexOf('['); at !== -1; at = text.indexOf('[', at + 1)) if (++count > max) return true;
  return false;
}

/** True when the JSON text opens more than `maxDepth` nested objects or arrays. */
function exceedsDepth(text: string, maxDepth: number): boolean {
  // Going deeper than maxDepth needs more than maxDepth opening brackets. Counting them with the
  // native indexOf settles typical payloads (a few brackets) without the character scan below,
  // which cost more than JSON.parse itself on every SQS body (profiled: bench/MISSES.md).
  if (text.length <= maxDepth || !bracketsExceed(text, maxDepth)) return false;
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string literal: brackets inside it do not nest.
      for (i++; i < length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

// JSON.parse makes "__proto__" an own property (no pollution by itself), but a later
// Object.assign or merge in user code would turn it into a prototype: drop such keys.
function dropProto(key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

/** Parses a JSON text within the size and depth limits; `__proto__` keys are dropped. */
export function parseJson(text: string, limits: Readonly<ParseLimits>): unknown {
  if (exceedsBytes(text, limits.maxBodyBytes)) {
    throw new DecodeFailure('too_large', `JSON text is larger than the ${limits.maxBodyBytes}-byte limit`);
  }
  if (exceedsDepth(text, limits.maxDepth)) {
    throw new DecodeFailure('too_deep', `JSON nesting is deeper than the ${limits.maxDepth}-level limit`);
  }
  try {
    // The reviver is slow, so it runs only when the key could be there (literally or escaped).
    return text.includes('__proto__') || text.includes('\\u') ? JSON.parse(text, dropProto) : JSON.parse(text);
  } catch {
    // The engine's message may quote the input: keep it out of errors and HTTP responses.
    throw new DecodeFailure('invalid_json', 'Invalid JSON');
  }
}
