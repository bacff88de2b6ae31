import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { lambda, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { ExportResultCode } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { expect, it } from 'vitest';
import { openInvocations } from './current-invocation.js';
import { createTracer, tracer } from './index.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Answers each export on the next turn of the event loop, and keeps nothing. */
const forgetful: SpanExporter = {
  export: (_spans, done) => setImmediate(() => done({ code: ExportResultCode.SUCCESS })),
  shutdown: async () => {},
  forceFlush: async () => {},
};

// The tracer enters its invocation into an AsyncLocalStorage from its `before` hook. Before
// lambda() gave each invocation an async scope of its own, that store leaked into the caller, the
// next invocation started inside it, and every finished invocation (its ctx, logger, spans) stayed
// reachable from the next one: a warm sandbox's memory grew by kilobytes per invocation.
it('a finished traced invocation is garbage-collected while later ones run', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const seen: WeakRef<object>[] = [];
  const handler = lambda()
    .use(tracer({ tracer: createTracer({ exporter: forgetful }) }))
    .use(timeout({ marginMs: 100 }))
    .handle(async (_event, ctx) => {
      expect(ctx.trace.recording).toBe(true);
      seen.push(new WeakRef(ctx));
      await ctx.trace.span('step', tick);
      return 'ok';
    });
  // No trace header: recorded, as the tracer's `sampled` option says by default.
  for (let n = 0; n < 6; n++) await handler({}, createContext({ timeoutMs: 60_000 }));
  await tick(); // WeakRefs hold their targets until the job that read them ends
  gc();
  expect(openInvocations()).toBe(0);
  expect(seen.slice(0, 5).filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
});
