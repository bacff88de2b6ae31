import { defineMiddleware, lambda, TimeoutError, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { expect, it } from 'vitest';
import { CaptureExporter } from '../test/capture-exporter.js';
import { createTracer, tracer } from './index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('tracing never arms a deadline: without timeout(), a slow hook and a late step still run', async () => {
  const exporter = new CaptureExporter();
  const t = createTracer({ exporter });
  // 600 ms left: core's default signal would abort at 100 ms. Nothing reads ctx.signal here.
  const slowHook = defineMiddleware({
    name: 'slow-config',
    before: () => sleep(200),
  });
  const handler = lambda()
    .use(tracer({ tracer: t }))
    .use(slowHook)
    .handle(async (_e, ctx) => ctx.trace.span('late-step', () => 'ran'));
  expect(await handler({}, createContext({ functionName: 'fn', timeoutMs: 600 }))).toBe('ran');
  expect(
    exporter
      .spans()
      .map((span) => span.name)
      .sort(),
  ).toEqual(['fn', 'late-step']);
});

it('with timeout(), a step is refused once the invocation timed out, and the abandoned one ends with the invocation', async () => {
  const exporter = new CaptureExporter();
  const t = createTracer({ exporter });
  let refused: unknown;
  const handler = lambda()
    .use(tracer({ tracer: t }))
    .use(timeout({ marginMs: 500 }))
    .handle(async (_e, ctx) => {
      ctx.cleanup(async () => {
        refused = await ctx.trace.span('after', () => 'never').catch((error: unknown) => error);
      });
      await ctx.trace.span('stuck', () => new Promise(() => {}));
    });
  await expect(handler({}, createContext({ functionName: 'fn', timeoutMs: 560 }))).rejects.toBeInstanceOf(TimeoutError);
  expect(refused).toBeInstanceOf(TimeoutError);
  const root = exporter.named('fn');
  const stuck = exporter.named('stuck');
  expect(stuck.attributes['lambdakit.abandoned']).toBe(true);
  // One instant for the invocation's end: the abandoned step does not end after its parent.
  expect(stuck.endTime).toEqual(root.endTime);
  expect(stuck.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
});
