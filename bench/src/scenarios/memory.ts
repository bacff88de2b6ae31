// Issue 10: heap used after 10,000 warm invocations, and whether it keeps growing. Each
// variant runs in its own fresh process (with --expose-gc) so heaps never mix. The traced API
// stack (issue 18) runs too, under Lambda's tracing variables with a new trace header per
// invocation, its spans sent to a UDP socket read here.
import { fileURLToPath } from 'node:url';
import { contexts, orderEvents } from '../lib/events.js';
import { forkForAnswer } from '../lib/isolated.js';
import { checkedInvoke, loadHandler } from '../lib/load.js';
import { fmtFigure, type Table } from '../lib/report.js';
import { runScenario } from '../lib/scenario.js';
import { startServers } from '../lib/servers.js';
import { SMOKE, settings } from '../lib/settings.js';
import { summarize } from '../lib/stats.js';
import { type TracedVariant, tracedVariants, traceHeaders, tracingEnv } from '../lib/tracing.js';
import { startUdpSink } from '../lib/udp-sink.js';
import { type Stack, selectVariants, stacks, type VariantSpec } from '../lib/variants.js';

interface Measurement {
  afterWarmup: number;
  afterFirst: number;
  afterSecond: number;
  timers: number;
}

const self = fileURLToPath(import.meta.url);
const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

async function measureHere(spec: VariantSpec): Promise<Measurement> {
  const handler = await loadHandler(spec);
  const events = orderEvents(64, 'mem');
  const ctxs = contexts(256);
  // As Lambda's runtime does for a traced function: each invocation its own trace header.
  const headers = 'traced' in spec ? traceHeaders(64, (spec as TracedVariant).sampled) : undefined;
  await checkedInvoke(handler, events[0], ctxs[0], spec.id);
  const n = settings.memoryInvocations;
  const run = async (count: number) => {
    for (let i = 0; i < count; i++) {
      if (headers !== undefined) process.env._X_AMZN_TRACE_ID = headers[i % headers.length];
      await handler(events[i % events.length], ctxs[i % ctxs.length]);
    }
  };
  await run(500);
  const afterWarmup = heapAfterGc();
  await run(n);
  const afterFirst = heapAfterGc();
  await run(n);
  const afterSecond = heapAfterGc();
  // Timers still pending after the invocations settled (a per-invocation timer leak shows here).
  const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  return { afterWarmup, afterFirst, afterSecond, timers };
}

const processes = SMOKE ? 1 : 3;

/** Measures `v` in a fresh process with `--expose-gc`. */
function measureIn(v: VariantSpec, env: Record<string, string>): Promise<Measurement> {
  return forkForAnswer<Measurement>(self, ['--measure', JSON.stringify(v)], env, `memory ${v.id}`);
}

/** The heap table of one group of variants, each measured in {@link processes} fresh processes. */
async function heapTable(title: string, ready: readonly VariantSpec[], env: Record<string, string>): Promise<Table> {
  const servers = await startServers(new Set(ready.flatMap((v) => v.servers)));
  const results = new Map<string, Measurement[]>();
  try {
    for (let p = 0; p < processes; p++) {
      for (const v of ready) {
        const m = await measureIn(v, { ...servers.env, ...env });
        results.set(v.id, [...(results.get(v.id) ?? []), m]);
      }
    }
  } finally {
    await servers.close();
  }
  const mib = 2 ** 20;
  const count = settings.memoryInvocations.toLocaleString('en-US');
  return {
    title: `Heap, ${title}`,
    columns: [
      'variant',
      `heap used after ${count} invocations`,
      `growth over the first ${count}`,
      `growth over the next ${count}`,
      'timers left pending',
    ],
    rows: ready.map((v) => {
      const ms = results.get(v.id)!;
      return [
        v.label,
        fmtFigure(summarize(ms.map((m) => m.afterFirst / mib)), 'MiB'),
        fmtFigure(summarize(ms.map((m) => (m.afterFirst - m.afterWarmup) / 1024)), 'KiB'),
        fmtFigure(summarize(ms.map((m) => (m.afterSecond - m.afterFirst) / 1024)), 'KiB'),
        String(Math.max(...ms.map((m) => m.timers))),
      ];
    }),
  };
}

/** The API stack traced (issue 18), sampled, beside its untraced self, per library. */
async function tracedTable(): Promise<{ table: Table | undefined; awaiting: string[] }> {
  const group: Stack = {
    id: 'tracer',
    title: 'API order handler traced (`Sampled=1`) and untraced',
    baseline: 'lambdakit',
    references: [],
    variants: tracedVariants.filter((v) => v.sampled),
  };
  const { ready, awaiting } = await selectVariants(group);
  if (ready.length === 0) return { table: undefined, awaiting };
  const sink = await startUdpSink();
  try {
    return { table: await heapTable(group.title, ready, tracingEnv(sink.address)), awaiting };
  } finally {
    await sink.close();
  }
}

if (process.argv[2] === '--measure') {
  const spec = JSON.parse(process.argv[3]!) as VariantSpec;
  const m = await measureHere(spec);
  process.send!(m, () => process.exit(0));
} else {
  await runScenario(async () => {
    const awaiting: string[] = [];
    const tables: Table[] = [];
    for (const stack of stacks.filter((s) => s.id !== 'api-idempotent')) {
      const { ready, awaiting: a } = await selectVariants(stack);
      awaiting.push(...a);
      if (ready.length > 0) tables.push(await heapTable(stack.title, ready, {}));
    }
    const traced = await tracedTable();
    awaiting.push(...traced.awaiting);
    if (traced.table !== undefined) tables.push(traced.table);
    return {
      id: 'memory',
      title: 'Memory after warm invocations (issue 10)',
      measures:
        `Each variant in ${processes} fresh process(es) with \`--expose-gc\`: 500 warm-up invocations, full GC, heap ` +
        `used; then ${settings.memoryInvocations.toLocaleString('en-US')} invocations, full GC, heap used; then as many ` +
        'again. Growth over the second batch near zero means nothing accumulates per invocation; "timers left pending" ' +
        'counts `Timeout` handles alive after the last invocation settled. The traced group runs under Lambda’s ' +
        'tracing variables, a new `Sampled=1` trace header per invocation, spans sent to a UDP socket on 127.0.0.1.',
      tables,
      notes: [],
      awaiting,
    };
  });
}
