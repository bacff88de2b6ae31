import { lambda, TimeoutError, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { requestEvent, sources } from '../test/requests.js';
import { gatewayTimeout, http } from './index.js';

// A route that waits for ctx.signal, which aborts at the deadline less the margin.
const stuck = (signal: AbortSignal) =>
  new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

describe.each(sources)('gatewayTimeout() on %s', (source) => {
  it('answers 504 problem details in the source’s format when timeout() fires', async () => {
    const base = lambda().use(
      timeout({ marginMs: 200, onTimeout: gatewayTimeout({ cors: { origins: ['https://app.example.com'] } }) }),
    );
    const handler = base.handle(http(base).get('/slow', (_request, ctx) => stuck(ctx.signal)));
    const event = requestEvent(source, { url: '/slow', headers: { origin: 'https://app.example.com' } });
    const result = await handler(event, createContext({ timeoutMs: 300 }));
    expect(result).toMatchObject({ statusCode: 504, isBase64Encoded: false });
    expect(JSON.parse(result.body)).toEqual({
      type: 'about:blank',
      title: 'Gateway Timeout',
      status: 504,
      detail: 'The request did not complete in time.',
    });
    const origin =
      result.headers?.['access-control-allow-origin'] ?? result.multiValueHeaders?.['access-control-allow-origin']?.[0];
    expect(origin).toBe('https://app.example.com');
  });
});

describe.each(sources)('gatewayTimeout() without options on %s', (source) => {
  it('gives the 504 the CORS of the app that took the request', async () => {
    const base = lambda().use(timeout({ marginMs: 200, onTimeout: gatewayTimeout() }));
    const app = http(base, { cors: { origins: ['https://app.example.com'] } }).get('/slow', (_request, ctx) =>
      stuck(ctx.signal),
    );
    const event = requestEvent(source, { url: '/slow', headers: { origin: 'https://app.example.com' } });
    const result = await base.handle(app)(event, createContext({ timeoutMs: 300 }));
    expect(result).toMatchObject({ statusCode: 504 });
    const origin =
      result.headers?.['access-control-allow-origin'] ?? result.multiValueHeaders?.['access-control-allow-origin']?.[0];
    expect(origin).toBe('https://app.example.com');
  });
});

it('keeps the TimeoutError for an event that is not an HTTP request', async () => {
  const handler = lambda()
    .use(timeout({ marginMs: 200, onTimeout: gatewayTimeout() }))
    .handle((_event, ctx) => stuck(ctx.signal));
  await expect(handler({ Records: [] }, createContext({ timeoutMs: 300 }))).rejects.toThrow(TimeoutError);
});
