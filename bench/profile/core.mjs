// node [--cpu-prof] core.mjs <bare|lambda|lambda+timeout|middy> [seconds]: the core-overhead variants, plain node, built dist.
import { randomUUID } from 'node:crypto';
import { lambda, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import middy from '@middy/core';
import { pino } from 'pino';

const { Order } = await import('./data.mjs');
const log = pino(pino.destination({ dest: 1, sync: true })); // synchronous, as lambdakit's logger writes
const json = { 'content-type': 'application/json' };
async function orderLogic(event, context) {
  const requestLog = log.child({ requestId: context.awsRequestId });
  let body;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    return { statusCode: 400 };
  }
  const parsed = Order.safeParse(body);
  if (!parsed.success) return { statusCode: 400 };
  let total = 0;
  for (const item of parsed.data.items) total += item.quantity * item.unitPriceCents;
  const result = {
    statusCode: 200,
    headers: json,
    body: JSON.stringify({ orderId: parsed.data.orderId, totalCents: total, accepted: true }),
  };
  requestLog.info({ orderId: parsed.data.orderId, statusCode: result.statusCode }, 'order handled');
  return result;
}
const which = process.argv[2] ?? 'lambda+timeout';
const seconds = Number(process.argv[3] ?? 5);
const handler =
  which === 'bare'
    ? orderLogic
    : which === 'lambda'
      ? lambda().handle((e, ctx) => orderLogic(e, ctx))
      : which === 'lambda+timeout'
        ? lambda()
            .use(timeout({ marginMs: 500 }))
            .handle((e, ctx) => orderLogic(e, ctx))
        : middy(orderLogic);
const events = Array.from({ length: 64 }, (_, i) => ({
  requestContext: { requestId: randomUUID() },
  body: JSON.stringify({
    orderId: `o-${i}`,
    customerId: 'c-2048',
    currency: 'EUR',
    items: [0, 1, 2].map((k) => ({ sku: `SKU-${100 + k}`, quantity: 1 + k, unitPriceCents: 1299 })),
    note: 'leave at the door',
  }),
}));
const ctxs = Array.from({ length: 256 }, () =>
  createContext({ functionName: 'orders', timeoutMs: 900_000, region: 'eu-west-1' }),
);
let n = 0;
const end = performance.now() + seconds * 1000;
const t0 = performance.now();
while (performance.now() < end) for (let k = 0; k < 100; k++, n++) await handler(events[n & 63], ctxs[n & 255]);
process.stderr.write(`${which}: ${(((performance.now() - t0) * 1000) / n).toFixed(2)} µs per invocation over ${n}\n`);
