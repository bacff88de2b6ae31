import { type InvocationContext, lambda, type Middleware, timeout } from '@lambdakit/core';
import { describe, expectTypeOf, it } from 'vitest';
import { createLogger, type Logger, logger } from './index.js';

interface Order {
  id: string;
}
declare const parseOrder: Middleware<unknown, Order>;

describe('logger() types', () => {
  it('is a middleware adding `log: Logger` to ctx, leaving the event unchanged', () => {
    expectTypeOf(logger()).toEqualTypeOf<Middleware<unknown, unknown, { log: Logger }>>();
  });

  it('types ctx.log as a Logger through lambda(), alongside the other middlewares', () => {
    lambda()
      .use(logger({ level: 'debug', buffer: true }))
      .use(parseOrder)
      .use(timeout({ marginMs: 100 }))
      .handle(async (event, ctx) => {
        expectTypeOf(ctx.log).toEqualTypeOf<Logger>();
        expectTypeOf(event).toEqualTypeOf<Order>();
        expectTypeOf(ctx).toExtend<InvocationContext>();
        expectTypeOf(ctx.log.child({ recordId: event.id })).toEqualTypeOf<Logger>();
        ctx.log.info({ orderId: event.id }, 'placed');
        return event.id;
      });
  });

  it('has no ctx.log without the middleware', () => {
    lambda().handle((_event, ctx) => {
      // @ts-expect-error no middleware added `log`
      ctx.log;
    });
  });

  it('accepts a logger from createLogger() instead of options, not both', () => {
    logger({ logger: createLogger() });
    // @ts-expect-error a level needs a name pino knows
    logger({ level: 'verbose' });
    expectTypeOf(createLogger).parameter(0).toEqualTypeOf<Parameters<typeof createLogger>[0]>();
  });
});
