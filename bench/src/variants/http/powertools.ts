// Powertools: the event handler's HTTP Router, each route with its `validation` (Standard Schema: zod).
import { Router } from '@aws-lambda-powertools/event-handler/http';
import type { Context } from 'aws-lambda';
import { createOrder, ListQuery, listOrders, Order, OrderId, readOrder } from './routes.js';

const app = new Router();
app.get('/orders/:orderId', (reqCtx) => readOrder(reqCtx.valid.req.path.orderId), {
  validation: { req: { path: OrderId } },
});
app.get('/orders', (reqCtx) => listOrders(reqCtx.valid.req.query.limit), { validation: { req: { query: ListQuery } } });
app.post('/orders', (reqCtx) => ({ statusCode: 201, body: createOrder(reqCtx.valid.req.body) }), {
  validation: { req: { body: Order } },
});

export const handler = (event: unknown, context: Context) => app.resolve(event, context);
