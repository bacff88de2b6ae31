// The business logic every variant runs: an API Gateway HTTP API (payload v2) order handler.
// Only the wrapping differs between variants; this module is shared so the work is identical.
import { z } from 'zod';

/** The order a client POSTs. */
export const Order = z.object({
  orderId: z.string().min(1).max(64),
  customerId: z.string().min(1).max(64),
  currency: z.enum(['EUR', 'USD', 'GBP']),
  items: z
    .array(
      z.object({
        sku: z.string().min(1).max(32),
        quantity: z.number().int().positive(),
        unitPriceCents: z.number().int().nonnegative(),
      }),
    )
    .min(1)
    .max(100),
  note: z.string().max(500).optional(),
});
/** A parsed order. */
export type Order = z.infer<typeof Order>;

/** The function's configuration (from SSM in the "api" stack, a constant in the "core" stack). */
export const Settings = z.object({
  maxItems: z.coerce.number().int().positive(),
  currency: z.string().min(3).max(3),
});
/** Parsed settings. */
export type Settings = z.infer<typeof Settings>;

/** Settings used where no configuration store is involved. */
export const defaultSettings: Settings = { maxItems: 50, currency: 'EUR' };

/** The SSM parameters every "api" variant reads: `{prefix}/{functionName}/…` as @lambdakit/config lays them out. */
export const ssmParameters = [
  { name: '/lambdakit/orders/maxItems', value: '50' },
  { name: '/lambdakit/orders/currency', value: 'EUR' },
] as const;
/** The SSM path holding the function's parameters. */
export const ssmPath = '/lambdakit/orders/';

/** The function's secret in Secrets Manager, as `@lambdakit/config`'s `secrets()` lays it out: `{prefix}/{functionName}`. */
export const secretName = '/lambdakit/orders';
/** Its value: a JSON object. */
export const secretValue = {
  apiKey: 'ak_live_0123456789abcdef',
  db: { user: 'app', password: 'hunter2-rotated-0001' },
};
/** The secret's schema. */
export const Secret = z.object({
  apiKey: z.string().min(16),
  db: z.object({ user: z.string(), password: z.string().min(8) }),
});
/** The parsed secret. */
export type Secret = z.infer<typeof Secret>;

/** An HTTP API response. */
export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const json = { 'content-type': 'application/json' };

/** The order's total in cents. */
export function orderTotal(order: Order): number {
  let total = 0;
  for (const item of order.items) total += item.quantity * item.unitPriceCents;
  return total;
}

/** Accepts or rejects a parsed order. */
export function placeOrder(order: Order, settings: Settings): HttpResult {
  if (order.items.length > settings.maxItems) {
    return { statusCode: 422, headers: json, body: JSON.stringify({ error: 'too many items' }) };
  }
  return {
    statusCode: 200,
    headers: json,
    body: JSON.stringify({ orderId: order.orderId, totalCents: orderTotal(order), accepted: true }),
  };
}

/** The response for a body that is not JSON or not an order (same shape in hand-written variants). */
export function badRequest(issues: unknown): HttpResult {
  return { statusCode: 400, headers: json, body: JSON.stringify({ error: 'invalid order', issues }) };
}
