// The "core" stack: the order logic (JSON.parse + zod + a pino line) written once, so the
// core variants differ only in what wraps it: nothing, lambda(), lambda()+timeout() or Middy.
import type { LambdaContext } from '@lambdakit/core';
import { pino } from 'pino';
import { badRequest, defaultSettings, type HttpResult, Order, placeOrder } from '../order.js';

// Writes to stdout (fd 1), which the bench points at /dev/null for every variant.
// A synchronous destination, as lambdakit's logger writes: every line is out before the handler
// returns (Lambda may freeze the sandbox right after). pino()'s default destination writes
// asynchronously, so in a loop that never yields to the event loop it would only buffer lines
// (the heap grew by one line per invocation) and move the write(2) to libuv's thread pool.
const log = pino(pino.destination({ dest: 1, sync: true }));

/** Parses, validates, logs one line and answers: the same work in every core variant. */
export async function orderLogic(event: { body?: string }, context: LambdaContext): Promise<HttpResult> {
  const requestLog = log.child({ requestId: context.awsRequestId });
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    return badRequest('body is not JSON');
  }
  const parsed = Order.safeParse(body);
  if (!parsed.success) return badRequest(parsed.error.issues);
  const result = placeOrder(parsed.data, defaultSettings);
  requestLog.info({ orderId: parsed.data.orderId, statusCode: result.statusCode }, 'order handled');
  return result;
}
