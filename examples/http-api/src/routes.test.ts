import { readFileSync } from 'node:fs';
import { memoryStore } from '@lambdakit/idempotency';
import { createLogger } from '@lambdakit/logger';
import { invoke, invokeStream } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { createApp, simulatedInventory } from './handler.js';
import { demoOrders, memoryOrders } from './orders.js';

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

function setup(orders = memoryOrders()) {
  let reservations = 0;
  const inventory = simulatedInventory(0);
  const { handler, streamingHandler } = createApp({
    log: createLogger({ destination: { write: () => {} }, env: {} }),
    inventory: {
      reserve: (items, signal) => {
        reservations++;
        return inventory.reserve(items, signal);
      },
    },
    orders,
    idempotency: memoryStore(),
  });
  const call = async (event: unknown) => {
    const outcome = await invoke(handler, event);
    if (!outcome.ok) throw new Error(outcome.error.errorMessage);
    const result = outcome.result as { statusCode: number; headers?: Record<string, string>; body: string };
    const json = /^application\/(problem\+)?json/.test(result.headers?.['content-type'] ?? '')
      ? JSON.parse(result.body)
      : undefined;
    return { ...result, json };
  };
  return { call, streamingHandler, reservations: () => reservations };
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

/** The export's request as a function URL sends it. */
function exportRequest(url: string, method = 'GET') {
  const event = request(method, url);
  const domain = 'q4r7t2w9x1z3b5d8f6h0j2k4m6n8p1s3.lambda-url.eu-west-1.on.aws';
  event.requestContext.domainName = domain;
  event.headers.host = domain;
  return event;
}

describe('GET /orders/export behind a function URL (streamingHandler)', () => {
  it('streams every order as NDJSON, one chunk per page of 100', async () => {
    const orders = demoOrders(250);
    const { streamingHandler } = setup(memoryOrders(orders));
    const run = await invokeStream(streamingHandler, exportRequest('/orders/export'));
    expect(run.ok).toBe(true);
    expect(run.prelude).toEqual({ statusCode: 200, headers: { 'content-type': 'application/x-ndjson' } });
    expect(run.chunks.map((chunk) => chunk.bytes.toString().split('\n').length - 1)).toEqual([100, 100, 50]);
    const lines = run.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((o: { orderId: string }) => o.orderId)).toEqual(orders.map((o) => o.orderId));
  });

  it('filters by a typed query, and answers a bad one 400 through the same stream', async () => {
    const { streamingHandler } = setup(memoryOrders(demoOrders(20)));
    const mine = await invokeStream(streamingHandler, exportRequest('/orders/export?customerId=cus_demo3'));
    const customers = mine.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line).customerId);
    expect(new Set(customers)).toEqual(new Set(['cus_demo3']));
    expect(customers).toHaveLength(3);
    const bad = await invokeStream(streamingHandler, exportRequest(`/orders/export?customerId=${'x'.repeat(65)}`));
    expect(bad.prelude?.statusCode).toBe(400);
    expect(JSON.parse(bad.text).issues[0]).toMatchObject({ pointer: '/query/customerId' });
  });

  it('answers every other route through the streaming handler too', async () => {
    const { streamingHandler } = setup();
    const missing = await invokeStream(
      streamingHandler,
      exportRequest('/orders/ord_00000000-0000-0000-0000-000000000000'),
    );
    expect(missing.prelude?.statusCode).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ status: 404, detail: 'No such order.' });
  });

  it('gathers the export into one body behind the API Gateway handler', async () => {
    const { call } = setup(memoryOrders(demoOrders(3)));
    const result = await call(request('GET', '/orders/export'));
    expect(result.statusCode).toBe(200);
    expect(result.body.trimEnd().split('\n')).toHaveLength(3);
  });
});
