import { readFileSync } from 'node:fs';
import { memoryStore } from '@lambdakit/idempotency';
import { createLogger } from '@lambdakit/logger';
import { invoke } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { createApp, simulatedInventory } from './handler.js';
import { memoryOrders } from './orders.js';

const template = JSON.parse(readFileSync(new URL('../events/create-order.json', import.meta.url), 'utf8'));

/** An HTTP API event for `method url`, built on events/create-order.json. */
function request(method: string, url: string, options: { body?: object; key?: string } = {}) {
  const [path, query = ''] = url.split('?') as [string, string?];
  const event = structuredClone(template);
  event.routeKey = event.requestContext.routeKey = '$default';
  event.requestContext.http = { ...event.requestContext.http, method, path };
  event.rawPath = path;
  event.rawQueryString = query;
  const { 'idempotency-key': _key, 'content-length': _length, ...headers } = event.headers;
  event.headers = options.key === undefined ? headers : { ...headers, 'idempotency-key': options.key };
  if (options.body === undefined) delete event.body;
  else event.body = JSON.stringify(options.body);
  return event;
}

function setup() {
  let reservations = 0;
  const inventory = simulatedInventory(0);
  const { handler } = createApp({
    log: createLogger({ destination: { write: () => {} }, env: {} }),
    inventory: {
      reserve: (items, signal) => {
        reservations++;
        return inventory.reserve(items, signal);
      },
    },
    orders: memoryOrders(),
    idempotency: memoryStore(),
  });
  const call = async (event: unknown) => {
    const outcome = await invoke(handler, event);
    if (!outcome.ok) throw new Error(outcome.error.errorMessage);
    const result = outcome.result as { statusCode: number; headers?: Record<string, string>; body: string };
    return { ...result, json: result.body === '' ? undefined : JSON.parse(result.body) };
  };
  return { call, reservations: () => reservations };
}

const order = (customerId: string) => ({ customerId, items: [{ sku: 'MUG-WHT', quantity: 1 }] });

describe('the orders API', () => {
  it('creates once per Idempotency-Key: a retry replays the 201, a reused key with another body gets 422', async () => {
    const { call, reservations } = setup();
    const first = await call(request('POST', '/orders', { body: order('cus_1'), key: 'k-1' }));
    const retry = await call(request('POST', '/orders', { body: order('cus_1'), key: 'k-1' }));
    expect(first.statusCode).toBe(201);
    expect(retry).toEqual(first);
    expect(reservations()).toBe(1);
    const reused = await call(request('POST', '/orders', { body: order('cus_2'), key: 'k-1' }));
    expect(reused.statusCode).toBe(422);
    const missing = await call(request('POST', '/orders', { body: order('cus_1') }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json.issues[0].pointer).toBe('/headers/idempotency-key');
  });

  it('reads an order by id, lists orders by a typed query, and deletes one', async () => {
    const { call } = setup();
    const created = await call(request('POST', '/orders', { body: order('cus_1'), key: 'a' }));
    await call(request('POST', '/orders', { body: order('cus_2'), key: 'b' }));
    const id = created.json.orderId as string;
    expect(created.headers?.location).toBe(`/orders/${id}`);
    expect((await call(request('GET', `/orders/${id}`))).json).toEqual(created.json);
    const listed = await call(request('GET', '/orders?limit=1'));
    expect(listed.json.map((o: { customerId: string }) => o.customerId)).toEqual(['cus_2']);
    const mine = await call(request('GET', '/orders?customerId=cus_1'));
    expect(mine.json.map((o: { orderId: string }) => o.orderId)).toEqual([id]);
    expect((await call(request('DELETE', `/orders/${id}`))).statusCode).toBe(204);
    expect((await call(request('GET', `/orders/${id}`))).statusCode).toBe(404);
    expect((await call(request('DELETE', `/orders/${id}`))).statusCode).toBe(404);
  });

  it('answers 400 for a bad id or query, 404 for an unknown path, 405 with Allow for an unknown method', async () => {
    const { call } = setup();
    const badId = await call(request('GET', '/orders/42'));
    expect(badId.statusCode).toBe(400);
    expect(badId.json.issues[0]).toMatchObject({ pointer: '/params/orderId' });
    const badLimit = await call(request('GET', '/orders?limit=0'));
    expect(badLimit.json.issues[0]).toMatchObject({ pointer: '/query/limit' });
    expect((await call(request('GET', '/customers'))).statusCode).toBe(404);
    const put = await call(request('PUT', '/orders'));
    expect(put).toMatchObject({ statusCode: 405, headers: { allow: 'GET, HEAD, POST, OPTIONS' } });
  });
});
