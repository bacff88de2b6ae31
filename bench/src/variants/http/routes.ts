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
