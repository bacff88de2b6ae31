// Powertools' API stack (powertools-parts) with its tracer: `captureLambdaHandler` first on Middy,
// as Powertools documents it, and the business logic in two subsegments. The X-Ray SDK under it
// sends each closed subsegment to `AWS_XRAY_DAEMON_ADDRESS` over UDP, where the bench listens.
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type HttpResult, type Order, placeOrder } from '../order.js';
import { logger, loggerMiddleware, orderParameters, parserMiddleware, settingsFrom } from './powertools-parts.js';

const tracer = new Tracer({ serviceName: 'orders' });

/** Runs `fn` in a subsegment of the current segment, the way Powertools' docs open and close one by hand. */
function inSubsegment<T>(name: string, fn: () => T): T {
  const parent = tracer.getSegment();
  const subsegment = parent?.addNewSubsegment(name);
  if (subsegment !== undefined) tracer.setSegment(subsegment);
  try {
    return fn();
  } finally {
    subsegment?.close();
    if (parent !== undefined) tracer.setSegment(parent);
  }
}

/** The same order logic as `orderHandler`, in two subsegments. */
async function tracedOrderHandler(order: Order, _context: Context): Promise<HttpResult> {
  const settings = settingsFrom(await orderParameters());
  const result = inSubsegment('### place order', () => placeOrder(order, settings));
  inSubsegment('### log outcome', () =>
    logger.info('order handled', { orderId: order.orderId, statusCode: result.statusCode }),
  );
  return result;
}

/** Powertools tracer + logger + parser + parameters on Middy. */
export const handler = middy(tracedOrderHandler)
  .use(captureLambdaHandler(tracer))
  .use(loggerMiddleware)
  .use(parserMiddleware);
