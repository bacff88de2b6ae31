import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { lambda, timeout } from '@lambdakit/core';
import { gatewayTimeout, HttpError, http, json, stream, streaming } from '@lambdakit/http';
import { idempotentRoute } from '@lambdakit/http/idempotency';
import { dynamoDbStore, type IdempotencyStore, memoryStore } from '@lambdakit/idempotency';
import { createLogger, type Logger, logger } from '@lambdakit/logger';
import * as z from 'zod';
import { accessLog } from './access-log.js';
import {
  demoOrders,
  type Inventory,
  memoryOrders,
  Order,
  OrderRequest,
  type OrderStore,
  simulatedInventory,
} from './orders.js';

export { type Inventory, Order, type OrderItem, OrderRequest, simulatedInventory } from './orders.js';

/** What {@link createApp} can be given instead of its defaults (tests pass their own). */
export interface OrdersApiOptions {
  /** A logger made by `createLogger()` (default: JSON lines on stdout, `service: 'orders-api'`). */
  log?: Logger;
  /** The downstream inventory (default: {@link simulatedInventory}, `SIMULATED_LATENCY_MS` slow). */
  inventory?: Inventory;
  /** Where orders are kept (default: this sandbox's memory). */
  orders?: OrderStore;
  /** Where `POST /orders` keeps its idempotency records (default: `IDEMPOTENCY_TABLE` in DynamoDB, else memory). */
  idempotency?: IdempotencyStore;
}

/** How long before Lambda's deadline to stop waiting and answer 504 instead. */
const MARGIN_MS = 500;

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  customerId: z.string().max(64).optional(),
});
const ExportQuery = z.object({ customerId: z.string().max(64).optional() });
// Orders per chunk of the export: each page read is sent before the next one is.
const EXPORT_PAGE = 100;
const OrderId = z.object({ orderId: z.string().regex(/^ord_[0-9a-f-]{36}$/, 'Expected an order id: ord_<uuid>') });

// Created once per sandbox (Lambda's init phase), shared by every invocation.
const defaultLog = createLogger({ persistentKeys: { service: 'orders-api' } });
const defaultInventory = simulatedInventory(millisecondsFrom(process.env.SIMULATED_LATENCY_MS));
const defaultOrders = memoryOrders(demoOrders(countFrom(process.env.DEMO_ORDERS)));
const table = process.env.IDEMPOTENCY_TABLE;
// A deployed function keeps its records in DynamoDB; memory serves a local run only.
const defaultIdempotency: IdempotencyStore =
  table === undefined ? memoryStore() : dynamoDbStore({ client: new DynamoDBClient({}), tableName: table });

/**
 * An orders API behind an API Gateway HTTP API: list (typed query), read, create (idempotent by
 * `Idempotency-Key`) and delete. Invalid parts get 400 problem details, a missing order 404, a
 * downstream call that outlasts the time left a 504 before Lambda's deadline, and every log line
 * carries the request id and the caller's correlation id.
 */
export function createApp(options: OrdersApiOptions = {}) {
  const { log = defaultLog, inventory = defaultInventory, orders = defaultOrders } = options;
  const base = lambda()
    // First: every line after it carries the request id and correlation id, the access log's too.
    .use(logger({ logger: log }))
    .use(accessLog())
    .use(timeout({ marginMs: MARGIN_MS, onTimeout: gatewayTimeout() }));
  const app = http(base)
    .get('/orders', { query: ListQuery, responses: { 200: z.array(Order) } }, async ({ query }) =>
      json(200, await orders.list(query.limit, query.customerId)),
    )
    // Streamed: one NDJSON chunk per page read, sent as it is read (behind `streamingHandler`).
    .get('/orders/export', { query: ExportQuery, summary: 'All orders, as NDJSON' }, ({ query }) =>
      stream(200, ndjson(orders.scan(EXPORT_PAGE, query.customerId)), 'application/x-ndjson'),
    )
    .get('/orders/:orderId', { params: OrderId, responses: { 200: Order } }, async ({ params }) => {
      const order = await orders.get(params.orderId);
      if (order === undefined) throw new HttpError(404, { detail: 'No such order.' });
      return json(200, order);
    })
    .post(
      '/orders',
      { body: OrderRequest, responses: { 201: Order } },
      idempotentRoute({ store: options.idempotency ?? defaultIdempotency }, async ({ body }, ctx) => {
        const orderId = `ord_${randomUUID()}`;
        const orderLog = ctx.log.child({ orderId });
        orderLog.info({ customerId: body.customerId, lines: body.items.length }, 'reserving stock');
        const { reservationId } = await inventory.reserve(body.items, ctx.signal);
        const order: Order = {
          ...body,
          orderId,
          status: 'confirmed',
          reservationId,
          createdAt: new Date().toISOString(),
        };
        await orders.put(order);
        orderLog.info({ reservationId }, 'order created');
        return json(201, order, { headers: { location: `/orders/${orderId}` } });
      }),
    )
    .delete('/orders/:orderId', { params: OrderId }, async ({ params }) => {
      if (!(await orders.delete(params.orderId))) throw new HttpError(404, { detail: 'No such order.' });
    });
  const handler = base.handle(app);
  return { app, handler, streamingHandler: streaming(handler) };
}

/** Each page of orders as NDJSON text: one line per order. */
async function* ndjson(pages: AsyncIterable<Order[]>): AsyncGenerator<string> {
  for await (const page of pages) yield page.map((order) => `${JSON.stringify(order)}\n`).join('');
}

const created = createApp();

/** The routes, for `lambdakit openapi dist/handler.js`. */
export const app = created.app;

/** The Lambda handler: `dist/handler.js#handler`. */
export const handler = created.handler;

/**
 * The same app as a response-streaming handler, for a function URL with invoke mode
 * `RESPONSE_STREAM`: `GET /orders/export` reaches the client page by page.
 */
export const streamingHandler = created.streamingHandler;

function countFrom(value: string | undefined): number {
  const count = Number(value);
  return Number.isInteger(count) && count > 0 ? Math.min(count, 100_000) : 0;
}

function millisecondsFrom(value: string | undefined): number {
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
