// The "core" stack: the order logic (JSON.parse + zod + a pino line) written once, so the
// core variants differ only in what wraps it: nothing, lambda(), lambda()+timeout() or Middy.
import type { LambdaContext } from '@lambdakit/core';
import { pino } from 'pino';
import { badRequest, defaultSettings, type HttpResult, Order, placeOrder } from '../order.js';

// Writes to stdout (fd 1), which the bench points at /dev/null for every variant.
const log = pino();

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
