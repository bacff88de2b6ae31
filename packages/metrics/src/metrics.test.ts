import { lambda, type Middleware, TimeoutError, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { lineSink } from '../test/emf-spec.js';
import { MetricsError, metrics } from './index.js';

const never = () => new Promise<never>(() => {});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // The first invocation of the process is the cold start; cold-start.test.ts covers it.
  await lambda().handle(() => 'warm')({}, createContext());
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('metrics() middleware', () => {
  it('gives the invocation ctx.metrics and writes its EMF line once, when the invocation settles', async () => {
    const sink = lineSink();
    let linesDuringLogic = -1;
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', service: 'orders', destination: sink }))
      .handle(async (_event, ctx) => {
        ctx.metrics.addDimension('Tenant', 'acme');
        ctx.metrics.add('OrdersPlaced', 'Count', 1);
        ctx.metrics.add('OrdersPlaced', 'Count', 1);
        linesDuringLogic = sink.lines.length;
        return 'ok';
      });
    await expect(handler({}, createContext({ requestId: 'req-1' }))).resolves.toBe('ok');
    expect(linesDuringLogic).toBe(0);
    const objects = sink.objects();
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ Service: 'orders', Tenant: 'acme', OrdersPlaced: [1, 1], requestId: 'req-1' });
    expect(objects[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service', 'Tenant']]);
    // requestId is metadata, never a dimension (one metric per request would be unbounded cost).
    expect(objects[0]!._aws.CloudWatchMetrics[0]!.Dimensions.flat()).not.toContain('requestId');
  });

  it('adds nothing while ctx says a durable function is replaying, and is not empty for it', async () => {
    const sink = lineSink();
    let replaying = true;
    const durableLike: Middleware = {
      name: 'durable-like',
      before: (request) => {
        Object.defineProperty(request.context, 'replaying', { get: () => replaying, configurable: true });
      },
    };
    const handler = lambda()
      .use(durableLike)
      .use(metrics({ namespace: 'Shop', destination: sink, coldStartMetric: false, onEmpty: 'throw' }))
      .handle(async (_event, ctx) => {
        ctx.metrics.add('OrdersPlaced', 'Count', 1); // counted by the invocation that ran it first
        ctx.metrics.single('Refunds', 'Count', 1);
        replaying = false;
        ctx.metrics.add('OrdersShipped', 'Count', 1);
        return 'ok';
      });
    await expect(handler({}, createContext())).resolves.toBe('ok');
    expect(sink.objects().map((object) => Object.keys(object).filter((key) => /^Orders|^Refunds/.test(key)))).toEqual([
      ['OrdersShipped'],
    ]);
    replaying = true;
    const replayOnly = lambda()
      .use(durableLike)
      .use(metrics({ namespace: 'Shop', destination: sink, coldStartMetric: false, onEmpty: 'throw' }))
      .handle(async (_event, ctx) => ctx.metrics.add('OrdersPlaced', 'Count', 1));
    await expect(replayOnly({}, createContext())).resolves.toBeUndefined();
  });

  it('writes the metrics before the handler’s promise rejects when the logic throws', async () => {
    const events: string[] = [];
    const handler = lambda()
      .use(
        metrics({ namespace: 'Shop', destination: { write: (line) => events.push(`emf:${JSON.parse(line).Failed}`) } }),
      )
      .handle(async (_event, ctx) => {
        ctx.metrics.add('Failed', 'Count', 1);
        events.push('throw');
        throw new Error('boom');
      });
    await handler({}, createContext()).catch((error: Error) => events.push(`rejected:${error.message}`));
    expect(events).toEqual(['throw', 'emf:1', 'rejected:boom']);
  });

  it('writes the metrics when a later middleware responds early (the handler and after hooks are skipped)', async () => {
    const sink = lineSink();
    const cached: Middleware<unknown, unknown> = {
      name: 'cached',
      before: (request) => {
        request.context.metrics.add('CacheHit', 'Count', 1);
        return { statusCode: 200, body: 'cached' };
      },
    };
    const logic = vi.fn();
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', destination: sink, onEmpty: 'throw' }))
      .use(cached)
      .handle(logic);
    await expect(handler({}, createContext())).resolves.toEqual({ statusCode: 200, body: 'cached' });
    expect(logic).not.toHaveBeenCalled();
    expect(sink.objects()).toMatchObject([{ CacheHit: 1 }]);
  });

  it('writes the metrics on timeout, after the signal aborts and before TimeoutError is thrown', async () => {
    vi.useFakeTimers();
    const events: string[] = [];
    const handler = lambda()
      .use(
        metrics({
          namespace: 'Shop',
          destination: { write: (line) => events.push(`emf:${JSON.parse(line).Started}`) },
        }),
      )
      .use(timeout({ marginMs: 500 }))
      .handle(async (_event, ctx) => {
        ctx.signal.addEventListener('abort', () => events.push('abort'));
        ctx.metrics.add('Started', 'Count', 1);
        await never(); // logic that ignores the signal
      });
    const settled = handler({}, createContext({ timeoutMs: 3000 })).catch((error: unknown) => {
      events.push('rejected');
      return error;
    });
    await vi.advanceTimersByTimeAsync(2499);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled).toBeInstanceOf(TimeoutError);
    expect(events).toEqual(['abort', 'emf:1', 'rejected']);
  });

  it('writes the metrics when a short real deadline passes, and refuses metrics the abandoned logic adds later', async () => {
    const sink = lineSink();
    let lateError: unknown;
    let resumeLogic: () => void = () => {};
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', destination: sink }))
      .use(timeout({ marginMs: 20 }))
      .handle(async (_event, ctx) => {
        ctx.metrics.add('Started', 'Count', 1);
        await new Promise<void>((resolve) => {
          resumeLogic = resolve;
        });
        try {
          ctx.metrics.add('Late', 'Count', 1);
        } catch (error) {
          lateError = error;
        }
      });
    const error = await handler({}, createContext({ timeoutMs: 80, requestId: 'slow' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(sink.objects()).toMatchObject([{ Started: 1, requestId: 'slow' }]);
    resumeLogic();
    await sleep(0);
    expect(lateError).toBeInstanceOf(MetricsError);
    expect(lateError).toMatchObject({ code: 'METRICS_INVOCATION_ENDED' });
    expect(sink.lines).toHaveLength(1);
  });

  it('fails the invocation with the MetricsError of an invalid metric, still writing the valid ones', async () => {
    const sink = lineSink();
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', destination: sink }))
      .handle(async (_event, ctx) => {
        ctx.metrics.add('Valid', 'Count', 1);
        ctx.metrics.add('Revenue', 'Euros' as never, 10);
      });
    const error = await handler({}, createContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricsError);
    expect(error).toMatchObject({ code: 'METRICS_METRIC_INVALID', key: 'Revenue' });
    expect(sink.objects()).toMatchObject([{ Valid: 1 }]);
  });

  it('starts every invocation afresh: dimensions and metadata do not carry over to the next one', async () => {
    const sink = lineSink();
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', destination: sink }))
      .handle(async (event: unknown, ctx) => {
        const n = (event as { n: number }).n;
        if (n === 1) {
          ctx.metrics.addDimension('Tenant', 'first');
          ctx.metrics.addMetadata('note', 'first');
        }
        ctx.metrics.add('Calls', 'Count', n);
      });
    await handler({ n: 1 }, createContext());
    await handler({ n: 2 }, createContext());
    const [, second] = sink.objects();
    expect(second!.Tenant).toBeUndefined();
    expect(second!.note).toBeUndefined();
    expect(second!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([[]]);
  });

  it('writes single metrics at once and the rest at the end, all with the request id', async () => {
    const sink = lineSink();
    const seen: number[] = [];
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', service: 'orders', destination: sink }))
      .handle(async (_event, ctx) => {
        ctx.metrics.add('Orders', 'Count', 1);
        ctx.metrics.single('PaymentDeclined', 'Count', 1, { Provider: 'stripe' });
        seen.push(sink.lines.length);
      });
    await handler({}, createContext({ requestId: 'r-7' }));
    expect(seen).toEqual([1]);
    expect(sink.objects()).toMatchObject([
      { PaymentDeclined: 1, Provider: 'stripe', requestId: 'r-7' },
      { Orders: 1, requestId: 'r-7' },
    ]);
  });

  it('keeps the request id lambdakit writes from being replaced by metadata', async () => {
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', destination: { write: () => {} } }))
      .handle(async (_event, ctx) => ctx.metrics.addMetadata('requestId', 'forged'));
    await expect(handler({}, createContext())).rejects.toMatchObject({
      code: 'METRICS_KEY_CONFLICT',
      key: 'requestId',
    });
  });

  it('with onEmpty: throw, fails a successful invocation that added no metrics', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', destination: { write: () => {} }, onEmpty: 'throw' }))
      .handle(async () => 'ok');
    await expect(handler({}, createContext())).rejects.toMatchObject({ name: 'MetricsError', code: 'METRICS_EMPTY' });
    expect(warning).not.toHaveBeenCalled();
  });

  it('with onEmpty: throw, keeps a failing invocation’s own error and warns about the missing metrics', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', destination: { write: () => {} }, onEmpty: 'throw' }))
      .handle(async () => {
        throw new Error('own failure');
      });
    await expect(handler({}, createContext())).rejects.toThrow('own failure');
    expect(warning).toHaveBeenCalledWith(expect.stringContaining('No metrics'), {
      type: 'LambdakitWarning',
      code: 'LAMBDAKIT_METRICS_EMPTY',
    });
  });

  it('with onEmpty: warn, warns once for an invocation that added no metrics and still succeeds', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', destination: { write: () => {} }, onEmpty: 'warn' }))
      .handle(async () => 'ok');
    await expect(handler({}, createContext())).resolves.toBe('ok');
    expect(warning).toHaveBeenCalledTimes(1);
  });

  it('writes what was flushed by hand at once and only the rest at the end, without an empty warning', async () => {
    const sink = lineSink();
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', destination: sink, onEmpty: 'throw' }))
      .handle(async (_event, ctx) => {
        ctx.metrics.add('Early', 'Count', 1);
        ctx.metrics.flush();
        return sink.lines.length;
      });
    await expect(handler({}, createContext())).resolves.toBe(1);
    expect(sink.objects()).toMatchObject([{ Early: 1 }]);
    expect(warning).not.toHaveBeenCalled();
  });

  it('needs the cleanup hook of lambda(): on a bare Middy context it says so', () => {
    const middleware = metrics({ namespace: 'Shop', destination: { write: () => {} } });
    const request = { event: {}, context: {}, response: undefined, error: undefined, internal: {} };
    expect(() => middleware.before?.(request)).toThrow(/lambda\(\)/);
  });

  it('validates its options when created, not on the first invocation', () => {
    vi.stubEnv('LAMBDAKIT_METRICS_NAMESPACE', '');
    expect(() => metrics()).toThrow(MetricsError);
    vi.unstubAllEnvs();
  });

  it.each([
    [{ coldStartMetric: 'no' }, 'metrics({ coldStartMetric }): expected a boolean, got no'],
    [{ onEmpty: 'explode' }, "metrics({ onEmpty }): expected 'ignore', 'warn' or 'throw', got explode"],
    [{ now: 5 }, 'metrics({ now }): expected a function'],
  ])('rejects the option %o with a TypeError naming the middleware and the option', (bad, message) => {
    expect(() => metrics({ namespace: 'Shop', ...(bad as object) })).toThrow(
      expect.objectContaining({ name: 'TypeError', message }),
    );
  });
});

describe('metrics() under concurrent invocations in one process', () => {
  it('keeps every invocation’s metrics, dimensions and metadata to itself, whether it succeeds, fails or times out', async () => {
    // Fake timers: the interleaving comes from the delays, never from how fast the machine is.
    vi.useFakeTimers();
    const sink = lineSink();
    // A deterministic shuffle of delays, so a failure can be replayed.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', service: 'orders', destination: sink }))
      .use(timeout({ marginMs: 10 }))
      .handle(async (event: unknown, ctx) => {
        const { i, delays, outcome } = event as { i: number; delays: number[]; outcome: string };
        ctx.metrics.addDimension('Tenant', `tenant-${i}`);
        for (const [step, delay] of delays.entries()) {
          await sleep(delay);
          ctx.metrics.add('Step', 'Count', i * 100 + step);
        }
        ctx.metrics.addMetadata('invocation', i);
        if (outcome === 'fail') throw new Error(`fail ${i}`);
        if (outcome === 'hang') await never();
        return i;
      });
    const count = 40;
    const runs = Array.from({ length: count }, (_, i) => {
      const outcome = i % 5 === 3 ? 'fail' : i % 5 === 4 ? 'hang' : 'ok';
      const delays = Array.from({ length: 3 }, () => Math.floor(random() * 15));
      const context = createContext({ requestId: `req-${i}`, timeoutMs: outcome === 'hang' ? 100 : 10_000 });
      return handler({ i, delays, outcome }, context).then(
        (value) => ({ i, status: 'ok', value }),
        (error: Error) => ({ i, status: error instanceof TimeoutError ? 'timeout' : 'error', value: error.message }),
      );
    });
    await vi.advanceTimersByTimeAsync(1000);
    const results = await Promise.all(runs);
    expect(results.filter((r) => r.status === 'timeout')).toHaveLength(count / 5);
    expect(results.filter((r) => r.status === 'error')).toHaveLength(count / 5);

    const objects = sink.objects();
    expect(objects).toHaveLength(count);
    for (const emf of objects) {
      const i = Number(String(emf.requestId).slice('req-'.length));
      expect(emf.Tenant).toBe(`tenant-${i}`);
      expect(emf.Step).toEqual([i * 100, i * 100 + 1, i * 100 + 2]);
      expect(emf.invocation).toBe(i);
      expect(emf._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service', 'Tenant']]);
    }
    expect(new Set(objects.map((o) => o.requestId)).size).toBe(count);
  });
});
