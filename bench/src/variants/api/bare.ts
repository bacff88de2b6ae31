// Bare: no framework. JSON.parse + zod + a pino child logger + hand-written memoized SSM config.
import type { LambdaContext } from '@lambdakit/core';
import { pino } from 'pino';
import { badRequest, type HttpResult, Order, placeOrder } from '../order.js';
import { settings } from './ssm-settings.js';

const log = pino();

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
