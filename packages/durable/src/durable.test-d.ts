import type {
  DurableExecutionInvocationOutput,
  DurableLambdaHandler,
  DurablePromise,
} from '@aws/durable-execution-sdk-js';
import { type LambdaContext, lambda } from '@lambdakit/core';
import { type Logger, logger } from '@lambdakit/logger';
import { type Metrics, metrics } from '@lambdakit/metrics';
import { parse } from '@lambdakit/parser';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { durable } from './index.js';

const Order = z.object({ orderId: z.string(), total: z.number() });

describe('durable() types', () => {
  it('gives the logic the chain event and ctx with the durable context on it', () => {
    const handler = lambda()
      .use(logger())
      .use(metrics({ namespace: 'Shop' }))
      .use(parse(Order))
      .handle(
        durable(async (order, ctx) => {
          expectTypeOf(order).toEqualTypeOf<{ orderId: string; total: number }>();
          expectTypeOf(ctx.log).toEqualTypeOf<Logger>();
          expectTypeOf(ctx.metrics).toEqualTypeOf<Metrics>();
          expectTypeOf(ctx.durableExecutionArn).toBeString();
          expectTypeOf(ctx.replaying).toBeBoolean();
          expectTypeOf(ctx.lambdaContext).toEqualTypeOf<LambdaContext>();
          expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
          const reserved = ctx.step('reserve', async (step) => {
            expectTypeOf(step.attempt).toBeNumber();
            return { reservationId: 'r-1' };
          });
          expectTypeOf(reserved).toEqualTypeOf<DurablePromise<{ reservationId: string }>>();
          expectTypeOf(await ctx.waitForCallback('payment', async () => {})).toBeString();
          expectTypeOf(ctx.wait).toBeFunction();
          // lambdakit wires the SDK's logger to ctx.log: not the user's to replace.
          expectTypeOf(ctx).not.toHaveProperty('configureLogger');
          return { charged: order.total };
        }),
      );
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<DurableExecutionInvocationOutput>();
    // What Lambda, and AWS's local runner (`handlerFunction`), call it as.
    expectTypeOf(handler).toExtend<DurableLambdaHandler>();
  });

  it('refuses logic that is not async', () => {
    // @ts-expect-error a durable logic returns a promise
    durable(() => 1);
  });
});
