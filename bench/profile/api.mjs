// [BENCH_LOGGER=pino] node [--cpu-prof] bench/profile/api.mjs <bare|lambdakit|lambdakit-trust|lambdakit-no-envelope> [seconds] [in flight]: issue 10's full
// stack against a local SSM server, plain node on the built dist. `lambdakit-no-envelope` swaps
// parse(apigwHttp(Order)) for a middleware doing what bare does (JSON.parse + Order), to size the envelope's share.
import { randomUUID } from 'node:crypto';
import { startLocalSsm } from '@lambdakit/testing';

const ssm = await startLocalSsm({
  region: 'eu-west-1',
  parameters: { '/lambdakit/orders/maxItems': '50', '/lambdakit/orders/currency': 'EUR' },
});
// A fourth argument runs that many invocations in flight, as the concurrency scenario does: with
// AWS_LAMBDA_MAX_CONCURRENCY set (read at import) and each invocation inside @aws/lambda-invoke-store.
const inFlight = Number(process.argv[4] ?? 0);
if (inFlight > 0) process.env.AWS_LAMBDA_MAX_CONCURRENCY = '64';
Object.assign(process.env, {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  AWS_LAMBDA_FUNCTION_NAME: 'orders',
  AWS_ENDPOINT_URL_SSM: ssm.endpoint,
});
const { z } = await import('zod');
const { pino } = await import('pino');
const { lambda, timeout } = await import('@lambdakit/core');
const { logger } = await import('@lambdakit/logger');
const { apigwHttp, parse } = await import('@lambdakit/parser');
const { config } = await import('@lambdakit/config');
const { createContext } = await import('@lambdakit/testing');
const { GetParametersByPathCommand, SSMClient } = await import('@aws-sdk/client-ssm');
const { Order } = await import('./data.mjs');

const Settings = z.object({ maxItems: z.coerce.number().int().positive(), currency: z.string().min(3).max(3) });
const json = { 'content-type': 'application/json' };
const placeOrder = (order, settings) => {
  if (order.items.length > settings.maxItems) return { statusCode: 422, headers: json, body: '{}' };
  let total = 0;
  for (const item of order.items) total += item.quantity * item.unitPriceCents;
  return {
    statusCode: 200,
    headers: json,
    body: JSON.stringify({ orderId: order.orderId, totalCents: total, accepted: true }),
  };
};

const which = process.argv[2] ?? 'lambdakit';
let handler;
if (which === 'bare') {
  const log = pino(pino.destination({ dest: 1, sync: true })); // synchronous, as lambdakit's logger writes
  const client = new SSMClient({});
  const pending = client
    .send(new GetParametersByPathCommand({ Path: '/lambdakit/orders/', Recursive: true }))
    .then((page) => Settings.parse(Object.fromEntries(page.Parameters.map((p) => [p.Name.slice(18), p.Value]))));
  handler = async (event, context) => {
    const settings = await pending;
    const requestLog = log.child({ requestId: context.awsRequestId });
    const parsed = Order.safeParse(JSON.parse(event.body ?? ''));
    if (!parsed.success) return { statusCode: 400 };
    const result = placeOrder(parsed.data, settings);
    requestLog.info({ orderId: parsed.data.orderId, statusCode: result.statusCode }, 'order handled');
    return result;
  };
} else {
  const body =
    which === 'lambdakit'
      ? parse(apigwHttp(Order))
      : which === 'lambdakit-trust'
        ? parse(apigwHttp(Order, { envelope: 'trust' }))
        : {
            name: 'body',
            before: (request) => {
              request.event = { body: Order.parse(JSON.parse(request.event.body)) };
            },
          };
  // BENCH_LOGGER=pino: ctx.log is a raw pino child `{ requestId }` (as bare's), to size the logger's share.
  const rawLog = pino(pino.destination({ dest: 1, sync: true }));
  const log =
    process.env.BENCH_LOGGER === 'pino'
      ? {
          name: 'pino',
          before: (request) => {
            request.context.log = rawLog.child({ requestId: request.context.awsRequestId });
          },
        }
      : logger();
  handler = lambda()
    .use(log)
    .use(timeout({ marginMs: 500 }))
    .use(body)
    .use(config({ schema: Settings, maxAgeSeconds: 900 }))
    .handle(async (event, ctx) => {
      const result = placeOrder(event.body, ctx.config);
      ctx.log.info({ orderId: event.body.orderId, statusCode: result.statusCode }, 'order handled');
      return result;
    });
}
const text = (i) =>
  JSON.stringify({
    orderId: `o-${i}`,
    customerId: 'c-2048',
    currency: 'EUR',
    items: [0, 1, 2].map((k) => ({ sku: `SKU-${100 + k}`, quantity: 1 + k, unitPriceCents: 1299 })),
    note: 'leave at the door',
  });
const events = Array.from({ length: 64 }, (_, i) => ({
  version: '2.0',
  routeKey: 'POST /orders',
  rawPath: '/orders',
  rawQueryString: '',
  cookies: ['session=abc123'],
  headers: {
    accept: 'application/json',
    'content-type': 'application/json',
    host: 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'bench/1.0',
    'x-amzn-trace-id': 'Root=1-65f0a1b2-0123456789abcdef01234567',
    'x-forwarded-for': '203.0.113.7',
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  },
  requestContext: {
    accountId: '123456789012',
    apiId: 'abcdef1234',
    domainName: 'abcdef1234.execute-api.eu-west-1.amazonaws.com',
    domainPrefix: 'abcdef1234',
    http: { method: 'POST', path: '/orders', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench/1.0' },
    requestId: randomUUID(),
    routeKey: 'POST /orders',
    stage: '$default',
    time: '12/Mar/2025:19:03:58 +0000',
    timeEpoch: 1741806238000,
  },
  body: text(i),
  isBase64Encoded: false,
}));
const ctxs = Array.from({ length: 256 }, () =>
  createContext({ functionName: 'orders', timeoutMs: 900_000, region: 'eu-west-1' }),
);
const first = await handler(events[0], ctxs[0]);
if (first.statusCode !== 200) throw new Error(`${which}: ${JSON.stringify(first)}`);
const seconds = Number(process.argv[3] ?? 5);
let n = 0;
const end = performance.now() + seconds * 1000;
const t0 = performance.now();
if (inFlight > 0) {
  const { InvokeStore } = await import('@aws/lambda-invoke-store');
  const store = await InvokeStore.getInstanceAsync();
  const requestIdKey = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
  const worker = async () => {
    while (performance.now() < end) {
      for (let k = 0; k < 20; k++) {
        const i = n++;
        const ctx = ctxs[i & 255];
        await store.run({ [requestIdKey]: ctx.awsRequestId }, () => handler(events[i & 63], ctx));
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
} else {
  while (performance.now() < end) for (let k = 0; k < 100; k++, n++) await handler(events[n & 63], ctxs[n & 255]);
}
const mode = inFlight > 0 ? `, ${inFlight} in flight` : '';
process.stderr.write(
  `${which}${mode}: ${(((performance.now() - t0) * 1000) / n).toFixed(2)} µs per invocation over ${n}\n`,
);
await ssm.close();
