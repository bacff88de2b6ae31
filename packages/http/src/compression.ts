import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { HttpResponse } from './http-response.js';
import type { IncomingRequest } from './incoming-request.js';

/** Compression of response bodies by the request's `Accept-Encoding`. */
export interface CompressionOptions {
  /** Bodies smaller than this many bytes are sent as they are (compressing them gains little). Default 1024. */
  minBytes?: number | undefined;
}

/** Types worth compressing: text, JSON, XML, JavaScript, SVG. Images and archives are compressed already. */
const COMPRESSIBLE = /^(text\/|application\/(?:[\w.+-]*\+)?(?:json|xml|javascript)\b|image\/svg\+xml)/i;

/** The encodings a client accepts, by the `q` it gives them (RFC 9110 §12.5.3); `q=0` refuses one. */
function accepted(header: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (header === undefined) return out;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name === undefined || name === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q') q = Number(value);
    }
    if (Number.isFinite(q)) out.set(name, q);
  }
  return out;
}

function headerOf(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** Picks `br` or `gzip` (the client's preference, brotli on a tie), or none. */
function pick(header: string | undefined): 'br' | 'gzip' | undefined {
  const q = accepted(header);
  const wildcard = q.get('*') ?? 0;
  const br = q.get('br') ?? wildcard;
  const gzip = q.get('gzip') ?? wildcard;
  if (br <= 0 && gzip <= 0) return undefined;
  return br >= gzip ? 'br' : 'gzip';
}

/** Makes the compressing step; checked once, when the app is made. */
export function compileCompression(
  options: CompressionOptions | true,
): (request: IncomingRequest, response: HttpResponse) => HttpResponse {
  const minBytes = options === true ? 1024 : (options.minBytes ?? 1024);
  if (!Number.isInteger(minBytes) || minBytes < 0) {
    throw new TypeError(`http({ compression }): minBytes must be a non-negative integer, got ${String(minBytes)}`);
  }
  return (request, response) => {
    const body = response.body;
    if (body === undefined || request.method === 'HEAD') return response;
    const type = headerOf(response.headers, 'content-type');
    if (
      type === undefined ||
      !COMPRESSIBLE.test(type) ||
      headerOf(response.headers, 'content-encoding') !== undefined
    ) {
      return response;
    }
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (bytes.byteLength < minBytes) return response;
    const encoding = pick(request.headers['accept-encoding']);
    if (encoding === undefined) return response;
    // Brotli at quality 5: close to gzip's speed with smaller output; 11 (the default) costs ~50× more CPU.
    const compressed =
      encoding === 'br'
        ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
        : gzipSync(bytes, { level: 6 });
    const headers: Record<string, string> = { ...response.headers, 'content-encoding': encoding };
    const vary = headerOf(headers, 'vary');
    if (vary === undefined) headers.vary = 'Accept-Encoding';
    else if (!/accept-encoding/i.test(vary))
      headers[Object.keys(headers).find((k) => k.toLowerCase() === 'vary')!] = `${vary}, Accept-Encoding`;
    return {
      ...response,
      headers,
      body: new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength),
    };
  };
}
