import { InvokeStore } from '@aws/lambda-invoke-store';
import { lambda } from '@lambdakit/core';
import { createContext, type LocalXrayDaemon, startLocalXrayDaemon } from '@lambdakit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openInvocations } from './current-invocation.js';
import { createTracer, tracer, xrayDaemonExporter } from './index.js';

// Lambda Managed Instances: invocations overlap in one process, each inside the runtime's
// invoke store with its own X-Ray header; no span, context or sampling decision may cross over.
let daemon: LocalXrayDaemon;
let store: Awaited<ReturnType<typeof InvokeStore.getInstanceAsync>>;
beforeAll(async () => {
  store = await InvokeStore.getInstanceAsync(true);
  daemon = await startLocalXrayDaemon();
});
afterAll(() => daemon.close());

const tick = () => new Promise((resolve) => setImmediate(resolve));

it('50 interleaved invocations keep their own trees, and unsampled ones send nothing', async () => {
  const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
  const handler = lambda()
    .use(tracer({ tracer: t }))
    .handle(async (event, ctx) => {
      const { n } = event as { n: number };
      await tick();
      return ctx.trace.span(`outer-${n}`, async () => {
        await tick();
        await ctx.trace.span(`inner-${n}`, async () => {
          await tick();
        });
        await tick();
        return ctx.trace.traceId;
      });
    });
  const rootOf = (n: number) => n.toString(16).padStart(8, '0') + 'a'.repeat(24);
  const sampled = (n: number) => n % 5 !== 0;
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, n) =>
      store.run(
        {
          [Symbol.for('_AWS_LAMBDA_REQUEST_ID')]: `req-${n}`,
          [Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID')]:
            `Root=1-${rootOf(n).slice(0, 8)}-${rootOf(n).slice(8)};Parent=${(n + 1).toString(16).padStart(16, '0')};Sampled=${sampled(n) ? 1 : 0}`,
        },
        () => handler({ n }, createContext({ functionName: 'mi', requestId: `req-${n}` })),
      ),
    ),
  );
  expect(results).toEqual(Array.from({ length: 50 }, (_, n) => rootOf(n)));
  const sampledCount = Array.from({ length: 50 }, (_, n) => n).filter(sampled).length;
  const spans = await daemon.waitForSpans(sampledCount * 3);
  await tick();
  expect(daemon.spans()).toHaveLength(sampledCount * 3);
  for (let n = 0; n < 50; n++) {
    const mine = spans.filter((s) => s.traceId === rootOf(n));
    if (!sampled(n)) {
      expect(mine).toEqual([]);
      continue;
    }
    const root = mine.find((s) => s.name === 'mi')!;
    const outer = mine.find((s) => s.name === `outer-${n}`)!;
    const inner = mine.find((s) => s.name === `inner-${n}`)!;
    expect(mine).toHaveLength(3);
    expect(root.parentSpanId).toBe((n + 1).toString(16).padStart(16, '0'));
    expect(root.attributes['faas.invocation_id']).toBe(`req-${n}`);
    expect(outer.parentSpanId).toBe(root.spanId);
    expect(inner.parentSpanId).toBe(outer.spanId);
  }
  // Nothing of the 50 is held once they settled (the registry SDK clients look invocations up in).
  expect(openInvocations()).toBe(0);
});
