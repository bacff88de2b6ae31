import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants } from 'node:zlib';
import type { StoredResult } from './idempotency-store.js';

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);

/** The result as JSON text; `undefined` for an `undefined` result. Throws `TypeError` if it is not JSON-serialisable. */
export function resultToJson(result: unknown): string | undefined {
  const json = JSON.stringify(result);
  if (json === undefined && result !== undefined) {
    throw new TypeError(`a ${typeof result} result cannot be serialised to JSON`);
  }
  return json;
}

/** Brotli-compresses JSON text for a record too large as plain text. */
export async function compressJson(json: string): Promise<StoredResult> {
  // Quality 5: most of brotli's gain on JSON at a fraction of the time of its default 11,
  // which matters while the invocation still holds its deadline.
  const data = await compress(Buffer.from(json, 'utf8'), {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(json, 'utf8'),
    },
  });
  return { encoding: 'json+br', data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/**
 * The largest result stored and replayed, as JSON: Lambda's limit on a synchronous response.
 * Bounds decompression too: a 1.7 KB brotli record could otherwise expand to gigabytes.
 */
export const MAX_RESULT_JSON_BYTES = 6 * 1024 * 1024;

/** Decodes a stored result back to the value (a JSON round trip of what the business logic returned). */
export async function decodeResult(stored: StoredResult | undefined): Promise<unknown> {
  if (stored === undefined) return undefined;
  if (stored.encoding === 'json') return JSON.parse(stored.data);
  if (stored.encoding !== 'json+br') {
    throw new TypeError(`unknown result encoding ${String((stored as { encoding?: unknown }).encoding)}`);
  }
  const json = await decompress(stored.data, { maxOutputLength: MAX_RESULT_JSON_BYTES });
  return JSON.parse(json.toString('utf8'));
}
