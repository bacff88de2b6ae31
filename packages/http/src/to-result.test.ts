import { lambda, timeout } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { requestEvent, sources } from '../test/requests.js';
import { binary, empty, http, json } from './index.js';

const cookies = ['session=abc; HttpOnly; Secure; Path=/', 'theme=dark; Path=/'];
const app = http()
  .get('/login', () => json(200, { ok: true }, { cookies, headers: { 'cache-control': 'no-store' } }))
  .get('/logo', () => binary(200, new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png'))
  .get('/moved', () => empty(301, { headers: { location: '/login' } }));
const call = (event: unknown) => app(event, createContext() as never);

describe('responses in each source’s format', () => {
  it('HTTP APIs and function URLs: cookies in `cookies`, headers as given', async () => {
    for (const source of ['apigw-http', 'lambda-url'] as const) {
      const result = await call(requestEvent(source, { url: '/login' }));
      expect(result).toEqual({
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        cookies,
        body: '{"ok":true}',
        isBase64Encoded: false,
      });
    }
  });

  it('REST APIs: cookies as multi-value `set-cookie`', async () => {
    const result = await call(requestEvent('apigw-rest', { url: '/login' }));
    expect(result.multiValueHeaders).toEqual({ 'set-cookie': cookies });
    expect(result.headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(result).not.toHaveProperty('cookies');
  });

  it('ALB with multi-value headers: every header in `multiValueHeaders`, with the status text', async () => {
    const result = await call(requestEvent('alb', { url: '/login', multiValue: true }));
    expect(result).toEqual({
      statusCode: 200,
      statusDescription: '200 OK',
      multiValueHeaders: {
        'content-type': ['application/json'],
        'cache-control': ['no-store'],
        'set-cookie': cookies,
      },
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
  });

  it('ALB without: each cookie under another casing of set-cookie, so each reaches the client', async () => {
    const result = await call(requestEvent('alb', { url: '/login' }));
    const cookieHeaders = Object.entries(result.headers ?? {}).filter(([name]) => name.toLowerCase() === 'set-cookie');
    expect(cookieHeaders.map(([, value]) => value)).toEqual(cookies);
    expect(new Set(cookieHeaders.map(([name]) => name)).size).toBe(2);
  });

  it.each(sources)('%s: bytes are sent base64-encoded; a redirect has no body', async (source) => {
    const logo = await call(requestEvent(source, { url: '/logo' }));
    expect(logo.isBase64Encoded).toBe(true);
    expect(Buffer.from(logo.body, 'base64')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const moved = await call(requestEvent(source, { url: '/moved' }));
    expect(moved.statusCode).toBe(301);
    expect(moved.body).toBe('');
    expect(moved.headers?.location ?? moved.multiValueHeaders?.location?.[0]).toBe('/login');
  });
});

describe('the app in a lambda() chain', () => {
  it('gives routes the chain’s ctx (logger, deadline signal)', async () => {
    const lines: string[] = [];
    const base = lambda()
      .use(logger({ destination: { write: (line: string) => void lines.push(line) } }))
      .use(timeout({ marginMs: 100 }));
    const handler = base.handle(
      http(base).get('/orders/:id', { params: z.object({ id: z.string() }) }, ({ params }, ctx) => {
        ctx.log.info({ id: params.id }, 'read order');
        return json(200, { id: params.id, aborted: ctx.signal.aborted });
      }),
    );
    const result = await handler(requestEvent('apigw-http', { url: '/orders/o-9' }), createContext());
    expect(result).toMatchObject({ statusCode: 200, body: '{"id":"o-9","aborted":false}' });
    expect(lines.map((line) => JSON.parse(line))).toMatchObject([{ message: 'read order', id: 'o-9' }]);
  });

  it('refuses an event that is not an HTTP request, saying what was missing', async () => {
    await expect(app({ Records: [] }, createContext() as never)).rejects.toThrow(/not an HTTP request/);
    await expect(app({ requestContext: {} }, createContext() as never)).rejects.toThrow(
      /neither requestContext.http.method/,
    );
  });
});

describe('route registration', () => {
  it('rejects a path without a leading slash, a handler that is not a function, and unknown parts', () => {
    expect(() => http().get('orders', () => undefined)).toThrow(/must start with "\/"/);
    expect(() => http().get('/x', {} as never, 'nope' as never)).toThrow(/handler must be a function/);
    expect(() => http().post('/x', { bdy: z.string() } as {}, () => undefined)).toThrow(/unknown part "bdy"/);
    expect(() => http().post('/x', { body: { type: 'string' } } as {}, () => undefined)).toThrow(
      /body must be a zod schema/,
    );
  });

  it('refuses an unknown option, naming the ones it takes', () => {
    expect(() => http({ compress: true } as never)).toThrow(
      'http(options): unknown option "compress" (expected limits, cors, compression, checkResponses, logInvalid)',
    );
  });

  it('names a bad limit at http(), before any route is added', () => {
    expect(() => http({ limits: { maxBodyBytes: -1 } })).toThrow(
      new TypeError('http({ limits }): expected limits.maxBodyBytes to be a positive integer, got -1'),
    );
    expect(() => http({ limits: { maxBytes: 10 } as never })).toThrow(
      'http({ limits }): unknown limit "maxBytes" (expected maxBodyBytes, maxDepth, maxDecompressedBytes, maxLogEvents)',
    );
    expect(() => http({ limits: 'big' as never })).toThrow(
      'http({ limits }): expected an object of limits, got string',
    );
    expect(() => http({ limits: { maxBodyBytes: undefined, maxDepth: 8 } as never })).not.toThrow();
  });

  it('lists its routes in the order they were added', () => {
    const listed = http()
      .get('/a', () => undefined)
      .post('/b', { body: z.string() }, () => undefined).routes;
    expect(listed.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /a', 'POST /b']);
  });
});

describe('the WARN line of a refused request', () => {
  it('names the first issues by pointer, never the values, when a logger is on ctx', async () => {
    const lines: Record<string, unknown>[] = [];
    const base = lambda().use(logger({ destination: { write: (line: string) => void lines.push(JSON.parse(line)) } }));
    const handler = base.handle(
      http(base).post('/orders', { body: z.object({ sku: z.string().min(2), quantity: z.int() }) }, () => undefined),
    );
    const event = requestEvent('apigw-http', {
      method: 'POST',
      url: '/orders',
      body: '{"sku":"s3cret","quantity":"x"}',
    });
    await handler(event, createContext());
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'WARN',
        source: 'apigw-http',
        method: 'POST',
        status: 400,
        issues: [{ pointer: '/body/quantity', message: 'Invalid input: expected number, received string' }],
        message: 'invalid request answered 400: /body/quantity: Invalid input: expected number, received string',
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    const quiet: string[] = [];
    const base2 = lambda().use(logger({ destination: { write: (line: string) => void quiet.push(line) } }));
    await base2.handle(http(base2, { logInvalid: false }).post('/orders', { body: z.string() }, () => undefined))(
      event,
      createContext(),
    );
    expect(quiet).toEqual([]);
  });
});
