// Hono: its AWS Lambda adapter (`hono/aws-lambda`), zod by hand in each route.
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { createOrder, ListQuery, listOrders, Order, OrderId, readOrder } from './routes.js';

const app = new Hono();
app.get('/orders/:orderId', (c) => {
  const parsed = OrderId.safeParse(c.req.param());
  return parsed.success ? c.json(readOrder(parsed.data.orderId)) : c.json({ issues: parsed.error.issues }, 400);
});
app.get('/orders', (c) => {
  const parsed = ListQuery.safeParse(c.req.query());
  return parsed.success ? c.json(listOrders(parsed.data.limit)) : c.json({ issues: parsed.error.issues }, 400);
});
app.post('/orders', async (c) => {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.json({ issues: [{ path: ['body'], message: 'Invalid JSON' }] }, 400);
  }
  const parsed = Order.safeParse(body);
  return parsed.success ? c.json(createOrder(parsed.data), 201) : c.json({ issues: parsed.error.issues }, 400);
});

export const handler = handle(app);
