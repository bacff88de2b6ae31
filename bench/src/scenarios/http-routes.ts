// Issue 24: per-request cost of routing and validation, lambdakit's `http()` beside Middy's
// http-router, Powertools' event handler and Hono's Lambda adapter on the same three routes,
// with a hand-written switch as the floor.
import { fileURLToPath } from 'node:url';
import { missing } from '../lib/available.js';
import { apigwV2Event, contexts, orderBody } from '../lib/events.js';
import { type Contender, cycle } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { isolatedChild, warmTables } from '../lib/warm.js';

const variants = [
  { id: 'bare', label: 'hand-written: a switch on method and path, `JSON.parse` + zod by hand' },
  { id: 'lambdakit', label: 'lambdakit `http()` on `lambda()`: params, query and body schemas per route' },
  { id: 'middy', label: 'Middy `@middy/http-router`, zod by hand in each route' },
  { id: 'powertools', label: 'Powertools event handler `Router`, `validation` per route' },
  { id: 'hono', label: 'Hono `handle(app)` from `hono/aws-lambda`, zod by hand in each route' },
];

/** An HTTP API (payload 2.0) request for `method url`, on the bench's usual event. */
function request(method: string, url: string, body?: string): Record<string, unknown> {
  const [path, query = ''] = url.split('?') as [string, string?];
  const event = apigwV2Event(body ?? '');
  const rc = event.requestContext as Record<string, any>;
  rc.http = { ...rc.http, method, path };
  event.routeKey = rc.routeKey = `${method} ${path.startsWith('/orders/') ? '/orders/{orderId}' : path}`;
  event.rawPath = path;
  event.rawQueryString = query;
  // What API Gateway fills in for a route with parameters, which Middy's router reads.
  if (path.startsWith('/orders/')) event.pathParameters = { orderId: path.slice('/orders/'.length) };
  if (query !== '') event.queryStringParameters = Object.fromEntries(new URLSearchParams(query));
  if (body === undefined) delete event.body;
  return event;
}

/** The three routes in turn, each request a distinct object. */
const requests = () =>
  Array.from({ length: 30 }, (_, i) =>
    i % 3 === 0
      ? request('GET', `/orders/o-${i}`)
      : i % 3 === 1
        ? request('GET', `/orders?limit=${1 + (i % 50)}`)
        : request('POST', '/orders', orderBody(`o-${i}`)),
  );

const expected = [200, 200, 201];

async function contenderFor(id: string): Promise<Contender> {
  const { handler } = (await import(`../variants/http/${id}.js`)) as {
    handler: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
  };
  const events = requests();
  const ctxs = contexts(64);
  // Each variant must answer the same: a misrouted or refused request would time the wrong work.
  for (let i = 0; i < 3; i++) {
    const { statusCode } = await handler(events[i], ctxs[i]);
    if (statusCode !== expected[i]) throw new Error(`http-routes ${id}: request ${i} answered ${statusCode}`);
  }
  const nextEvent = cycle(events);
  const nextContext = cycle(ctxs);
  return { name: id, run: () => handler(nextEvent(), nextContext()) };
}

if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const absent = await missing([
      '@lambdakit/http',
      '@middy/http-router',
      '@aws-lambda-powertools/event-handler/http',
      'hono',
    ]);
    const base = {
      id: 'http-routes',
      title: 'HTTP routes: routing and validation per request (issue 24)',
      measures:
        'An API Gateway HTTP API (payload 2.0) request to one of three routes in turn: `GET /orders/:orderId` (path ' +
        'parameter checked), `GET /orders?limit=n` (query coerced and checked), `POST /orders` (the API stack’s order ' +
        'JSON, ~300 bytes, checked), each answered with a small JSON body; the same zod schemas everywhere. Aim (issue ' +
        '24): lambdakit the cheapest of lambdakit, Middy, Powertools and Hono.',
      notes: [] as string[],
      awaiting: absent.map((a) => `http-routes needs ${a}`),
    };
    if (absent.length > 0) return { ...base, tables: [] };
    const table = await warmTables({
      self: fileURLToPath(import.meta.url),
      title: 'One request to one of three routes',
      variants,
      baseline: 'bare',
      references: ['powertools', 'middy', 'hono'],
      contenderFor,
      env: {},
    });
    const against = (ref: string, name: string) => ({
      key: `http-routes-vs-${ref}`,
      label: `HTTP routes, routing + validation (vs ${name})`,
      against: name,
      aim: 1,
      lambdakit: table.ratio('lambdakit', ref),
      ...(ref === 'powertools' ? { powertools: 1 } : {}),
      ...(ref === 'middy' ? { middy: 1 } : {}),
    });
    const aims = [against('powertools', 'Powertools'), against('middy', 'Middy'), against('hono', 'Hono')];
    return { ...base, tables: [table], aims };
  });
}
