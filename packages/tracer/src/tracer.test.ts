import { lambda, TimeoutError, timeout, WARNING_TYPE } from '@lambdakit/core';
import {
  createContext,
  type LocalOtlpReceiver,
  type LocalXrayDaemon,
  type ReceivedSpan,
  sampleEvent,
  startLocalOtlpReceiver,
  startLocalXrayDaemon,
} from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTracer, tracer, xrayDaemonExporter } from './index.js';

const ROOT = '5759e988bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';
const header = (sampled: 0 | 1, root = ROOT) =>
  `Root=1-${root.slice(0, 8)}-${root.slice(8)};Parent=${PARENT};Sampled=${sampled}`;

let daemon: LocalXrayDaemon;
let otlp: LocalOtlpReceiver;
beforeAll(async () => {
  daemon = await startLocalXrayDaemon();
  otlp = await startLocalOtlpReceiver();
});
afterAll(async () => {
  await daemon.close();
  await otlp.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  daemon.clear();
  otlp.clear();
});

const byName = (spans: readonly ReceivedSpan[], name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found, `one span named ${name}`).toHaveLength(1);
  return found[0]!;
};

const warnings = () => {
  const seen: { code: string; message: string }[] = [];
  const listener = (w: Error & { code?: string }) => {
    if (w.name === WARNING_TYPE) seen.push({ code: w.code ?? '', message: w.message });
  };
  process.on('warning', listener);
  return { seen, stop: () => process.off('warning', listener) };
};

describe('tracer() sends each invocation to the X-Ray daemon as OpenTelemetry spans', () => {
  it('a span for the invocation, child of the incoming header, and one per ctx.trace.span()', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', header(1));
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }), serviceName: 'orders' });
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async (_event, ctx) => {
        const total = await ctx.trace.span('price', async () => 42, { 'order.items': 3 });
        return { statusCode: 201, body: String(total) };
      });
    const context = createContext({ functionName: 'orders', requestId: 'req-1' });
    const result = await handler(sampleEvent('apigw-http'), context);
    expect(result).toEqual({ statusCode: 201, body: '42' });

    const spans = await daemon.waitForSpans(2);
    const root = byName(spans, 'orders');
    const step = byName(spans, 'price');
    expect(root.traceId).toBe(ROOT);
    expect(root.parentSpanId).toBe(PARENT);
    expect(step.traceId).toBe(ROOT);
    expect(step.parentSpanId).toBe(root.spanId);
    expect(root.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(root.kind).toBe(2); // server: an HTTP trigger
    expect(root.attributes).toMatchObject({
      'faas.invocation_id': 'req-1',
      'faas.name': 'orders',
      'faas.trigger': 'http',
      'lambdakit.event_source': 'aws:apigatewayv2',
      'http.response.status_code': 201,
      'http.request.method': expect.any(String),
    });
    expect(typeof root.attributes['faas.coldstart']).toBe('boolean');
    expect(step.attributes).toEqual({ 'order.items': 3 });
    expect(root.resource).toMatchObject({ 'service.name': 'orders', 'cloud.platform': 'aws_lambda' });
    // One clock per invocation: a step lies inside its invocation's span, whatever the machine's load.
    expect(step.startTimeUnixNano).toBeGreaterThanOrEqual(root.startTimeUnixNano);
    expect(root.endTimeUnixNano).toBeGreaterThanOrEqual(step.endTimeUnixNano);
    expect(daemon.rejected()).toEqual([]);
  });

  it('Sampled=0 sends nothing (a sampled invocation after it is the only one to arrive)', async () => {
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async (_event, ctx) => {
        const recording = ctx.trace.recording;
        await ctx.trace.span('step', () => undefined);
        return recording;
      });
    vi.stubEnv('_X_AMZN_TRACE_ID', header(0, '00000000000000000000000000000001'));
    expect(await handler({}, createContext())).toBe(false);
    vi.stubEnv('_X_AMZN_TRACE_ID', header(1, '00000000000000000000000000000002'));
    expect(await handler({}, createContext())).toBe(true);
    const spans = await daemon.waitForSpans(2);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set(['00000000000000000000000000000002']));
    expect(daemon.datagrams).toBe(1);
  });

  it('no header and no sampling decision: a new X-Ray trace id (time first), recorded by default', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', '');
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
    const before = Math.floor(Date.now() / 1000);
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async (_e, ctx) => ctx.trace.xrayTraceId);
    const xrayId = await handler({}, createContext());
    const [span] = await daemon.waitForSpans(1);
    expect(span!.parentSpanId).toBeUndefined();
    expect(xrayId).toBe(`1-${span!.traceId.slice(0, 8)}-${span!.traceId.slice(8)}`);
    expect(Number.parseInt(span!.traceId.slice(0, 8), 16)).toBeGreaterThanOrEqual(before);
  });

  it('an error is recorded as an exception with status error, and still thrown', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', header(1));
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async (_e, ctx) => {
        await ctx.trace.span('charge', () => {
          throw new RangeError('card declined');
        });
      });
    await expect(handler({}, createContext({ functionName: 'pay' }))).rejects.toThrow('card declined');
    const spans = await daemon.waitForSpans(2);
    for (const span of [byName(spans, 'pay'), byName(spans, 'charge')]) {
      expect(span.status).toEqual({ code: 2, message: 'RangeError: card declined' });
      expect(span.events[0]).toMatchObject({
        name: 'exception',
        attributes: { 'exception.type': 'RangeError', 'exception.message': 'card declined' },
      });
    }
  });

  it('a timeout ends the invocation span and the abandoned step, both exported before the handler settles', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', header(1));
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .use(timeout({ marginMs: 500 }))
      .handle(async (_e, ctx) => {
        await ctx.trace.span('slow', () => new Promise(() => {})); // ignores the signal
      });
    await expect(handler({}, createContext({ functionName: 'slowfn', timeoutMs: 550 }))).rejects.toBeInstanceOf(
      TimeoutError,
    );
    const spans = await daemon.waitForSpans(2);
    const root = byName(spans, 'slowfn');
    expect(root.attributes['lambdakit.timeout']).toBe(true);
    expect(root.status.code).toBe(2);
    // OpenTelemetry names an exception by its `code` when it has one, as lambdakit's errors do.
    expect(root.events[0]?.attributes['exception.type']).toBe('CORE_TIMEOUT');
    const slow = byName(spans, 'slow');
    expect(slow.attributes['lambdakit.abandoned']).toBe(true);
    expect(slow.status).toEqual({ code: 2, message: 'the invocation ended (timeout) before this span' });
  });

  it('ctx.trace.span() does not start once ctx.signal has aborted', async () => {
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
    let started = false;
    let rejection: unknown;
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .use(timeout({ marginMs: 500, onTimeout: () => 'timed out' }))
      .handle(async (_e, ctx) => {
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        rejection = await ctx.trace
          .span('late', () => {
            started = true;
          })
          .catch((error: unknown) => error);
      });
    expect(await handler({}, createContext({ timeoutMs: 520 }))).toBe('timed out');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(false);
    expect(rejection).toBeInstanceOf(TimeoutError);
  });
});

describe('OTLP/HTTP export, when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
  it('the spans reach the receiver before the handler returns', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', otlp.endpoint);
    vi.stubEnv('_X_AMZN_TRACE_ID', header(1));
    const t = createTracer();
    expect(t.enabled).toBe(true);
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async (_e, ctx) => ctx.trace.span('work', () => 'done'));
    expect(await handler(sampleEvent('sqs'), createContext({ functionName: 'consumer' }))).toBe('done');
    const spans = otlp.spans(); // already there: the flush waited for the receiver's answer
    expect(spans.map((s) => s.name).sort()).toEqual(['consumer', 'work']);
    expect(byName(spans, 'consumer')).toMatchObject({
      kind: 5, // consumer: an SQS batch
      parentSpanId: PARENT,
      attributes: expect.objectContaining({ 'messaging.system': 'aws_sqs', 'faas.trigger': 'pubsub' }),
    });
    await t.shutdown();
  });

  it('an exporter that fails or does not answer costs one warning, never the invocation', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', otlp.endpoint);
    vi.stubEnv('_X_AMZN_TRACE_ID', header(1));
    const t = createTracer({ flushTimeoutMs: 300 });
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async () => 'ok');
    const watch = warnings();
    try {
      otlp.fail(400);
      expect(await handler({}, createContext())).toBe('ok');
      otlp.pause();
      expect(await handler({}, createContext())).toBe('ok');
      otlp.resume();
      await new Promise((resolve) => setImmediate(resolve));
      expect(watch.seen.map((w) => w.code)).toEqual([
        'LAMBDAKIT_TRACER_EXPORT_FAILED',
        'LAMBDAKIT_TRACER_EXPORT_FAILED',
      ]);
      expect(watch.seen[1]!.message).toContain('did not answer within 300 ms');
    } finally {
      watch.stop();
      await t.shutdown();
    }
  });

  it('without an exporter tracing is off: ctx.trace works and nothing is recorded', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', '');
    vi.stubEnv('AWS_XRAY_DAEMON_ADDRESS', '');
    vi.stubEnv('_X_AMZN_TRACE_ID', header(1));
    const t = createTracer();
    expect(t.enabled).toBe(false);
    const handler = lambda()
      .use(tracer({ tracer: t }))
      .handle(async (_e, ctx) => [ctx.trace.recording, await ctx.trace.span('s', () => 1)]);
    expect(await handler({}, createContext())).toEqual([false, 1]);
  });
});

describe('createTracer().traceInvocation(): the function door', () => {
  it('traces a plain handler with Lambda’s own context', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', header(1));
    const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
    const handler = (event: unknown, context: ReturnType<typeof createContext>) =>
      t.traceInvocation(event, context, (trace) => trace.span('inner', () => 'fine'));
    expect(await handler({}, createContext({ functionName: 'plain' }))).toBe('fine');
    const spans = await daemon.waitForSpans(2);
    expect(byName(spans, 'inner').parentSpanId).toBe(byName(spans, 'plain').spanId);
  });
});

describe('options are checked at init', () => {
  it.each([
    [{ exporter: 'zipkin' }, /expected a SpanExporter, "xray", "otlp" or "none", got "zipkin"/],
    [{ exporter: {} }, /expected a SpanExporter/],
    [{ sampled: 'yes' }, /sampled.*expected a boolean/],
    [{ flushTimeoutMs: 0 }, /flushTimeoutMs.*positive number/],
  ])('%j', (options, message) => {
    expect(() => createTracer(options as never)).toThrow(message);
  });

  it('tracer({ tracer }) needs a tracer made with createTracer()', () => {
    expect(() => tracer({ tracer: {} as never })).toThrow(/createTracer/);
  });
});
