// node --import tsx --expose-gc --min-semi-space-size=512 --max-semi-space-size=512 \
//   bench/profile/alloc.ts [core|api|api-parts] [in flight] > /dev/null
// Bytes each variant of a stack allocates per invocation, one or `in flight` at once (inside the
// runtime's invoke store, as the concurrency scenario runs them). The young generation is made too
// large to fill, so no collection runs while the invocations do: the heap's growth over them is
// what they allocated, kept or not. Figures go to stderr (stdout takes the variants' log lines).
import { PerformanceObserver } from 'node:perf_hooks';
import { contexts, orderEvents } from '../src/lib/events.js';
import { type Handler, loadHandler } from '../src/lib/load.js';
import { startServers } from '../src/lib/servers.js';
import { apiStack, coreStack, selectVariants } from '../src/lib/variants.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc (and --min-semi-space-size=512 --max-semi-space-size=512)');
const which = process.argv[2] ?? 'api';
const stack = which === 'core' ? coreStack : apiStack;
const inFlight = Number(process.argv[3] ?? 1);
if (inFlight > 1) process.env.AWS_LAMBDA_MAX_CONCURRENCY = '64';

const { ready } = await selectVariants(stack);
const servers = await startServers(new Set(ready.flatMap((v) => v.servers)));
Object.assign(process.env, servers.env);
const { InvokeStore } = (await import('@aws/lambda-invoke-store' as string)) as {
  InvokeStore: { getInstanceAsync(): Promise<{ run<T>(c: object, fn: () => T): T }> };
};
const store = await InvokeStore.getInstanceAsync();
const requestIdKey = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
const events = orderEvents(64, 'alloc');
const ctxs = contexts(512);

/** Bytes per invocation over `count` invocations; NaN when a collection ran in the window. */
async function window(one: (i: number) => Promise<unknown>, count: number): Promise<number> {
  gc!();
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await one(next++);
    }),
  );
  const grown = process.memoryUsage().heapUsed - before;
  await new Promise((resolve) => setImmediate(resolve)); // the observer is told of a collection asynchronously
  observer.disconnect();
  // A collection in the window would have freed part of what was allocated: the figure would be low.
  return collections > 0 ? Number.NaN : grown / count;
}

async function bytesPerInvocation(handler: Handler): Promise<number> {
  const one = (i: number) => {
    const ctx = ctxs[i % ctxs.length]!;
    return store.run({ [requestIdKey]: ctx.awsRequestId }, () => handler(events[i % events.length], ctx));
  };
  for (let i = 0; i < 2000; i++) await one(i);
  // A short window first sizes the long one to fill at most a third of the young generation.
  const pilot = await window(one, 500);
  const count = Math.min(10_000, Math.floor((170 * 1024 * 1024) / Math.max(pilot || 50_000, 1_000)));
  return window(one, count);
}

/** `api-parts`: lambdakit's API stack built up one middleware at a time, each row the stack so far. */
async function apiParts(): Promise<Record<string, Handler>> {
  const { lambda, timeout } = await import('@lambdakit/core');
  const { logger } = await import('@lambdakit/logger');
  const { apigwHttp } = await import('@lambdakit/parser/apigw-http');
  const { parse } = await import('@lambdakit/parser/parse');
  const { config } = await import('@lambdakit/config');
  const { Order, Settings } = await import('../src/variants/order.js');
  const ok = { statusCode: 200, body: '{}' };
  const logged = async (_e: unknown, ctx: { log: { info(o: object, m: string): void } }) => {
    ctx.log.info({ orderId: 'o-1', statusCode: 200 }, 'order handled');
    return ok;
  };
  return {
    'lambda()': lambda().handle(async () => ok) as Handler,
    '+ logger() (one line)': lambda().use(logger()).handle(logged) as Handler,
    '+ timeout()': lambda()
      .use(logger())
      .use(timeout({ marginMs: 500 }))
      .handle(logged) as Handler,
    '+ parse(apigwHttp(Order))': lambda()
      .use(logger())
      .use(timeout({ marginMs: 500 }))
      .use(parse(apigwHttp(Order)))
      .handle(logged) as Handler,
    '+ config()': lambda()
      .use(logger())
      .use(timeout({ marginMs: 500 }))
      .use(parse(apigwHttp(Order)))
      .use(config({ schema: Settings, maxAgeSeconds: 900 }))
      .handle(logged) as Handler,
  };
}

const handlers: Record<string, Handler> = {};
for (const spec of ready) {
  if (which !== 'api-parts' || spec.id === 'bare' || spec.id === 'floor') handlers[spec.id] = await loadHandler(spec);
}
if (which === 'api-parts') Object.assign(handlers, await apiParts());
const figures: Record<string, number> = {};
for (const [id, handler] of Object.entries(handlers)) figures[id] = await bytesPerInvocation(handler);
await servers.close();
const base = figures[stack.baseline]!;
process.stderr.write(`${stack.id} stack, ${inFlight} in flight, Node ${process.versions.node}:\n`);
for (const [id, bytes] of Object.entries(figures)) {
  process.stderr.write(
    `  ${id.padEnd(26)} ${bytes.toFixed(0).padStart(6)} bytes per invocation  ${(bytes / base).toFixed(2)}× ${stack.baseline}\n`,
  );
}
