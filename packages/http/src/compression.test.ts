import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { requestEvent, sources } from '../test/requests.js';
import { binary, type HttpResult, http, json, text } from './index.js';

const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: `order-${i}`, status: 'shipped' })) };
const app = http({ compression: true })
  .get('/big', () => json(200, big, { headers: { vary: 'Origin' } }))
  .get('/small', () => json(200, { ok: true }))
  .get('/png', () => binary(200, new Uint8Array(4096), 'image/png'))
  .get('/text', () => text(200, 'x'.repeat(5000)));
const call = (event: unknown) => app(event, createContext() as never);
const header = (result: HttpResult, name: string) => result.headers?.[name] ?? result.multiValueHeaders?.[name]?.[0];

describe.each(sources)('compression on %s', (source) => {
  it('sends brotli when preferred, gzip when asked for, base64-encoded, with Vary', async () => {
    const br = await call(requestEvent(source, { url: '/big', headers: { 'accept-encoding': 'gzip, deflate, br' } }));
    expect(header(br, 'content-encoding')).toBe('br');
    expect(header(br, 'vary')).toBe('Origin, Accept-Encoding');
    expect(br.isBase64Encoded).toBe(true);
    expect(JSON.parse(brotliDecompressSync(Buffer.from(br.body, 'base64')).toString())).toEqual(big);
    const gz = await call(requestEvent(source, { url: '/text', headers: { 'accept-encoding': 'gzip;q=1, br;q=0.5' } }));
    expect(header(gz, 'content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(gz.body, 'base64')).toString()).toBe('x'.repeat(5000));
  });

  it('leaves small bodies, images, refused encodings and clients that ask for none as they are', async () => {
    const accept = { 'accept-encoding': 'br, gzip' };
    expect(
      header(await call(requestEvent(source, { url: '/small', headers: accept })), 'content-encoding'),
    ).toBeUndefined();
    expect(
      header(await call(requestEvent(source, { url: '/png', headers: accept })), 'content-encoding'),
    ).toBeUndefined();
    const refused = await call(
      requestEvent(source, { url: '/big', headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } }),
    );
    expect(header(refused, 'content-encoding')).toBeUndefined();
    const none = await call(requestEvent(source, { url: '/big' }));
    expect(header(none, 'content-encoding')).toBeUndefined();
    expect(JSON.parse(none.body)).toEqual(big);
  });
});

it('is off unless asked for, and checks minBytes', async () => {
  const plain = http().get('/big', () => json(200, big));
  const result = await plain(
    requestEvent('apigw-http', { url: '/big', headers: { 'accept-encoding': 'br' } }),
    createContext() as never,
  );
  expect(header(result, 'content-encoding')).toBeUndefined();
  expect(() => http({ compression: { minBytes: -5 } })).toThrow(/minBytes/);
});
