// lambdakit: `http()` as the business logic of `lambda()`; each part validated by its schema.
import { lambda } from '@lambdakit/core';
import { http, json } from '@lambdakit/http';
import { createOrder, ListQuery, listOrders, Order, OrderId, readOrder } from './routes.js';

const app = http()
  .get('/orders/:orderId', { params: OrderId }, ({ params }) => json(200, readOrder(params.orderId)))
  .get('/orders', { query: ListQuery }, ({ query }) => json(200, listOrders(query.limit)))
  .post('/orders', { body: Order }, ({ body }) => json(201, createOrder(body)));

export const handler = lambda().handle(app);
