import { lambda } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import { createContext, type LocalXrayDaemon, startLocalXrayDaemon } from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { createTracer, type InvocationTrace, tracer, xrayDaemonExporter } from './index.js';

let daemon: LocalXrayDaemon;
beforeAll(async () => {
  daemon = await startLocalXrayDaemon();
});
afterAll(() => daemon.close());
afterEach(() => vi.unstubAllEnvs());

const header = (sampled: 0 | 1) =>
  `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=${sampled}`;

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

it.each(['tracer first', 'logger first'] as const)('log lines carry the running span’s id (%s)', async (order) => {
  vi.stubEnv('_X_AMZN_TRACE_ID', header(1));
  const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
  const { lines, destination } = capture();
  const logic = async (ctx: { log: { info(message: string): void }; trace: InvocationTrace }) => {
    ctx.log.info('before the step');
    await ctx.trace.span('step', async () => {
      ctx.log.info('inside the step');
    });
    return 'ok';
  };
  const handler =
    order === 'tracer first'
      ? lambda()
          .use(tracer({ tracer: t }))
          .use(logger({ destination }))
          .handle((_e, ctx) => logic(ctx))
      : lambda()
          .use(logger({ destination }))
          .use(tracer({ tracer: t }))
          .handle((_e, ctx) => logic(ctx));
  daemon.clear();
  await handler({}, createContext({ functionName: 'fn' }));
  const spans = await daemon.waitForSpans(2);
  const root = spans.find((s) => s.name === 'fn')!;
  const step = spans.find((s) => s.name === 'step')!;
  const byMessage = (m: string) => lines.find((l) => l.message === m)!;
  expect(byMessage('inside the step').spanId).toBe(step.spanId);
  expect(byMessage('before the step').spanId).toBe(root.spanId);
  expect(byMessage('inside the step').xrayTraceId).toBe('1-5759e988-bd862e3fe1be46a994272793');
});

it('unsampled, or without the tracer, lines carry no spanId', async () => {
  vi.stubEnv('_X_AMZN_TRACE_ID', header(0));
  const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
  const { lines, destination } = capture();
  await lambda()
    .use(tracer({ tracer: t }))
    .use(logger({ destination }))
    .handle(async (_e, ctx) => {
      ctx.log.info('unsampled');
    })({}, createContext());
  await lambda()
    .use(logger({ destination }))
    .handle(async (_e, ctx) => {
      ctx.log.info({ spanId: 'mine' }, 'untraced, own field kept');
    })({}, createContext());
  expect(lines.find((l) => l.message === 'unsampled')).not.toHaveProperty('spanId');
  expect(lines.find((l) => l.message === 'untraced, own field kept')?.spanId).toBe('mine');
});
