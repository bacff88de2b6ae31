import { createConcurrencyLimiter, memoryStateStore } from '@lambdakit/resilience';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { latch } from '../test/latch.js';
import { requestEvent } from '../test/requests.js';
import { limitedRoute } from './entry/resilience.js';
import { http, json } from './index.js';

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
});
