// Middy: @middy/core (defaults) with small hand-written middlewares doing what the bare
// handler does inline: config, a request logger, JSON body parsing and zod validation.
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type Logger, pino } from 'pino';
import { badRequest, type HttpResult, Order, placeOrder, type Settings } from '../order.js';
import { settings } from './ssm-settings.js';

// A synchronous destination, as lambdakit's logger writes: every line is out before the handler
// returns (Lambda may freeze the sandbox right after). pino()'s default destination writes
// asynchronously, so in a loop that never yields to the event loop it would only buffer lines
// (the heap grew by one line per invocation) and move the write(2) to libuv's thread pool.
const log = pino(pino.destination({ dest: 1, sync: true }));

type Ctx = Context & { config: Settings; log: Logger };
type Mw = MiddlewareObj<any, HttpResult, Error, Ctx>;

const config: Mw = {
  before: async (request) => {
    request.context.config = await settings();
  },
};
const requestLogger: Mw = {
  before: (request) => {
    request.context.log = log.child({ requestId: request.context.awsRequestId });
  },
};
const jsonBody: Mw = {
  before: (request) => {
    try {
      request.event = { ...request.event, body: JSON.parse(request.event.body ?? '') };
    } catch {
      return badRequest('body is not JSON');
    }
  },
};
const validate: Mw = {
  before: (request) => {
    const parsed = Order.safeParse(request.event.body);
    if (!parsed.success) return badRequest(parsed.error.issues);
    request.event = parsed.data;
  },
};

/** The order handler on Middy. */
export const handler = middy<any, HttpResult, Error, Ctx>()
  .use(config)
  .use(requestLogger)
  .use(jsonBody)
  .use(validate)
  .handler(async (order: Order, context: Ctx) => {
    const result = placeOrder(order, context.config);
    context.log.info({ orderId: order.orderId, statusCode: result.statusCode }, 'order handled');
    return result;
  });
