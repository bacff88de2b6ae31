import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { requestEvent, sources } from '../test/requests.js';
import { type HttpResult, http, json } from './index.js';

const origin = 'https://app.example.com';
const app = http({
  cors: { origins: [origin], credentials: true, exposeHeaders: ['x-request-id'], maxAgeSeconds: 300 },
})
  .get('/orders', () => json(200, []))
  .post('/orders', () => json(201, {}));
const call = (event: unknown) => app(event, createContext() as never);
const header = (result: HttpResult, name: string) => result.headers?.[name] ?? result.multiValueHeaders?.[name]?.[0];

describe.each(sources)('CORS on %s', (source) => {
  it('answers a preflight from an allowed origin with the path’s methods and the asked headers', async () => {
    const result = await call(
      requestEvent(source, {
        method: 'OPTIONS',
        url: '/orders',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      }),
    );
    expect(result.statusCode).toBe(204);
    expect(header(result, 'access-control-allow-origin')).toBe(origin);
    expect(header(result, 'access-control-allow-credentials')).toBe('true');
    expect(header(result, 'access-control-allow-methods')).toBe('GET, HEAD, POST, OPTIONS');
    expect(header(result, 'access-control-allow-headers')).toBe('content-type');
    expect(header(result, 'access-control-max-age')).toBe('300');
    expect(header(result, 'vary')).toBe('Origin, Access-Control-Request-Headers');
  });

  it('answers a preflight itself on a path with its own OPTIONS route, which keeps other OPTIONS requests', async () => {
    const own = http({ cors: { origins: [origin] } })
      .get('/reports', () => json(200, []))
      .options('/reports', () => json(200, { own: true }));
    const preflight = await own(
      requestEvent(source, {
        method: 'OPTIONS',
        url: '/reports',
        headers: { origin, 'access-control-request-method': 'GET' },
      }),
      createContext() as never,
    );
    expect(preflight.statusCode).toBe(204);
    expect(header(preflight, 'access-control-allow-origin')).toBe(origin);
    expect(header(preflight, 'access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    const plain = await own(requestEvent(source, { method: 'OPTIONS', url: '/reports' }), createContext() as never);
    expect(JSON.parse(plain.body)).toEqual({ own: true });
  });

  it('adds the headers to responses and errors for an allowed origin, and none for another', async () => {
    const ok = await call(requestEvent(source, { url: '/orders', headers: { origin } }));
    expect(header(ok, 'access-control-allow-origin')).toBe(origin);
    expect(header(ok, 'access-control-expose-headers')).toBe('x-request-id');
    expect(header(ok, 'vary')).toBe('Origin');
    const missing = await call(requestEvent(source, { url: '/nope', headers: { origin } }));
    expect(missing.statusCode).toBe(404);
    expect(header(missing, 'access-control-allow-origin')).toBe(origin);
    const other = await call(requestEvent(source, { url: '/orders', headers: { origin: 'https://evil.example' } }));
    expect(header(other, 'access-control-allow-origin')).toBeUndefined();
    expect(header(other, 'vary')).toBe('Origin');
    const preflight = await call(
      requestEvent(source, {
        method: 'OPTIONS',
        url: '/orders',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      }),
    );
    expect(preflight.statusCode).toBe(204);
    expect(header(preflight, 'access-control-allow-origin')).toBeUndefined();
  });
});

describe('CORS options', () => {
  it('answers any origin with "*", without Vary', async () => {
    const open = http({ cors: { origins: '*' } }).get('/x', () => json(200, 1));
    const result = await open(requestEvent('apigw-http', { url: '/x', headers: { origin } }), createContext() as never);
    expect(header(result, 'access-control-allow-origin')).toBe('*');
    expect(header(result, 'vary')).toBeUndefined();
  });

  it('decides per origin with a function', async () => {
    const byFn = http({ cors: { origins: (o) => o.endsWith('.example.com') } }).get('/x', () => json(200, 1));
    const call2 = (o: string) =>
      byFn(requestEvent('lambda-url', { url: '/x', headers: { origin: o } }), createContext() as never);
    expect(header(await call2('https://a.example.com'), 'access-control-allow-origin')).toBe('https://a.example.com');
    expect(header(await call2('https://example.org'), 'access-control-allow-origin')).toBeUndefined();
  });

  it('refuses "*" with credentials and a bad maxAgeSeconds, when the app is made', () => {
    expect(() => http({ cors: { origins: '*', credentials: true } })).toThrow(/cannot be used with credentials/);
    expect(() => http({ cors: { origins: [origin], maxAgeSeconds: -1 } })).toThrow(TypeError);
    expect(() => http({ cors: { origins: 'https://a' as never } })).toThrow(/origins must be/);
  });
});
