import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { lambda, timeout } from '@lambdakit/core';
import { createLogger, type Logger, logger } from '@lambdakit/logger';
import { apigwHttp, parse } from '@lambdakit/parser';
import * as z from 'zod';
import { accessLog } from './access-log.js';

/** The body of `POST /orders`. Built once, at module scope: schemas are never rebuilt per request. */
export const OrderRequest = z.object({
  customerId: z.string().min(1).max(64),
  items: z
    .array(
      z.object({
        sku: z.string().regex(/^[A-Z0-9-]{3,32}$/, 'Expected an SKU: 3 to 32 capital letters, digits or dashes'),
        quantity: z.number().int().positive().max(100),
      }),
    )
    .min(1)
    .max(50),
});

/** A validated order request. */
export type OrderRequest = z.output<typeof OrderRequest>;

/** One line of an order. */
export type OrderItem = OrderRequest['items'][number];

/** The order as created: the body of the 201 response. */
export interface Order {
  orderId: string;
  status: 'confirmed';
  customerId: string;
  items: OrderItem[];
  reservationId: string;
  createdAt: string;
}

/** An HTTP API (payload v2) response with a JSON body. */
export interface JsonResponse<Status extends number> {
  statusCode: Status;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

/** The downstream service this function depends on: it reserves stock for an order's lines. */
export interface Inventory {
  /** Reserves every line or none; gives up when `signal` aborts, as `fetch(url, { signal })` does. */
  reserve(items: readonly OrderItem[], signal: AbortSignal): Promise<{ reservationId: string }>;
}

/**
 * A stand-in for a real inventory service that answers after `latencyMs`. Replace it with your
 * own client, passing `signal` on to it (`fetch`, AWS SDK v3 `send(command, { abortSignal })`).
 */
export function simulatedInventory(latencyMs: number): Inventory {
  return {
    async reserve(_items, signal) {
      // An aborted wait rejects with an AbortError; lambdakit reports it as the timeout it is.
      await sleep(latencyMs, undefined, { signal });
      return { reservationId: `rsv_${randomUUID()}` };
    },
  };
}

/** What {@link createHandler} can be given instead of its defaults (tests pass their own). */
export interface OrdersApiOptions {
  /** A logger made by `createLogger()` (default: JSON lines on stdout, `service: 'orders-api'`). */
  log?: Logger;
  /** The downstream inventory (default: {@link simulatedInventory}, `SIMULATED_LATENCY_MS` slow). */
  inventory?: Inventory;
}

/** How long before Lambda's deadline to stop waiting and answer 504 instead. */
const MARGIN_MS = 500;

// Created once per sandbox (Lambda's init phase), shared by every invocation.
const defaultLog = createLogger({ persistentKeys: { service: 'orders-api' } });
const defaultInventory = simulatedInventory(millisecondsFrom(process.env.SIMULATED_LATENCY_MS));

/**
 * `POST /orders` behind an API Gateway HTTP API (payload v2): an invalid body gets the parser's
 * 400 problem details, a downstream call that outlasts the time left gets a 504 before Lambda's
 * deadline, and every log line carries the request id and the caller's correlation id.
 */
export function createHandler(options: OrdersApiOptions = {}) {
  const { log = defaultLog, inventory = defaultInventory } = options;
  return (
    lambda()
      // First: every line after it carries the request id and correlation id, the access log's too.
      .use(logger({ logger: log }))
      .use(accessLog())
      .use(timeout({ marginMs: MARGIN_MS, onTimeout: gatewayTimeout }))
      .use(parse(apigwHttp(OrderRequest)))
      .handle(async (event, ctx): Promise<JsonResponse<201>> => {
        const { customerId, items } = event.body;
        const orderId = `ord_${randomUUID()}`;
        const orderLog = ctx.log.child({ orderId });
        orderLog.info({ customerId, lines: items.length }, 'reserving stock');
        const { reservationId } = await inventory.reserve(items, ctx.signal);
        const order: Order = {
          orderId,
          status: 'confirmed',
          customerId,
          items,
          reservationId,
          createdAt: new Date().toISOString(),
        };
        orderLog.info({ reservationId }, 'order created');
        return json(201, order, { location: `/orders/${orderId}` });
      })
  );
}

/** The Lambda handler: `dist/handler.js#handler`. */
export const handler = createHandler();

/**
 * The answer when the order is not confirmed before the deadline: problem details, like the
 * parser's 400. Without `onTimeout`, the `TimeoutError` would fail the invocation and the caller
 * would get API Gateway's generic 500.
 */
function gatewayTimeout(): JsonResponse<504> {
  return {
    statusCode: 504,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      type: 'about:blank',
      title: 'Gateway Timeout',
      status: 504,
      detail: 'The order could not be confirmed in time. Try again later.',
    }),
    isBase64Encoded: false,
  };
}

function json<Status extends number>(
  statusCode: Status,
  body: unknown,
  headers: Record<string, string> = {},
): JsonResponse<Status> {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

function millisecondsFrom(value: string | undefined): number {
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
