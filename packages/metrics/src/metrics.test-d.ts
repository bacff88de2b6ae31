import { lambda } from '@lambdakit/core';
import { describe, expectTypeOf, it } from 'vitest';
import { createMetrics, type Metrics, type MetricUnit, metrics } from './index.js';

describe('metrics types', () => {
  it('adds a typed ctx.metrics through .use(metrics())', () => {
    lambda()
      .use(metrics({ namespace: 'Shop' }))
      .handle((_event, ctx) => {
        expectTypeOf(ctx.metrics).toEqualTypeOf<Metrics>();
        expectTypeOf(ctx.awsRequestId).toEqualTypeOf<string>();
      });
  });

  it('has no ctx.metrics without the middleware', () => {
    lambda().handle((_event, ctx) => {
      // @ts-expect-error metrics() was not used
      ctx.metrics.add('X', 'Count', 1);
    });
  });

  it('accepts CloudWatch units only, spelled exactly', () => {
    const m = createMetrics({ namespace: 'Shop' });
    m.add('Latency', 'Milliseconds', 1);
    m.add('Throughput', 'Bytes/Second', 1);
    m.add('Ratio', 'Percent', 1);
    m.single('Declined', 'Count', 1, { Provider: 'stripe' });
    // @ts-expect-error not a CloudWatch unit
    m.add('Latency', 'Count/Minute', 1);
    // @ts-expect-error units are case-sensitive
    m.add('Latency', 'milliseconds', 1);
    // @ts-expect-error not a CloudWatch unit
    m.single('Declined', 'Times', 1);
    expectTypeOf<'Count' | 'None' | 'Terabits/Second'>().toExtend<MetricUnit>();
    expectTypeOf<'ms'>().not.toExtend<MetricUnit>();
  });

  it('takes numbers as values, string dimension values and a named resolution', () => {
    const m = createMetrics({ namespace: 'Shop', resolution: 'high' });
    m.add('Latency', 'Milliseconds', 1, 'high');
    m.setResolution('standard');
    // @ts-expect-error values are numbers
    m.add('Latency', 'Milliseconds', '1');
    // @ts-expect-error resolution is 'standard' or 'high'
    m.setResolution(60);
    // @ts-expect-error dimension values are strings
    m.addDimension('Tenant', 7);
    // @ts-expect-error dimension set values are strings
    m.addDimensionSet({ Tenant: 7 });
    // @ts-expect-error onEmpty is 'ignore', 'warn' or 'throw'
    createMetrics({ onEmpty: 'explode' });
  });
});
