// Middy: @middy/http-router dispatching to one handler per route; zod by hand in each (the
// router has no validation of its own).
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import { createFromBody, invalid, ListQuery, listOrders, OrderId, readOrder, reply } from './routes.js';

interface V2Event {
  body?: string;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}

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
      return createFromBody(event.body);
    }),
  },
];

export const handler = middy().handler(httpRouterHandler(routes as never) as never);
