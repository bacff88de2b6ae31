import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext as createContext } from '../test/lambda-context.js';
import { scheduledCount } from './deadline-scheduler.js';
import type { InvocationContext, InvocationOutcome } from './invocation-context.js';
import { lambda } from './lambda.js';
import type { Middleware } from './middleware.js';
import { defineMiddleware } from './pipeline.js';
import { timeout } from './timeout.js';
import { TimeoutError } from './timeout-error.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never = () => new Promise<never>(() => {});

function double(): Middleware<unknown, { n: number }, { doubled: true }> {
  return {
    name: 'double',
    before: (request) => {
      request.event = { n: (request.event as { n: number }).n * 2 };
      request.context.doubled = true;
    },
  };
}

describe('lambda()', () => {
  it('runs the business logic with the event and a ctx layered over Lambda’s context', async () => {
    const context = createContext({ functionName: 'orders', qualifier: 'prod', requestId: 'req-1' });
    let seen: InvocationContext | undefined;
    const handler = lambda().handle(async (event, ctx) => {
      seen = ctx;
      return { echo: event };
    });
    await expect(handler({ a: 1 }, context)).resolves.toEqual({ echo: { a: 1 } });
    expect(seen).not.toBe(context);
    expect(seen?.lambdaContext).toBe(context);
    expect(seen).toMatchObject({
      functionName: 'orders',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:prod',
      memoryLimitInMB: '128',
      awsRequestId: 'req-1',
      logGroupName: '/aws/lambda/orders',
      logStreamName: context.logStreamName,
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(seen?.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });

  it('never mutates Lambda’s context, which the Node.js 24 runtime makes read-only', async () => {
    const context = Object.freeze(createContext());
    const handler = lambda()
      .use(double())
      .use({
        before: (request: { context: Record<string, unknown> }) => {
          request.context.callbackWaitsForEmptyEventLoop = false;
          request.context.fromMiddy = 'plain middy middleware';
        },
      })
      .handle((event, ctx) => ({
        event,
        doubled: ctx.doubled,
        fromMiddy: (ctx as never as { fromMiddy: string }).fromMiddy,
      }));
    await expect(handler({ n: 2 }, context)).resolves.toEqual({
      event: { n: 4 },
      doubled: true,
      fromMiddy: 'plain middy middleware',
    });
    expect(context.callbackWaitsForEmptyEventLoop).toBe(true);
  });

  it('keeps identity, clientContext and tenantId of a frozen context reachable on ctx', async () => {
    const identity = { cognitoIdentityId: 'us-east-1:1234', cognitoIdentityPoolId: 'us-east-1:pool' };
    const clientContext = {
      client: { installationId: 'i', appTitle: 'app', appVersionName: '1', appVersionCode: '1', appPackageName: 'p' },
      env: { platformVersion: '1', platform: 'ios', make: 'm', model: 'x', locale: 'en' },
    };
    const context = Object.freeze({ ...createContext(), identity, clientContext, tenantId: 'blue' });
    const handler = lambda().handle((_event, ctx) => ({
      identity: ctx.identity,
      clientContext: ctx.clientContext,
      tenantId: ctx.tenantId,
      remaining: ctx.getRemainingTimeInMillis(),
      same: ctx.lambdaContext === context,
    }));
    const seen = await handler({}, context);
    expect(seen).toMatchObject({ identity, clientContext, tenantId: 'blue', same: true });
    expect(seen.remaining).toBeGreaterThan(0);
    expect(await lambda().handle((_event, ctx) => ctx.tenantId)({}, createContext())).toBeUndefined();
  });

  it('computes the deadline from getRemainingTimeInMillis', async () => {
    const context = createContext({ timeoutMs: 10_000 });
    const handler = lambda().handle((_event, ctx) => ctx.deadline);
    const before = Date.now();
    const deadline = await handler({}, context);
    expect(deadline).toBeGreaterThanOrEqual(before + 9_000);
    expect(deadline).toBeLessThanOrEqual(context.deadline);
  });

  it('works with a context that has no getRemainingTimeInMillis (no deadline)', async () => {
    const handler = lambda()
      .use(timeout())
      .handle((_event, ctx) => ({ deadline: ctx.deadline, aborted: ctx.signal.aborted }));
    await expect(handler({}, {} as never)).resolves.toEqual({ deadline: Number.POSITIVE_INFINITY, aborted: false });
  });

  it('rethrows business logic errors unchanged and lets Middy onError middlewares handle them', async () => {
    const failing = lambda().handle(() => {
      throw new RangeError('bad');
    });
    await expect(failing({}, createContext())).rejects.toThrow(RangeError);
    const handled = lambda()
      .use({
        onError: (request: { response: unknown }) => {
          request.response = { statusCode: 500 };
        },
      })
      .handle(() => {
        throw new Error('bad');
      });
    await expect(handled({}, createContext())).resolves.toEqual({ statusCode: 500 });
  });

  it('is also a Middy instance: .use, .before, .after, .onError and .handler work on the handler', async () => {
    const calls: string[] = [];
    const handler = lambda().handle(() => 'first');
    handler
      .use({ before: () => void calls.push('use-before') })
      .before(() => void calls.push('before'))
      .after((request: { response: string }) => {
        calls.push('after');
        request.response = `${request.response}!`;
      })
      .onError(() => void calls.push('onError'));
    await expect(handler({}, createContext())).resolves.toBe('first!');
    handler.handler(() => 'second');
    await expect(handler({}, createContext())).resolves.toBe('second!');
    expect(calls).toEqual(['use-before', 'before', 'after', 'use-before', 'before', 'after']);
  });

  it('keeps each builder immutable so a shared base can be extended twice', async () => {
    const base = lambda().use(double());
    const a = base
      .use({
        before: (r: { event: { n: number } }) => {
          r.event.n += 1;
        },
      })
      .handle((e) => e.n);
    const b = base.handle((e) => e.n);
    await expect(a({ n: 1 }, createContext())).resolves.toBe(3);
    await expect(b({ n: 1 }, createContext())).resolves.toBe(2);
  });

  it('rejects things that are not middlewares with a clear error', () => {
    expect(() => lambda().use(null as never)).toThrow(/expected a middleware object, got null/);
    expect(() =>
      lambda()
        .use({} as never)
        .handle(() => 1),
    ).toThrow(/at least one of before, after or onError/);
    expect(() => lambda().handle('x' as never)).toThrow(/fn must be a function/);
    expect(() =>
      lambda()
        .use(timeout())
        .use(timeout())
        .handle(() => 1),
    ).toThrow(/timeout\(\) is used twice/);
    expect(() => timeout({ marginMs: -1 })).toThrow(TypeError);
  });
});

describe('ctx.cleanup()', () => {
  const recordingHandler = (logic: (ctx: InvocationContext) => unknown, log: string[], outcomes: InvocationOutcome[]) =>
    lambda()
      .use({
        name: 'registers',
        before: (request) => {
          const ctx = request.context as InvocationContext;
          ctx.cleanup(async (outcome) => {
            await sleep(1);
            log.push('first-registered');
            outcomes.push(outcome);
          });
          ctx.cleanup(() => void log.push('second-registered'));
        },
      } satisfies Middleware)
      .handle(async (_event, ctx) => {
        log.push('logic');
        return logic(ctx);
      });

  it('runs hooks last-registered-first after success, before the handler settles', async () => {
    const log: string[] = [];
    const outcomes: InvocationOutcome[] = [];
    const result = await recordingHandler(() => 'ok', log, outcomes)({}, createContext());
    log.push('settled');
    expect(result).toBe('ok');
    expect(log).toEqual(['logic', 'second-registered', 'first-registered', 'settled']);
    expect(outcomes).toEqual([{ status: 'success', result: 'ok' }]);
  });

  it('runs hooks after an error, with the error in the outcome', async () => {
    const log: string[] = [];
    const outcomes: InvocationOutcome[] = [];
    const error = new Error('nope');
    await expect(
      recordingHandler(
        () => {
          throw error;
        },
        log,
        outcomes,
      )({}, createContext()),
    ).rejects.toBe(error);
    expect(outcomes).toEqual([{ status: 'error', error }]);
    expect(log).toEqual(['logic', 'second-registered', 'first-registered']);
  });

  it('runs hooks on an early return from a before middleware (Middy skips after hooks then)', async () => {
    const log: string[] = [];
    const handler = lambda()
      .use({
        name: 'early',
        before: (request) => {
          (request.context as InvocationContext).cleanup((outcome) => void log.push(`cleanup:${outcome.status}`));
          return 'replayed';
        },
      } satisfies Middleware)
      .use({ after: () => void log.push('after') })
      .handle(() => {
        log.push('logic');
        return 'fresh';
      });
    await expect(handler({}, createContext())).resolves.toBe('replayed');
    expect(log).toEqual(['cleanup:success']);
  });

  it('reports a failing hook as a warning without changing the outcome or skipping other hooks', async () => {
    const warnings: string[] = [];
    // Recorded instead of emitted: the warning this test expects is not printed in the run's output.
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
      warnings.push(typeof warning === 'string' ? warning : warning.message);
    });
    try {
      const log: string[] = [];
      const handler = lambda().handle((_e, ctx) => {
        ctx.cleanup(() => void log.push('still runs'));
        ctx.cleanup(() => {
          throw new Error('hook broke');
        });
        return 'ok';
      });
      await expect(handler({}, createContext())).resolves.toBe('ok');
      await sleep(0);
      expect(log).toEqual(['still runs']);
      expect(warnings.some((w) => w.includes('hook broke'))).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('rejects a hook that is not a function', async () => {
    const handler = lambda().handle((_e, ctx) => ctx.cleanup('x' as never));
    await expect(handler({}, createContext())).rejects.toThrow(/hook must be a function/);
  });
});

describe('timeout()', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts ctx.signal, runs cleanup, then throws TimeoutError at deadline − margin, without waiting for the logic', async () => {
    const events: string[] = [];
    const handler = lambda()
      .use(timeout({ marginMs: 500 }))
      .handle(async (_event, ctx) => {
        ctx.signal.addEventListener('abort', () => events.push(`abort:${(ctx.signal.reason as Error).name}`));
        ctx.cleanup((outcome) => void events.push(`cleanup:${outcome.status}`));
        await never(); // business logic that ignores the signal
      });
    const settled = handler({}, createContext({ timeoutMs: 3000 })).catch((error: unknown) => {
      events.push('rejected');
      return error;
    });
    await vi.advanceTimersByTimeAsync(2499);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const error = await settled;
    expect(events).toEqual(['abort:TimeoutError', 'cleanup:timeout', 'rejected']);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'CORE_TIMEOUT', marginMs: 500, remainingTimeMs: 500 });
  });

  it.each([
    ['on lambdakit’s pipeline', false],
    ['on Middy (a plain Middy middleware in the chain)', true],
  ])('never starts the business logic once the deadline passed while a middleware ran, %s', async (_name, middy) => {
    let release: () => void = () => {};
    const slowBefore = () =>
      new Promise<void>((resolve) => {
        release = resolve;
      });
    const logic = vi.fn(async () => 'ran');
    const base = lambda().use(timeout({ marginMs: 100 }));
    const chain = middy
      ? base.use({ before: slowBefore }) // undeclared: the chain runs on Middy
      : base.use(defineMiddleware({ name: 'slow', before: slowBefore }));
    const handler = chain.handle(logic);
    const settled = handler({}, createContext({ timeoutMs: 1000 })).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(900);
    await expect(settled).resolves.toBeInstanceOf(TimeoutError);
    release(); // the middleware finishes after the invocation timed out
    await vi.advanceTimersByTimeAsync(10);
    expect(logic).not.toHaveBeenCalled();
  });

  it('returns the onTimeout fallback instead of throwing', async () => {
    const handler = lambda()
      .use(timeout({ marginMs: 100, onTimeout: (error) => ({ statusCode: 504, body: error.code }) }))
      .handle(async () => {
        await never();
        return { statusCode: 200, body: 'ok' };
      });
    const result = handler({}, createContext({ timeoutMs: 1000 }));
    await vi.advanceTimersByTimeAsync(900);
    await expect(result).resolves.toEqual({ statusCode: 504, body: 'CORE_TIMEOUT' });
  });

  it('covers the whole pipeline: a slow middleware times out too', async () => {
    const handler = lambda()
      .use({ before: () => never() })
      .use(timeout({ marginMs: 100 }))
      .handle(() => 'unreached');
    const result = handler({}, createContext({ timeoutMs: 1000 })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(900);
    await expect(result).resolves.toBeInstanceOf(TimeoutError);
  });

  it('times out at once when less than the margin is left', async () => {
    const handler = lambda()
      .use(timeout({ marginMs: 500 }))
      .handle(async (_e, ctx) => ({ aborted: ctx.signal.aborted }));
    await expect(handler({}, createContext({ timeoutMs: 400 }))).rejects.toBeInstanceOf(TimeoutError);
  });

  it('settles normally and never aborts when the logic finishes in time', async () => {
    let signal: AbortSignal | undefined;
    const handler = lambda()
      .use(timeout({ marginMs: 500 }))
      .handle(async (_e, ctx) => {
        signal = ctx.signal;
        await sleep(1000);
        return 'done';
      });
    const result = handler({}, createContext({ timeoutMs: 3000 }));
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toBe('done');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(signal?.aborted).toBe(false);
  });

  it('aborts ctx.signal at the default 500 ms margin even without timeout(), leaving the outcome to the logic', async () => {
    const handler = lambda().handle(
      (_e, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => resolve(`aborted:${(ctx.signal.reason as TimeoutError).code}`));
        }),
    );
    const result = handler({}, createContext({ timeoutMs: 2000 }));
    await vi.advanceTimersByTimeAsync(1500);
    await expect(result).resolves.toBe('aborted:CORE_TIMEOUT');
  });

  it('ctx.timedOut reports a timeout without arming the default deadline', async () => {
    const seen: boolean[] = [];
    const untimed = lambda().handle(async (_e, ctx) => {
      seen.push(ctx.timedOut);
      await sleep(1900); // past deadline − 500 ms: nothing was armed, so nothing times out
      seen.push(ctx.timedOut);
      return 'done';
    });
    const first = untimed({}, createContext({ timeoutMs: 2000 }));
    await vi.advanceTimersByTimeAsync(1900);
    await expect(first).resolves.toBe('done');
    expect(seen).toEqual([false, false]);

    const timed = lambda()
      .use(timeout({ marginMs: 500 }))
      .handle(async (_e, ctx) => {
        ctx.cleanup(() => {
          seen.push(ctx.timedOut);
        });
        await never();
      });
    const second = timed({}, createContext({ timeoutMs: 2000 })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1500);
    await expect(second).resolves.toBeInstanceOf(TimeoutError);
    expect(seen).toEqual([false, false, true]);
  });

  it('gives up on cleanup hooks that outlive the deadline', async () => {
    const handler = lambda()
      .use(timeout({ marginMs: 200 }))
      .handle(async (_e, ctx) => {
        ctx.cleanup(() => never());
        await never();
      });
    const result = handler({}, createContext({ timeoutMs: 1000 })).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toBeInstanceOf(TimeoutError);
  });

  it('still runs the hooks after one that outlives the deadline, before the TimeoutError', async () => {
    const ran: string[] = [];
    const handler = lambda()
      .use(timeout({ marginMs: 200 }))
      .handle(async (_e, ctx) => {
        ctx.cleanup((outcome) => void ran.push(`registered first: ${outcome.status}`)); // a logger's flush
        ctx.cleanup(() => sleep(400).then(() => Promise.reject(new Error('released too late'))));
        ctx.cleanup(() => never());
        ctx.cleanup(() => void ran.push('registered last'));
        await never();
      });
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const result = handler({}, createContext({ timeoutMs: 1000 })).catch((e: unknown) => {
      ran.push('settled');
      return e;
    });
    await vi.advanceTimersByTimeAsync(1000);
    await expect(result).resolves.toBeInstanceOf(TimeoutError);
    expect(ran).toEqual(['registered last', 'registered first: timeout', 'settled']);
    // The late hook's failure is reported when it comes, never an unhandled rejection.
    expect(warnings).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(400);
    expect(warnings).toHaveBeenCalledWith(expect.stringContaining('released too late'), expect.anything());
    warnings.mockRestore();
  });

  it.each([
    ['with timeout()', true],
    ["without timeout(), reading ctx.signal (the signal's deadline)", false],
  ])(
    'leaves no timer or listener behind after 10,000 warm invocations %s, with one shared timer',
    async (_name, withTimeout) => {
      // Real timers, a clock that stands still. A deadline is the clock plus the remaining time, two
      // reads; on a loaded machine a pause between them makes one invocation's deadline a few ms
      // earlier, which rightly re-arms the timer. A frozen Date gives every invocation the same one.
      vi.useRealTimers();
      vi.useFakeTimers({ toFake: ['Date'] });
      const live = new Set<unknown>();
      const realSet = globalThis.setTimeout;
      const realClear = globalThis.clearTimeout;
      // Only lambdakit's timers are counted: the test runner arms its own (RPC time-outs) whenever
      // it needs to, and on a loaded machine one may fall inside the loop.
      let lambdakitTimers = 0;
      const spySet = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
        const ours = new Error().stack?.includes('deadline-scheduler') === true;
        const handle: unknown = realSet(() => {
          live.delete(handle);
          fn();
        }, ms);
        if (ours) {
          lambdakitTimers++;
          live.add(handle);
        }
        return handle;
      }) as typeof setTimeout);
      const spyClear = vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((handle: unknown) => {
        live.delete(handle);
        realClear(handle as never);
      }) as typeof clearTimeout);
      const processListeners = () =>
        process.eventNames().map((name) => `${String(name)}:${process.listenerCount(name)}`);
      const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      try {
        const base = withTimeout ? lambda().use(timeout({ marginMs: 100 })) : lambda();
        const handler = base.handle(async (event: unknown, ctx) => {
          ctx.signal.addEventListener('abort', () => {});
          ctx.cleanup(() => {});
          expect(scheduledCount()).toBe(1); // this invocation, while it runs
          return event;
        });
        const context = createContext({ timeoutMs: 60_000 });
        const listenersBefore = processListeners();
        const timersBefore = refTimers();
        for (let i = 0; i < 10_000; i++) await handler(i, context);
        // One timer serves every invocation: armed once (the spies replaced setTimeout, so re-armed once).
        expect(lambdakitTimers).toBeLessThanOrEqual(1);
        expect(spySet).toHaveBeenCalled(); // the spy was in place
        expect(live.size).toBeLessThanOrEqual(1);
        expect(scheduledCount()).toBe(0); // no invocation is held once it settled
        expect(refTimers()).toBeLessThanOrEqual(timersBefore); // the shared timer is unref'd: it holds no process
        expect(processListeners()).toEqual(listenersBefore);
      } finally {
        spySet.mockRestore();
        spyClear.mockRestore();
        vi.useRealTimers();
      }
    },
  );
});

describe('a real short deadline', () => {
  it('times out a handler that ignores the signal, in order: abort, cleanup, TimeoutError', async () => {
    const order: string[] = [];
    const handler = lambda()
      .use(timeout({ marginMs: 20 }))
      .handle(async (_e, ctx) => {
        ctx.signal.addEventListener('abort', () => order.push('abort'));
        ctx.cleanup(() => void order.push('cleanup'));
        await sleep(5_000);
        order.push('logic finished');
      });
    const error = await handler({}, createContext({ timeoutMs: 120 })).catch((e: unknown) => e);
    order.push('handler settled');
    expect(error).toBeInstanceOf(TimeoutError);
    expect(order).toEqual(['abort', 'cleanup', 'handler settled']);
  });
});

describe('concurrent invocations in one process', () => {
  it('keep their own deadline, signal and request id: the short one times out, the long one completes', async () => {
    const handler = lambda()
      .use(timeout({ marginMs: 10 }))
      .handle(async (event: unknown, ctx) => {
        const { waitMs } = event as { waitMs: number };
        await sleep(waitMs);
        return { requestId: ctx.awsRequestId, aborted: ctx.signal.aborted };
      });
    const results = await Promise.allSettled([
      handler({ waitMs: 2_000 }, createContext({ requestId: 'short', timeoutMs: 80 })),
      handler({ waitMs: 150 }, createContext({ requestId: 'long', timeoutMs: 5_000 })),
      handler({ waitMs: 10 }, createContext({ requestId: 'quick', timeoutMs: 5_000 })),
    ]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.any(TimeoutError) });
    expect(results[1]).toEqual({ status: 'fulfilled', value: { requestId: 'long', aborted: false } });
    expect(results[2]).toEqual({ status: 'fulfilled', value: { requestId: 'quick', aborted: false } });
  });
});

describe('ctx.coldStart and ctx.traceId', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('is true only for the first invocation in the process', async () => {
    vi.resetModules();
    const { lambda: fresh } = await import('./lambda.js');
    const handler = fresh().handle((_e, ctx) => ctx.coldStart);
    expect(await handler({}, createContext())).toBe(true);
    expect(await handler({}, createContext())).toBe(false);
    expect(await fresh().handle((_e, ctx) => ctx.coldStart)({}, createContext())).toBe(false);
  });

  it('is never true under provisioned concurrency', async () => {
    vi.resetModules();
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'provisioned-concurrency');
    const { lambda: fresh } = await import('./lambda.js');
    expect(await fresh().handle((_e, ctx) => ctx.coldStart)({}, createContext())).toBe(false);
  });

  it('reads the trace id of each invocation from _X_AMZN_TRACE_ID', async () => {
    const handler = lambda().handle((_e, ctx) => ctx.traceId);
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
    expect(await handler({}, createContext())).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
  });

  it('keeps ctx.traceId when a middleware adds ctx.trace (as @lambdakit/tracer does)', async () => {
    const addsTrace = defineMiddleware({
      name: 'adds-trace',
      before: (request: { context: { trace?: unknown } }) => {
        request.context.trace = { spanId: 'x' };
      },
    });
    const handler = lambda()
      .use(addsTrace)
      .handle((_e, ctx) => ctx.traceId);
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
    expect(await handler({}, createContext())).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1');
  });

  it('keeps the trace id an invocation started with when another one replaces _X_AMZN_TRACE_ID (multi-concurrency)', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    vi.resetModules();
    vi.stubEnv('AWS_LAMBDA_MAX_CONCURRENCY', '4');
    const { lambda: fresh } = await import('./lambda.js');
    const handler = fresh().handle(async (event: unknown, ctx) => {
      if ((event as { wait?: boolean }).wait) await gate;
      return ctx.traceId;
    });
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-00000000-aaaaaaaaaaaaaaaaaaaaaaaa');
    const first = handler({ wait: true }, createContext());
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-00000000-bbbbbbbbbbbbbbbbbbbbbbbb');
    const second = await handler({}, createContext());
    release();
    expect(await first).toBe('Root=1-00000000-aaaaaaaaaaaaaaaaaaaaaaaa');
    expect(second).toBe('Root=1-00000000-bbbbbbbbbbbbbbbbbbbbbbbb');
  });

  it("reads the trace id from the runtime's invoke store under multi-concurrency", async () => {
    // Lambda Managed Instances: the runtime keeps per-invocation values in an async-context store
    // at globalThis.awslambda.InvokeStore (@aws/lambda-invoke-store), not in the environment.
    const { AsyncLocalStorage } = await import('node:async_hooks');
    const als = new AsyncLocalStorage<string>();
    const global = globalThis as { awslambda?: unknown };
    const before = global.awslambda;
    global.awslambda = { InvokeStore: { getXRayTraceId: () => als.getStore() } };
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-00000000-ffffffffffffffffffffffff');
    try {
      const handler = lambda().handle(async (event: unknown, ctx) => {
        await new Promise((resolve) => setTimeout(resolve, (event as { delayMs: number }).delayMs));
        return ctx.traceId;
      });
      const ids = ['Root=1-1', 'Root=1-2', 'Root=1-3'];
      const results = await Promise.all(
        ids.map((id, i) => als.run(id, () => handler({ delayMs: 30 - i * 10 }, createContext()))),
      );
      expect(results).toEqual(ids);
      // Outside any invocation's store, the environment still answers.
      expect(await handler({ delayMs: 0 }, createContext())).toBe('Root=1-00000000-ffffffffffffffffffffffff');
    } finally {
      global.awslambda = before;
    }
  });
});

describe('a handler that honours ctx.signal', () => {
  it('fails with TimeoutError, not the AbortError its aborted call threw', async () => {
    // The middleware reads ctx.signal synchronously, before timeout()'s own timer is armed.
    const handler = lambda()
      .use({
        name: 'reads-signal-first',
        before: (request) => {
          const { signal } = request.context as InvocationContext;
          (request.internal as { aborted?: Promise<never> }).aborted = new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          });
        },
      } satisfies Middleware)
      .use(timeout({ marginMs: 20 }))
      .use({ before: (request: { internal: { aborted: Promise<never> } }) => request.internal.aborted })
      .handle(() => 'unreached');
    for (let i = 0; i < 5; i++) {
      await expect(handler({}, createContext({ timeoutMs: 60 }))).rejects.toBeInstanceOf(TimeoutError);
    }
  });

  it('keeps an error that is not an AbortError, even after the deadline', async () => {
    const handler = lambda()
      .use(timeout({ marginMs: 20 }))
      .handle(async (_e, ctx) => {
        await new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new RangeError('wrapped', { cause: ctx.signal.reason })));
        });
      });
    // timeout()'s own rejection wins the race here; without timeout() the logic's error stands.
    await expect(handler({}, createContext({ timeoutMs: 60 }))).rejects.toBeInstanceOf(TimeoutError);
    const plain = lambda().handle(async (_e, ctx) => {
      await new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(new RangeError('wrapped', { cause: ctx.signal.reason })));
      });
    });
    await expect(plain({}, createContext({ timeoutMs: 520 }))).rejects.toBeInstanceOf(RangeError);
  });

  it('reports the timeout even without timeout(), when the logic fails after ctx.signal aborted', async () => {
    const handler = lambda().handle(async (_e, ctx) => {
      await new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    });
    await expect(handler({}, createContext({ timeoutMs: 520 }))).rejects.toBeInstanceOf(TimeoutError);
  });
});
