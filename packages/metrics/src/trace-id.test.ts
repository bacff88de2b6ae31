import { lambda } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lineSink } from '../test/emf-spec.js';
import { metrics } from './index.js';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';

afterEach(() => {
  vi.unstubAllEnvs();
});

async function written(header: string | undefined, traceId: boolean | undefined) {
  if (header !== undefined) vi.stubEnv('_X_AMZN_TRACE_ID', header);
  const sink = lineSink();
  const handler = lambda()
    .use(metrics({ namespace: 'Shop', destination: sink, coldStartMetric: true, traceId }))
    .handle(async (_event, ctx) => {
      ctx.metrics.add('Orders', 'Count', 1);
    });
  await handler({}, createContext({ requestId: 'req-1' }));
  return sink.objects();
}

describe('metrics({ traceId: true }): the X-Ray trace id as metadata', () => {
  it('every EMF object of the invocation carries xrayTraceId, never as a dimension', async () => {
    const objects = await written(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1`, true);
    expect(objects.length).toBeGreaterThanOrEqual(1);
    for (const object of objects) {
      expect(object).toMatchObject({ xrayTraceId: ROOT, requestId: 'req-1' });
      expect(object._aws.CloudWatchMetrics[0]!.Dimensions.flat()).not.toContain('xrayTraceId');
    }
  });

  it.each([
    ['an unsampled trace', `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`],
    ['no header', ''],
    ['a malformed Root', 'Root=1-5759e988-bd86;Parent=53995c3f42cd8ad8;Sampled=1'],
  ])('%s: no field', async (_name, header) => {
    const objects = await written(header, true);
    for (const object of objects) expect(object).not.toHaveProperty('xrayTraceId');
  });

  it('a header with no sampling decision is written (the trace may be recorded)', async () => {
    const [object] = await written(`Root=${ROOT};Parent=53995c3f42cd8ad8`, true);
    expect(object).toMatchObject({ xrayTraceId: ROOT });
  });

  it('off by default', async () => {
    const [object] = await written(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`, undefined);
    expect(object).not.toHaveProperty('xrayTraceId');
  });

  it('a user metadata field named xrayTraceId conflicts, as requestId does', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', `Root=${ROOT};Sampled=1`);
    const handler = lambda()
      .use(metrics({ namespace: 'Shop', destination: lineSink(), traceId: true }))
      .handle(async (_event, ctx) => {
        ctx.metrics.addMetadata('xrayTraceId', 'mine');
      });
    await expect(handler({}, createContext())).rejects.toMatchObject({ code: 'METRICS_KEY_CONFLICT' });
  });

  it('a non-boolean option is refused at init', () => {
    expect(() => metrics({ namespace: 'Shop', traceId: 'yes' as never })).toThrow(
      /metrics\(\{ traceId \}\): expected a boolean/,
    );
  });
});
