import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';

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

/** An order as created: what `GET /orders/:id` answers. */
export const Order = OrderRequest.extend({
  orderId: z.string(),
  status: z.literal('confirmed'),
  reservationId: z.string(),
  createdAt: z.iso.datetime(),
});

/** An order. */
export type Order = z.output<typeof Order>;

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

/** Where orders are kept. */
export interface OrderStore {
  put(order: Order): Promise<void>;
  get(orderId: string): Promise<Order | undefined>;
  /** Newest first, at most `limit`. */
  list(limit: number, customerId?: string): Promise<Order[]>;
  /** False when there was no such order. */
  delete(orderId: string): Promise<boolean>;
  /** Every order (of one customer, if given), oldest first, in pages of up to `pageSize`: what an export reads. */
  scan(pageSize: number, customerId?: string): AsyncIterable<Order[]>;
}

/**
 * Orders in this sandbox's memory: a stand-in for your table (each Lambda sandbox has its own
 * memory, so a deployed function keeps its orders in DynamoDB or a database).
 */
export function memoryOrders(seed: readonly Order[] = []): OrderStore {
  const orders = new Map<string, Order>(seed.map((order) => [order.orderId, order]));
  return {
    async put(order) {
      orders.set(order.orderId, order);
    },
    async get(orderId) {
      return orders.get(orderId);
    },
    async list(limit, customerId) {
      return [...orders.values()]
        .filter((order) => customerId === undefined || order.customerId === customerId)
        .reverse()
        .slice(0, limit);
    },
    async delete(orderId) {
      return orders.delete(orderId);
    },
    async *scan(pageSize, customerId) {
      let page: Order[] = [];
      for (const order of orders.values()) {
        if (customerId !== undefined && order.customerId !== customerId) continue;
        page.push(order);
        if (page.length === pageSize) {
          yield page;
          page = [];
        }
      }
      if (page.length > 0) yield page;
    },
  };
}

/**
 * `count` made-up orders, for a local run of the export (`DEMO_ORDERS=250` in `events/demo.env`):
 * a fresh sandbox's memory has none.
 */
export function demoOrders(count: number): Order[] {
  return Array.from({ length: count }, (_, n) => ({
    orderId: `ord_${randomUUID()}`,
    status: 'confirmed' as const,
    customerId: `cus_demo${n % 7}`,
    items: [{ sku: 'MUG-WHT', quantity: 1 + (n % 3) }],
    reservationId: `rsv_${randomUUID()}`,
    createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
  }));
}
