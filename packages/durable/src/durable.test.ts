import { createRetryStrategy, JitterStrategy } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner, WaitingOperationStatus } from '@aws/durable-execution-sdk-js-testing';
import { defineMiddleware, lambda, type Middleware, TimeoutError, timeout } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import { metrics } from '@lambdakit/metrics';
import { parse } from '@lambdakit/parser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DurableError, durable } from './index.js';

const Order = z.object({ orderId: z.string(), total: z.number() });

beforeEach(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: true }));
afterEach(() => LocalDurableTestRunner.teardownTestEnvironment());

/** Every line the real logger and metrics wrote, parsed. */
function sinks() {
  const logLines: Record<string, unknown>[] = [];
  const emf: Record<string, unknown>[] = [];
  return {
    logLines,
    emf,
    log: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) },
    metrics: { write: (line: string) => void emf.push(JSON.parse(line) as Record<string, unknown>) },
    messages: () => logLines.map((line) => line.message),
  };
}

/** Runs one execution whose invocations each have 1.5 s left; what its run rejected with. */
function runWithShortDeadline(handler: (event: unknown, context: never) => Promise<unknown>): Promise<unknown> {
  const shortInvocation = (event: unknown, context: object) =>
    handler(event, { ...(context as Record<string, unknown>), getRemainingTimeInMillis: () => 1500 } as never);
  return new LocalDurableTestRunner({ handlerFunction: shortInvocation as never })
    .run({ payload: {} })
    .catch((e: unknown) => e);
}

describe('durable()', () => {
  it('runs a workflow across invocations, writing each log line and metric once', async () => {
    const out = sinks();
    let bodies = 0;
    let chargeAttempts = 0;
    const handler = lambda()
      .use(logger({ destination: out.log }))
      .use(metrics({ namespace: 'Shop', destination: out.metrics, coldStartMetric: false }))
      .handle(
        durable(async (event: unknown, ctx) => {
          bodies++;
          const order = Order.parse(event);
          ctx.log.info({ orderId: order.orderId }, 'order received');
          ctx.metrics.add('OrdersReceived', 'Count', 1);
          const reservation = await ctx.step('reserve', async () => {
            ctx.log.info('reserving');
            return `r-${order.orderId}`;
          });
          await ctx.wait('cool-off', { seconds: 30 });
          ctx.log.info({ reservation }, 'cooled off');
          const payment = await ctx.waitForCallback('payment', async () => {}, { timeout: { minutes: 5 } });
          const charged = await ctx.step(
            'charge',
            async (step) => {
              chargeAttempts++;
              ctx.log.info({ attempt: step.attempt }, 'charging');
              if (step.attempt < 3) throw new Error('card network busy');
              return order.total;
            },
            {
              retryStrategy: createRetryStrategy({
                maxAttempts: 5,
                initialDelay: { seconds: 10 },
                jitter: JitterStrategy.NONE,
              }),
            },
          );
          ctx.metrics.add('Charged', 'Count', charged);
          ctx.logger.info('shipping', { orderId: order.orderId });
          return { reservation, payment, charged };
        }),
      );

    const runner = new LocalDurableTestRunner({ handlerFunction: handler as never });
    const running = runner.run({ payload: { orderId: 'o-1', total: 42 } });
    const payment = runner.getOperation('payment');
    await payment.waitForData(WaitingOperationStatus.SUBMITTED);
    await payment.sendCallbackSuccess('paid');
    const result = await running;

    expect(result.getStatus()).toBe('SUCCEEDED');
    expect(result.getResult()).toEqual({ reservation: 'r-o-1', payment: 'paid', charged: 42 });
    // Replayed from the top in every invocation: after the wait, the callback and each retry.
    expect(bodies).toBe(result.getInvocations().length);
    expect(bodies).toBeGreaterThanOrEqual(3);
    expect(chargeAttempts).toBe(3);

    const written = out.messages().filter((message) => message !== undefined);
    expect(written.filter((msg) => msg !== 'charging')).toEqual([
      'order received',
      'reserving',
      'cooled off',
      'shipping',
    ]);
    expect(out.logLines.filter((line) => line.message === 'charging').map((line) => line.attempt)).toEqual([1, 2, 3]);
    const arns = new Set(out.logLines.map((line) => line.durableExecutionArn));
    expect(arns.size).toBe(1);
    expect([...arns][0]).toEqual(expect.any(String));
    expect(out.logLines.find((line) => line.message === 'reserving')).toMatchObject({ operationName: 'reserve' });
    expect(out.logLines.find((line) => line.message === 'charging')).toMatchObject({ operationName: 'charge' });
    expect(out.logLines.find((line) => line.message === 'shipping')).toMatchObject({ orderId: 'o-1' });

    const metricValues = (name: string) => out.emf.filter((object) => name in object).map((object) => object[name]);
    expect(metricValues('OrdersReceived')).toEqual([1]);
    expect(metricValues('Charged')).toEqual([42]);
  });

  it('gives the middlewares the payload, and ctx.replaying tells replayed code', async () => {
    const seen: boolean[] = [];
    const handler = lambda()
      .use(parse(Order))
      .handle(
        durable(async (order: z.infer<typeof Order>, ctx) => {
          seen.push(ctx.replaying);
          await ctx.wait({ seconds: 1 });
          seen.push(ctx.replaying);
          return order.total * 2;
        }),
      );
    const result = await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({
      payload: { orderId: 'o-2', total: 21 },
    });
    expect(result.getResult()).toBe(42);
    expect(seen).toEqual([false, true, false]);
  });

  it('answers FAILED when the logic throws, after writing the held-back lines and the outcome', async () => {
    const out = sinks();
    const handler = lambda()
      .use(logger({ destination: out.log, buffer: true }))
      .handle(
        durable(async (_event, ctx) => {
          ctx.log.debug('held back');
          await ctx.step(
            'refuse',
            async () => {
              throw new RangeError('out of stock');
            },
            { retryStrategy: () => ({ shouldRetry: false }) },
          );
        }),
      );
    const result = await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({ payload: {} });
    expect(result.getStatus()).toBe('FAILED');
    expect(result.getError()).toMatchObject({ errorMessage: 'out of stock', errorType: 'StepError' });
    expect(out.messages()).toContain('held back');
    expect(out.logLines.at(-1)).toMatchObject({ level: 'ERROR' });
  });

  it('times out per invocation, saying which step was running', async () => {
    const out = sinks();
    const handler = lambda()
      .use(logger({ destination: out.log }))
      .use(timeout({ marginMs: 200 }))
      .handle(
        durable(async (_event, ctx) => {
          await ctx.step('slow', () => new Promise((resolve) => ctx.signal.addEventListener('abort', resolve)));
        }),
      );
    const error = await runWithShortDeadline(handler);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).stage).toBe('handler: step "slow"');
    expect(out.logLines.at(-1)).toMatchObject({ level: 'ERROR' });
  });

  it('never completes an execution with a middleware’s early answer: the invocation fails', async () => {
    const answers: Middleware = defineMiddleware({ name: 'answers', before: () => ({ statusCode: 503 }) });
    let ran = false;
    const handler = lambda()
      .use(answers)
      .handle(
        durable(async () => {
          ran = true;
        }),
      );
    const error = await new LocalDurableTestRunner({ handlerFunction: handler as never })
      .run({ payload: {} })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DurableError', code: 'DURABLE_ANSWERED_EARLY' });
    expect((error as Error).message).toContain('{"statusCode":503}');
    expect(ran).toBe(false);
  });

  it('fails the invocation on a timeout even when onTimeout answers, and the run left behind starts nothing', async () => {
    let leftBehind: { step(name: string, fn: () => Promise<void>): PromiseLike<void> } | undefined;
    const started: string[] = [];
    const handler = lambda()
      .use(timeout({ marginMs: 200, onTimeout: () => ({ statusCode: 504 }) }))
      .handle(
        durable(async (_event, ctx) => {
          leftBehind = ctx;
          await ctx.step('slow', () => new Promise<void>(() => {})); // ignores ctx.signal
        }),
      );
    const error = await runWithShortDeadline(handler);
    expect(error).toBeInstanceOf(TimeoutError);
    // Its code goes on in the sandbox (a later invocation's time): its next operation never starts.
    let settled = false;
    void Promise.resolve(leftBehind!.step('late', async () => void started.push('late'))).then(() => {
      settled = true;
    });
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([]);
    expect(settled).toBe(false);
  });

  it('answers Lambda with the SDK’s answer when a hook fails after it, and says so', async () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const failsAfter: Middleware = defineMiddleware({
      name: 'fails-after',
      after: () => {
        throw new Error('after hook broke');
      },
    });
    const handler = lambda()
      .use(failsAfter)
      .handle(durable(async () => 'done'));
    const result = await new LocalDurableTestRunner({ handlerFunction: handler as never }).run({ payload: {} });
    expect(result.getResult()).toBe('done');
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining('after hook broke'), expect.anything());
    warnings.mockRestore();
  });

  it('refuses an event that is not a durable execution, saying where', async () => {
    const handler = lambda().handle(durable(async () => 'never'));
    const context = { awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as never;
    await expect(handler({ orderId: 'o-1' }, context)).rejects.toMatchObject({
      name: 'DurableError',
      code: 'DURABLE_NOT_A_DURABLE_EVENT',
      path: 'DurableExecutionArn',
    });
    const event = {
      DurableExecutionArn: 'arn',
      CheckpointToken: 't',
      InitialExecutionState: { Operations: [{ Type: 'EXECUTION', ExecutionDetails: { InputPayload: '{"a":' } }] },
    };
    const error = await handler(event, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DurableError);
    expect(error).toMatchObject({
      code: 'DURABLE_PAYLOAD_INVALID',
      path: 'InitialExecutionState.Operations[0].ExecutionDetails.InputPayload',
    });
  });
});
