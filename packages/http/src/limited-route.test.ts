import { createConcurrencyLimiter, memoryStateStore } from '@lambdakit/resilience';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { latch } from '../test/latch.js';
import { requestEvent } from '../test/requests.js';
import { limitedRoute } from './entry/resilience.js';
import { http, json, stream } from './index.js';

describe('limitedRoute()', () => {
  it('answers 503 with Retry-After while every slot is taken, and serves again once one frees', async () => {
    const limiter = createConcurrencyLimiter({ name: 'payments', max: 1, store: memoryStateStore() });
    const gate = latch(); // the handler waits on it
    const running = latch(); // opened once the handler holds the slot
    let runs = 0;
    const app = http().post(
      '/pay',
      limitedRoute(limiter, async () => {
        runs++;
        running.open();
        await gate.opened;
        return json(200, { paid: true });
      }),
    );
    const call = () =>
      app(requestEvent('apigw-http', { method: 'POST', url: '/pay' }), createContext({ timeoutMs: 30_000 }) as never);
    const first = call();
    await running.opened; // the first holds the only slot
    const turnedAway = await call();
    expect(turnedAway.statusCode).toBe(503);
    expect(Number(turnedAway.headers?.['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(turnedAway.body)).toMatchObject({ status: 503, title: 'Service Unavailable' });
    gate.open();
    expect((await first).statusCode).toBe(200);
    expect((await call()).statusCode).toBe(200);
    expect(runs).toBe(2);
  });

  it('answers 429 when asked to, lets other errors through, and checks its arguments', async () => {
    const limiter = createConcurrencyLimiter({ name: 'x', max: 1, store: memoryStateStore() });
    const held = await limiter.acquire(createContext({ timeoutMs: 30_000 }));
    const app = http()
      .get(
        '/a',
        limitedRoute(limiter, () => undefined, { status: 429 }),
      )
      .get(
        '/b',
        limitedRoute(createConcurrencyLimiter({ name: 'y', max: 1, store: memoryStateStore() }), () => {
          throw new RangeError('bug');
        }),
      );
    const ctx = () => createContext() as never;
    expect((await app(requestEvent('alb', { url: '/a' }), ctx())).statusCode).toBe(429);
    await expect(app(requestEvent('alb', { url: '/b' }), ctx())).rejects.toThrow(RangeError);
    await held.release();
    expect(() => limitedRoute({} as never, () => undefined)).toThrow(/expected a limiter/);
    expect(() => limitedRoute(limiter, () => undefined, { status: 500 as never })).toThrow(/expected 429 or 503/);
  });

  it('keeps the slot while a streamed body is sent, and frees it once the body ends', async () => {
    const limiter = createConcurrencyLimiter({ name: 'export', max: 1, store: memoryStateStore() });
    const gate = latch();
    const streaming = latch(); // opened once the first body is under way
    const app = http().get(
      '/export',
      limitedRoute(limiter, () =>
        stream(
          200,
          (async function* () {
            yield 'first\n';
            streaming.open();
            await gate.opened;
            yield 'last\n';
          })(),
          'text/plain',
        ),
      ),
    );
    const call = () => app(requestEvent('alb', { url: '/export' }), createContext({ timeoutMs: 30_000 }) as never);
    const first = call();
    await streaming.opened; // the route has returned; its body holds the slot
    expect((await call()).statusCode).toBe(503);
    gate.open();
    expect(await first).toMatchObject({ statusCode: 200, body: 'first\nlast\n' });
    expect((await call()).statusCode).toBe(200);
  });

  it('frees the slot of a streamed body a HEAD request never reads', async () => {
    const limiter = createConcurrencyLimiter({ name: 'head', max: 1, store: memoryStateStore() });
    const app = http().get(
      '/export',
      limitedRoute(limiter, () => stream(200, ['never read'], 'text/plain')),
    );
    const call = (method: string) =>
      app(requestEvent('alb', { method, url: '/export' }), createContext({ timeoutMs: 30_000 }) as never);
    expect((await call('HEAD')).statusCode).toBe(200);
    expect((await call('GET')).body).toBe('never read');
  });
});
