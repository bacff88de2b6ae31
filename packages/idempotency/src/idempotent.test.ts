import { type InvocationContext, lambda, type Middleware, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { countRequests, deferred, expectedKey } from '../test/support.js';
import { dynamoDbStore, IdempotencyInProgressError, idempotent, memoryStore } from './index.js';

interface Order {
  id: string;
  total: number;
}

const local = sharedDynamo();
const client = local.client({ maxAttempts: 1 });
const requests = countRequests(client);

afterAll(() => client.destroy());

async function newStore() {
  const tableName = uniqueTableName('idempotency');
  await local.createIdempotencyTable(tableName);
  requests.length = 0;
  return dynamoDbStore({ client, tableName });
}

const parseOrder: Middleware<unknown, Order> = {
  name: 'parseOrder',
  before(request) {
    request.event = request.event as Order;
  },
};

describe('idempotent() on lambda()', () => {
  it('runs the business logic once and replays the stored result, with cleanup hooks still run on a replay', async () => {
    const store = await newStore();
    let runs = 0;
    const cleanups: string[] = [];
    const flush: Middleware = {
      name: 'flush',
      before(request) {
        (request.context as InvocationContext).cleanup((outcome) => {
          cleanups.push(outcome.status);
        });
      },
    };
    const handler = lambda()
      .use(flush)
      .use(parseOrder)
      .use(idempotent<Order>({ store, key: (order) => order.id }))
      .handle(async (order) => ({ charged: order.total, run: ++runs }));
    const context = createContext({ functionName: 'checkout' });
    expect(await handler({ id: 'o-1', total: 5 }, context)).toEqual({ charged: 5, run: 1 });
    expect(await handler({ id: 'o-1', total: 5 }, context)).toEqual({ charged: 5, run: 1 });
    expect(runs).toBe(1);
    expect(cleanups).toEqual(['success', 'success']);
    expect(await store.get(expectedKey('checkout', '"o-1"'))).toMatchObject({ status: 'COMPLETED' });
  });

  it('replays an undefined result without running the business logic again', async () => {
    const store = await newStore();
    let runs = 0;
    const handler = lambda()
      .use(idempotent({ store, key: (event) => (event as Order).id }))
      .handle(async () => {
        runs++;
      });
    const context = createContext();
    expect(await handler({ id: 'u' }, context)).toBeUndefined();
    expect(await handler({ id: 'u' }, context)).toBeUndefined();
    expect(runs).toBe(1);
  });

  it('releases the lock when the business logic throws, so the retry runs it again', async () => {
    const store = await newStore();
    let runs = 0;
    const handler = lambda()
      .use(parseOrder)
      .use(idempotent<Order>({ store, key: (order) => order.id }))
      .handle(async () => {
        if (++runs === 1) throw new Error('downstream unavailable');
        return 'ok';
      });
    const context = createContext({ functionName: 'checkout' });
    await expect(handler({ id: 'o-2', total: 1 }, context)).rejects.toThrow('downstream unavailable');
    expect(requests).toEqual(['PutItem', 'DeleteItem']);
    expect(await handler({ id: 'o-2', total: 1 }, context)).toBe('ok');
    expect(runs).toBe(2);
  });

  it('on timeout, releases the lock before the handler returns, and the late business logic writes nothing', async () => {
    const store = await newStore();
    const gate = deferred<string>();
    let runs = 0;
    const handler = lambda()
      .use(timeout({ marginMs: 50 }))
      .use(parseOrder)
      .use(idempotent<Order>({ store, key: (order) => order.id }))
      .handle(async () => {
        runs++;
        return gate.promise; // ignores ctx.signal, as slow business logic does
      });
    const key = expectedKey('checkout', '"o-3"');
    const outcome = await handler(
      { id: 'o-3', total: 1 },
      createContext({ functionName: 'checkout', timeoutMs: 300 }),
    ).catch((error: unknown) => error);
    expect(outcome).toMatchObject({ name: 'TimeoutError' });
    // Already released when the handler settled: no IN_PROGRESS lock waits out the deadline.
    expect(requests).toEqual(['PutItem', 'DeleteItem']);
    expect(await store.get(key)).toBeUndefined();

    const retry = handler({ id: 'o-3', total: 1 }, createContext({ functionName: 'checkout', timeoutMs: 5_000 }));
    await expect.poll(() => runs).toBe(2);
    gate.resolve('finished late');
    expect(await retry).toBe('finished late');
    expect(runs).toBe(2);
    // The timed-out first run settled too (same gate) but did not write over the retry's record.
    expect(requests.filter((request) => request === 'UpdateItem')).toHaveLength(1);
    expect(await store.get(key)).toMatchObject({ status: 'COMPLETED' });
  });

  it('releases the lock when a later middleware responds early and the business logic never runs', async () => {
    const store = await newStore();
    const cached: Middleware = { name: 'cached', before: () => ({ from: 'cache' }) };
    const handler = lambda()
      .use(idempotent({ store, key: () => 'early' }))
      .use(cached)
      .handle(async () => ({ from: 'logic' }));
    const context = createContext({ functionName: 'checkout' });
    expect(await handler({}, context)).toEqual({ from: 'cache' });
    expect(await store.get(expectedKey('checkout', '"early"'))).toBeUndefined();
  });

  it('keeps concurrent invocations in one process apart: each its own lock and outcome', async () => {
    const store = memoryStore();
    const gates = { a: deferred<string>(), b: deferred<string>() };
    const handler = lambda()
      .use(parseOrder)
      .use(idempotent<Order>({ store, key: (order) => order.id }))
      .handle(async (order) => gates[order.id as 'a' | 'b'].promise);
    const context = createContext({ functionName: 'checkout' });
    const a = handler({ id: 'a', total: 1 }, context);
    const b = handler({ id: 'b', total: 1 }, context);
    await expect.poll(() => store.records().length).toBe(2);
    gates.b.reject(new Error('b failed'));
    gates.a.resolve('a done');
    expect(await a).toBe('a done');
    await expect(b).rejects.toThrow('b failed');
    expect(store.records()).toEqual([
      expect.objectContaining({ id: expectedKey('checkout', '"a"'), status: 'COMPLETED' }),
    ]);
  });

  it('throws IdempotencyInProgressError from the handler for a duplicate of a running invocation', async () => {
    const store = memoryStore();
    const gate = deferred<string>();
    let runs = 0;
    const handler = lambda()
      .use(idempotent({ store, key: () => 'same' }))
      .handle(async () => {
        runs++;
        return gate.promise;
      });
    const context = createContext({ functionName: 'checkout' });
    const first = handler({}, context);
    await expect.poll(() => runs).toBe(1);
    await expect(handler({}, context)).rejects.toBeInstanceOf(IdempotencyInProgressError);
    gate.resolve('done');
    expect(await first).toBe('done');
  });

  it('throws IDEMPOTENCY_KEY_MISSING from the handler when the event has no key', async () => {
    const store = memoryStore();
    const handler = lambda()
      .use(idempotent({ store, key: (event) => (event as Partial<Order>).id }))
      .handle(async () => 'ran');
    await expect(handler({}, createContext())).rejects.toMatchObject({
      name: 'IdempotencyError',
      code: 'IDEMPOTENCY_KEY_MISSING',
    });
    expect(store.records()).toEqual([]);
  });
});
