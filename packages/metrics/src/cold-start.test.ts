// Its own file: vitest gives each test file a fresh module graph, so the first invocation here is
// the process's cold start as @lambdakit/core sees it.
import { lambda } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lineSink } from '../test/emf-spec.js';
import { metrics } from './index.js';

const NOW = 1_700_000_000_000;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('ColdStart metric', () => {
  it('is written once per process, on the first invocation, as its own EMF object with the function name', async () => {
    const sink = lineSink();
    const options = { namespace: 'Shop', service: 'orders', defaultDimensions: { Environment: 'prod' } };
    const handler = lambda()
      .use(metrics({ ...options, destination: sink, now: () => NOW }))
      .handle(async (_event, ctx) => ctx.metrics.add('Orders', 'Count', 1));
    const other = lambda()
      .use(metrics({ ...options, destination: sink, now: () => NOW }))
      .handle(async (_event, ctx) => ctx.metrics.add('Orders', 'Count', 1));
    await handler({}, createContext({ functionName: 'checkout', requestId: 'first' }));
    await handler({}, createContext({ functionName: 'checkout', requestId: 'second' }));
    await other({}, createContext({ functionName: 'checkout', requestId: 'third' }));

    const objects = sink.objects();
    expect(objects).toHaveLength(4);
    expect(objects[0]).toEqual({
      _aws: {
        Timestamp: NOW,
        CloudWatchMetrics: [
          {
            Namespace: 'Shop',
            Dimensions: [['Service', 'Environment', 'FunctionName']],
            Metrics: [{ Name: 'ColdStart', Unit: 'Count' }],
          },
        ],
      },
      Service: 'orders',
      Environment: 'prod',
      FunctionName: 'checkout',
      requestId: 'first',
      ColdStart: 1,
    });
    // The invocation's own metrics are a separate object, without ColdStart or FunctionName.
    expect(objects[1]).toMatchObject({ Orders: 1, requestId: 'first' });
    expect(objects[1]!.ColdStart).toBeUndefined();
    expect(objects[1]!.FunctionName).toBeUndefined();
    expect(objects.filter((o) => o.ColdStart !== undefined)).toHaveLength(1);
  });

  it('is not written with coldStartMetric: false', async () => {
    vi.resetModules();
    const core = await import('@lambdakit/core');
    const fresh = await import('./index.js');
    const sink = lineSink();
    const handler = core
      .lambda()
      .use(fresh.metrics({ namespace: 'Shop', destination: sink, coldStartMetric: false }))
      .handle(async (_event, ctx) => {
        ctx.metrics.add('Orders', 'Count', 1);
        return ctx.coldStart;
      });
    await expect(handler({}, createContext())).resolves.toBe(true);
    expect(sink.objects().map((o) => o._aws.CloudWatchMetrics[0]!.Metrics[0]!.Name)).toEqual(['Orders']);
  });

  it('is not written under provisioned concurrency, where no invocation pays a cold start', async () => {
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'provisioned-concurrency');
    vi.resetModules();
    const core = await import('@lambdakit/core');
    const fresh = await import('./index.js');
    const sink = lineSink();
    const handler = core
      .lambda()
      .use(fresh.metrics({ namespace: 'Shop', destination: sink }))
      .handle(async (_event, ctx) => ctx.metrics.add('Orders', 'Count', 1));
    await handler({}, createContext());
    expect(sink.objects().filter((o) => o.ColdStart !== undefined)).toEqual([]);
  });

  it('refuses, when the middleware is created, default dimensions that leave no room for FunctionName (EMF allows 30)', async () => {
    vi.resetModules();
    const core = await import('@lambdakit/core');
    const fresh = await import('./index.js');
    const sink = lineSink();
    const dimensions = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`D${i}`, 'v']));
    const options = { namespace: 'Shop', service: 'orders', destination: sink };
    let error: unknown;
    try {
      fresh.metrics({ ...options, defaultDimensions: dimensions(29) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(fresh.MetricsError);
    expect(error).toMatchObject({ code: 'METRICS_DIMENSION_LIMIT', key: 'FunctionName', value: 31 });
    expect((error as Error).message).toContain('coldStartMetric: false');
    // Without the ColdStart metric, 30 default dimensions are fine.
    expect(() =>
      fresh.metrics({ ...options, defaultDimensions: dimensions(29), coldStartMetric: false }),
    ).not.toThrow();

    const handler = core
      .lambda()
      .use(fresh.metrics({ ...options, defaultDimensions: dimensions(28) }))
      .handle(async (_event, ctx) => ctx.metrics.add('Orders', 'Count', 1));
    await handler({}, createContext({ functionName: 'checkout' }));
    const [coldStart] = sink.objects();
    expect(coldStart).toMatchObject({ ColdStart: 1, FunctionName: 'checkout' });
    expect(coldStart!._aws.CloudWatchMetrics[0]!.Dimensions[0]).toHaveLength(30);
  });

  it('is written even when the first invocation fails, and counts as no metric of the invocation', async () => {
    vi.resetModules();
    const core = await import('@lambdakit/core');
    const fresh = await import('./index.js');
    const sink = lineSink();
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const handler = core
      .lambda()
      .use(fresh.metrics({ namespace: 'Shop', destination: sink, onEmpty: 'warn' }))
      .handle(async () => {
        throw new Error('boom');
      });
    await expect(handler({}, createContext({ functionName: 'checkout' }))).rejects.toThrow('boom');
    expect(sink.objects()).toMatchObject([{ ColdStart: 1, FunctionName: 'checkout' }]);
    expect(warning).toHaveBeenCalledWith(expect.stringContaining('No metrics'), {
      type: 'LambdakitWarning',
      code: 'LAMBDAKIT_METRICS_EMPTY',
    });
    warning.mockRestore();
  });
});
