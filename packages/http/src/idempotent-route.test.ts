import { dynamoDbStore, memoryStore } from '@lambdakit/idempotency';
import { createContext } from '@lambdakit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { latch } from '../test/latch.js';
import { requestEvent } from '../test/requests.js';
import { idempotentRoute } from './entry/idempotency.js';
import { type HttpResult, http, json, stream } from './index.js';

const Order = z.object({ sku: z.string(), quantity: z.int().positive() });
const local = sharedDynamo();
const tableName = uniqueTableName('http-idempotency');
beforeAll(() => local.createIdempotencyTable(tableName));

const post = (key: string | undefined, body: object, url = '/orders') =>
  requestEvent('apigw-http', {
    method: 'POST',
    url,
    body: JSON.stringify(body),
    headers: key === undefined ? {} : { 'Idempotency-Key': key },
  });
const bodyOf = (result: HttpResult) => JSON.parse(result.body) as Record<string, unknown>;

describe('idempotentRoute() against DynamoDB (dynalite)', () => {
  let runs = 0;
  const store = dynamoDbStore({ client: local.client(), tableName });
  const app = http()
    .post(
      '/orders',
      { body: Order },
      idempotentRoute({ store }, ({ body }) => {
        runs++;
        return json(
          201,
          { ...body, id: `o-${runs}` },
          { headers: { location: `/orders/o-${runs}` }, cookies: ['seen=1'] },
        );
      }),
    )
    .post(
      '/refunds',
      { body: Order },
      idempotentRoute({ store }, () => json(202, { refund: ++runs })),
    );
  const call = (event: unknown) => app(event, createContext({ functionName: 'orders-api' }) as never);

  it('runs once per key and replays the stored response to a retry, headers and cookies included', async () => {
    const first = await call(post('k-1', { sku: 'A', quantity: 1 }));
    const retry = await call(post('k-1', { sku: 'A', quantity: 1 }));
    expect(first.statusCode).toBe(201);
    expect(retry).toEqual(first);
    expect(bodyOf(retry).id).toBe(bodyOf(first).id);
    expect(retry.cookies).toEqual(['seen=1']);
    const other = await call(post('k-2', { sku: 'A', quantity: 1 }));
    expect(bodyOf(other).id).not.toBe(bodyOf(first).id);
  });

  it('answers 422 when the key comes back with another body', async () => {
    await call(post('k-3', { sku: 'A', quantity: 1 }));
    const reused = await call(post('k-3', { sku: 'B', quantity: 9 }));
    expect(reused.statusCode).toBe(422);
    expect(bodyOf(reused)).toMatchObject({ status: 422, title: 'Unprocessable Content' });
  });

  it('keeps one key on two routes apart', async () => {
    const order = await call(post('k-4', { sku: 'A', quantity: 1 }));
    const refund = await call(post('k-4', { sku: 'A', quantity: 1 }, '/refunds'));
    expect(order.statusCode).toBe(201);
    expect(refund.statusCode).toBe(202);
  });

  it('answers 400 without the header, naming it', async () => {
    const missing = await call(post(undefined, { sku: 'A', quantity: 1 }));
    expect(missing.statusCode).toBe(400);
    expect(bodyOf(missing).issues).toEqual([
      { pointer: '/headers/idempotency-key', code: 'missing', message: 'The idempotency-key header is required' },
    ]);
  });
});

describe('idempotentRoute() while the first request runs, and after it fails', () => {
  it('answers 409 with Retry-After to a retry while the first runs, then replays its response', async () => {
    const gate = latch(); // the handler waits on it
    const running = latch(); // opened once the handler holds the slot
    const app = http().post(
      '/pay',
      idempotentRoute({ store: memoryStore() }, async () => {
        running.open();
        await gate.opened;
        return json(200, { paid: true });
      }),
    );
    const ctx = () => createContext({ functionName: 'pay', timeoutMs: 30_000 }) as never;
    const first = app(post('p-1', {}, '/pay'), ctx());
    await running.opened; // the first holds the key's lock
    const during = await app(post('p-1', {}, '/pay'), ctx());
    expect(during.statusCode).toBe(409);
    expect(Number(during.headers?.['retry-after'])).toBeGreaterThan(0);
    gate.open();
    expect((await first).statusCode).toBe(200);
    expect(bodyOf(await app(post('p-1', {}, '/pay'), ctx()))).toEqual({ paid: true });
  });

  it('stores nothing when the handler throws, so the retry runs it again; serves without a key when not required', async () => {
    let runs = 0;
    const app = http()
      .post(
        '/flaky',
        idempotentRoute({ store: memoryStore() }, () => {
          runs++;
          if (runs === 1) throw new Error('downstream failed');
          return { ok: runs };
        }),
      )
      .post(
        '/open',
        idempotentRoute({ store: memoryStore(), required: false }, () => ({ ran: true })),
      );
    const ctx = () => createContext({ functionName: 'flaky' }) as never;
    await expect(app(post('f-1', {}, '/flaky'), ctx())).rejects.toThrow('downstream failed');
    expect(bodyOf(await app(post('f-1', {}, '/flaky'), ctx()))).toEqual({ ok: 2 });
    expect(bodyOf(await app(post(undefined, {}, '/open'), ctx()))).toEqual({ ran: true });
  });

  it('refuses to store a streamed response, which it could not replay, and stores nothing', async () => {
    let runs = 0;
    const app = http().post(
      '/export',
      idempotentRoute({ store: memoryStore() }, () => {
        runs++;
        return stream(200, ['a', 'b'], 'text/plain');
      }),
    );
    const ctx = () => createContext({ functionName: 'export' }) as never;
    await expect(app(post('e-1', {}, '/export'), ctx())).rejects.toThrow(/a streamed response cannot be stored/);
    await expect(app(post('e-1', {}, '/export'), ctx())).rejects.toThrow(/a streamed response cannot be stored/);
    expect(runs).toBe(2);
  });
});
