import { lambda } from '@lambdakit/core';
import type { Span } from '@opentelemetry/api';
import { describe, expectTypeOf, it } from 'vitest';
import { createTracer, type InvocationTrace, tracer } from './index.js';

describe('tracer types', () => {
  it('adds a typed ctx.trace through .use(tracer())', () => {
    lambda()
      .use(tracer())
      .handle(async (_event, ctx) => {
        expectTypeOf(ctx.trace).toEqualTypeOf<InvocationTrace>();
        const n = await ctx.trace.span('step', async (span) => {
          expectTypeOf(span).toEqualTypeOf<Span>();
          return 42;
        });
        expectTypeOf(n).toEqualTypeOf<number>();
        const s = await ctx.trace.span('sync', () => 'x', { 'order.items': 3 });
        expectTypeOf(s).toEqualTypeOf<string>();
      });
  });

  it('has no ctx.trace without the middleware', () => {
    lambda().handle((_event, ctx) => {
      // @ts-expect-error tracer() was not used
      ctx.trace.span('x', () => 1);
    });
  });

  it('the function door returns what the traced function returns', async () => {
    const t = createTracer({ exporter: 'none' });
    const r = await t.traceInvocation({}, {}, async () => ({ statusCode: 200 as const }));
    expectTypeOf(r).toEqualTypeOf<{ statusCode: 200 }>();
    // @ts-expect-error attributes are OpenTelemetry attribute values
    await t.traceInvocation({}, {}, (trace) => trace.span('x', () => 1, { bad: { nested: true } }));
  });
});
