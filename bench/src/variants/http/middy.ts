// Middy: @middy/http-router dispatching to one handler per route; zod by hand in each (the
// router has no validation of its own).
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { createOrder, ListQuery, listOrders, Order, OrderId, readOrder } from './routes.js';

interface V2Event {
  body?: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}

const reply = (statusCode: number, body: unknown) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const invalid = (issues: unknown) => reply(400, { title: 'Bad Request', issues });

const routes = [
  {
    method: 'GET' as const,
    path: '/orders/{orderId}',
    handler: middy(async (event: V2Event) => {
      const parsed = OrderId.safeParse(event.pathParameters ?? {});
      return parsed.success ? reply(200, readOrder(parsed.data.orderId)) : invalid(parsed.error.issues);
    }),
  },
  {
    method: 'GET' as const,
    path: '/orders',
    handler: middy(async (event: V2Event) => {
      const parsed = ListQuery.safeParse(event.queryStringParameters ?? {});
      return parsed.success ? reply(200, listOrders(parsed.data.limit)) : invalid(parsed.error.issues);
    }),
  },
  {
    method: 'POST' as const,
    path: '/orders',
    handler: middy(async (event: V2Event) => {
      let body: unknown;
      try {
        body = JSON.parse(event.body ?? '');
      } catch {
        return invalid([{ path: ['body'], message: 'Invalid JSON' }]);
      }
      const parsed = Order.safeParse(body);
      return parsed.success ? reply(201, createOrder(parsed.data)) : invalid(parsed.error.issues);
    }),
  },
];

export const handler = middy().handler(httpRouterHandler(routes as never) as never);
