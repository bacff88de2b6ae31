// The routes every HTTP-router variant serves, with the same schemas and the same work, so only
// the routing, validation and response writing differ (issue 24's bench row):
//   GET  /orders/:orderId   path parameter validated
//   GET  /orders?limit=n    query validated and coerced
//   POST /orders            JSON body validated (the API stack's Order)
import { z } from 'zod';
import { Order, type Order as OrderType } from '../order.js';

export { Order };

export const OrderId = z.object({ orderId: z.string().regex(/^o-\d{1,9}$/) });
export const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/** GET /orders/:orderId's answer. */
export const readOrder = (orderId: string) => ({ orderId, status: 'confirmed' });
/** GET /orders's answer. */
export const listOrders = (limit: number) => ({ limit, orders: [] as string[] });
/** POST /orders's answer. */
export const createOrder = (order: OrderType) => ({ orderId: order.orderId, lines: order.items.length });

/** A JSON response as API Gateway takes it, for the variants that write their own. */
export const reply = (statusCode: number, body: unknown) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
/** A 400 listing zod's issues, for the variants that write their own. */
export const invalid = (issues: unknown) => reply(400, { title: 'Bad Request', issues });

/** POST /orders's body parsed and checked by hand: its answer, 201 or 400. */
export function createFromBody(text: string | undefined) {
  let body: unknown;
  try {
    body = JSON.parse(text ?? '');
  } catch {
    return invalid([{ path: ['body'], message: 'Invalid JSON' }]);
  }
  const parsed = Order.safeParse(body);
  return parsed.success ? reply(201, createOrder(parsed.data)) : invalid(parsed.error.issues);
}
