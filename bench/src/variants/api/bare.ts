// Bare: no framework. JSON.parse + zod + a pino child logger + hand-written memoized SSM config.
import type { LambdaContext } from '@lambdakit/core';
import { pino } from 'pino';
import { badRequest, type HttpResult, Order, placeOrder } from '../order.js';
import { settings } from './ssm-settings.js';

// A synchronous destination, as lambdakit's logger writes: every line is out before the handler
// returns (Lambda may freeze the sandbox right after). pino()'s default destination writes
// asynchronously, so in a loop that never yields to the event loop it would only buffer lines
// (the heap grew by one line per invocation) and move the write(2) to libuv's thread pool.
const log = pino(pino.destination({ dest: 1, sync: true }));

/** The order handler, written by hand. */
export async function handler(event: { body?: string }, context: LambdaContext): Promise<HttpResult> {
  const config = await settings();
  const requestLog = log.child({ requestId: context.awsRequestId });
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    return badRequest('body is not JSON');
  }
  const parsed = Order.safeParse(body);
  if (!parsed.success) return badRequest(parsed.error.issues);
  const result = placeOrder(parsed.data, config);
  requestLog.info({ orderId: parsed.data.orderId, statusCode: result.statusCode }, 'order handled');
  return result;
}
