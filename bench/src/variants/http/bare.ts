// Hand-written: a switch on method and path, JSON.parse and zod by hand, a 400 with the issues.
import { createFromBody, invalid, ListQuery, listOrders, OrderId, readOrder, reply } from './routes.js';

interface V2Event {
  rawPath: string;
  rawQueryString: string;
  body?: string;
  requestContext: { http: { method: string } };
}

export const handler = async (event: V2Event) => {
  const method = event.requestContext.http.method;
  const path = event.rawPath;
  if (path === '/orders') {
    if (method === 'GET') {
      const query = Object.fromEntries(new URLSearchParams(event.rawQueryString));
      const parsed = ListQuery.safeParse(query);
      return parsed.success ? reply(200, listOrders(parsed.data.limit)) : invalid(parsed.error.issues);
    }
    if (method === 'POST') {
      return createFromBody(event.body);
    }
    return reply(405, { title: 'Method Not Allowed' });
  }
  const match = /^\/orders\/([^/]+)$/.exec(path);
  if (match !== null && method === 'GET') {
    const parsed = OrderId.safeParse({ orderId: decodeURIComponent(match[1]!) });
    return parsed.success ? reply(200, readOrder(parsed.data.orderId)) : invalid(parsed.error.issues);
  }
  return reply(404, { title: 'Not Found' });
};
