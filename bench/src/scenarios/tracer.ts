// Issue 18: what tracing adds to the API handler, lambdakit's `tracer()` beside Powertools' tracer,
// each against its own stack untraced: cold start, warm cost with two spans and unsampled, gzip bytes.
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Bundle, bundleVariant, largestParts } from '../lib/bundle.js';
import { type ColdJob, type ColdRun, coldRunner, coldRuns } from '../lib/cold.js';
import { apigwV2Event, contexts, orderBody, orderEvents } from '../lib/events.js';
import { checkedInvoke, loadHandler } from '../lib/load.js';
import { fmtBytes, fmtFigure, fmtInt, type Table } from '../lib/report.js';
import { type Contender, cycle } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { startServers } from '../lib/servers.js';
import { settings } from '../lib/settings.js';
import { type Figure, summarize } from '../lib/stats.js';
import { type ColdFigures, tracerAimPoints, tracerAimsTable, type WarmFigures } from '../lib/tracer-aims.js';
import { sampledHeader, type TracedVariant, tracedVariants, traceHeaders, tracingEnv } from '../lib/tracing.js';
import { startUdpSink, type UdpSink } from '../lib/udp-sink.js';
import { selectVariants } from '../lib/variants.js';
import { isolatedChild, warmTables } from '../lib/warm.js';

const variant = (id: string) => tracedVariants.find((v) => v.id === id)!;
/** The sink, in the scenario's own process only (an own-process child sends to it but cannot read it). */
let sink: UdpSink | undefined;
/** Datagrams and bytes each variant sent per invocation, counted before its warm timing. */
const exported = new Map<string, { datagrams: number; bytes: number }>();

/** Invokes a few times and counts what reached the sink: a sampled traced variant that sends nothing is broken. */
async function countExports(v: TracedVariant, run: () => Promise<unknown>): Promise<void> {
  if (sink === undefined) return;
  const n = 8;
  await sleep(50); // what the checked invocation sent arrives first
  const before = sink.received();
  for (let i = 0; i < n; i++) await run();
  await sleep(50); // datagrams already sent are read by this process's event loop
  const after = sink.received();
  const datagrams = (after.datagrams - before.datagrams) / n;
  exported.set(v.id, { datagrams, bytes: (after.bytes - before.bytes) / n });
  if (v.traced && v.sampled && datagrams === 0) {
    throw new Error(`${v.id}: a sampled invocation sent nothing to the daemon address`);
  }
}

async function contenderFor(id: string): Promise<Contender> {
  const v = variant(id);
  const events = orderEvents(64, 'tracer');
  const ctxs = contexts(256);
  const headers = traceHeaders(64, v.sampled);
  process.env._X_AMZN_TRACE_ID = headers[0];
  const handler = await loadHandler(v);
  await checkedInvoke(handler, events[0], ctxs[0], v.id);
  const nextEvent = cycle(events);
  const nextContext = cycle(ctxs);
  const nextHeader = cycle(headers);
  // As Lambda's Node.js runtime does before each invocation, for every variant alike.
  const run = () => {
    process.env._X_AMZN_TRACE_ID = nextHeader();
    return handler(nextEvent(), nextContext());
  };
  await countExports(v, run);
  return { name: v.id, run };
}

/**
 * Cold start of each bundle (keys from {@link bundles}), paired run by run. A module-first bundle
 * identical to the default one (no package in it ships both builds) is not run twice.
 */
async function coldTable(
  files: Map<string, string>,
  env: Record<string, string>,
): Promise<ColdFigures & { table: Table }> {
  const event = JSON.stringify(apigwV2Event(orderBody('cold-1')));
  const jobs: ColdJob[] = [...files].map(([key, file]) => ({ key, args: [coldRunner, file, event], env }));
  const runs = await coldRuns(jobs);
  const wall = (key: string) => runs.get(key)!.map((r) => r.wallMs);
  const paired = (key: string, base: string, op: (a: number, b: number) => number): Figure => {
    const b = wall(base);
    return summarize(wall(key).map((x, i) => op(x, b[i]!)));
  };
  const esm = (id: string) => (files.has(`${id}/esm`) ? `${id}/esm` : id);
  const fig = (key: string, pick: (r: ColdRun) => number) => fmtFigure(summarize(runs.get(key)!.map(pick)), 'ms');
  return {
    added: (id, base) => paired(id, base, (a, b) => a - b),
    addedModuleFirst: (id, base) => paired(esm(id), esm(base), (a, b) => a - b),
    ratio: (id, base) => paired(id, base, (a, b) => a / b),
    median: (id) => summarize(wall(id)).median,
    table: {
      title: 'Cold start, API order handler traced and untraced',
      columns: ['variant', 'spawn → exit (wall)', 'process start → first response', 'CPU at first response'],
      rows: [...files.keys()].map((key) => [
        `${variant(key.replace(/\/esm$/, '')).label}${key.endsWith('/esm') ? ', bundled `mainFields: [module, main]`' : ''}`,
        fig(key, (r) => r.wallMs),
        fig(key, (r) => r.servedMs),
        fig(key, (r) => r.cpuMs),
      ]),
      note: `${settings.coldRuns} fresh processes per bundle after one untimed pass, interleaved; header \`${sampledHeader}\`.`,
    },
  };
}

/** The bundles to cold-start: each default one, and `<id>/esm` where the module-first one differs. */
function coldFiles(ids: readonly string[], byDefault: Map<string, Bundle>, moduleFirst: Map<string, Bundle>) {
  const files = new Map<string, string>();
  for (const id of ids) {
    const [d, m] = [byDefault.get(id)!, moduleFirst.get(id)!];
    files.set(id, d.file);
    if (m.bytes !== d.bytes || m.gzipBytes !== d.gzipBytes) files.set(`${id}/esm`, m.file);
  }
  return files;
}

/** Gzip bytes of each bundle, as the bench bundles (CommonJS builds first) and preferring ES modules. */
async function bundles(ids: readonly string[]) {
  const byDefault = new Map<string, Bundle>();
  const moduleFirst = new Map<string, Bundle>();
  for (const id of ids) {
    const v = variant(id);
    byDefault.set(id, await bundleVariant(v.entry, `tracer-${id}`));
    moduleFirst.set(id, await bundleVariant(v.entry, `tracer-esm-${id}`, { mainFields: ['module', 'main'] }));
  }
  const growth = (set: Map<string, Bundle>, id: string, base: string) =>
    set.get(id)!.gzipBytes - set.get(base)!.gzipBytes;
  const table: Table = {
    title: 'Bundle size, API order handler traced and untraced',
    columns: ['variant', 'minified', 'gzip', 'gzip, `mainFields: [module, main]`', 'largest parts (minified)'],
    rows: ids.map((id) => {
      const b = byDefault.get(id)!;
      const parts = largestParts(b);
      return [
        variant(id).label,
        fmtBytes(b.bytes),
        fmtBytes(b.gzipBytes),
        fmtBytes(moduleFirst.get(id)!.gzipBytes),
        parts,
      ];
    }),
  };
  return {
    table,
    growth: (id: string, base: string) => growth(byDefault, id, base),
    growthModuleFirst: (id: string, base: string) => growth(moduleFirst, id, base),
    files: coldFiles(ids, byDefault, moduleFirst),
  };
}

/** What each variant sent to the daemon address per invocation. */
function exportsTable(): Table {
  return {
    title: 'Sent to the daemon address per invocation',
    columns: ['variant', 'datagrams', 'bytes'],
    rows: tracedVariants.map((v) => {
      const e = exported.get(v.id);
      return [v.label, e === undefined ? '—' : e.datagrams.toFixed(1), e === undefined ? '—' : fmtInt(e.bytes)];
    }),
    note: 'Counted on 8 warm invocations per variant in the scenario’s process, before its timing.',
  };
}

/** Both libraries' warm tables, each against its own untraced stack (never in one process: both hook async work). */
async function warmTablesOf(env: Record<string, string>): Promise<WarmFigures> {
  const table = (library: 'lambdakit' | 'powertools') =>
    warmTables({
      self: fileURLToPath(import.meta.url),
      title: `Warm invocation, ${library === 'lambdakit' ? 'lambdakit' : 'Powertools'} traced and untraced`,
      variants: tracedVariants.filter((v) => v.library === library),
      baseline: library,
      references: [],
      contenderFor,
      env,
    });
  return { lambdakit: await table('lambdakit'), powertools: await table('powertools') };
}

if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const { ready, awaiting } = await selectVariants({
      id: 'tracer',
      title: 'tracer',
      baseline: 'lambdakit',
      references: [],
      variants: [...tracedVariants],
    });
    const base = {
      id: 'tracer',
      title: 'Tracing: lambdakit `tracer()` vs Powertools tracer (issue 18)',
      measures:
        'The API order handler of the API stack, untraced and traced, per library: lambdakit with `tracer()` first and ' +
        'two `ctx.trace.span()` steps, spans exported by `xrayDaemonExporter` (OTLP protobuf in the daemon’s UDP ' +
        'format); Powertools with `captureLambdaHandler` first on Middy and two subsegments (X-Ray SDK, JSON ' +
        'segments over UDP). Both send to a UDP socket this scenario reads on 127.0.0.1, under Lambda’s tracing ' +
        'variables; warm invocations each get their own `_X_AMZN_TRACE_ID` (`Sampled=1`, or `Sampled=0`), set ' +
        'before the call as the Node.js runtime does, for every variant. Aims (issue 18): cold start ≤ 10 ms over ' +
        'the untraced stack; warm ≤ 5 µs with two spans, ≤ 1 µs unsampled; gzip growth below Powertools’ tracer’s.',
      notes: [] as string[],
      awaiting,
    };
    if (ready.length < tracedVariants.length) return { ...base, tables: [] };
    sink = await startUdpSink();
    const servers = await startServers(new Set(ready.flatMap((v) => v.servers)));
    const env = { ...servers.env, ...tracingEnv(sink.address) };
    Object.assign(process.env, env);
    const ids = ['lambdakit', 'lambdakit-traced', 'powertools', 'powertools-traced'];
    const sizes = await bundles(ids);
    const cold = await coldTable(sizes.files, env);
    const warm = await warmTablesOf(env);
    const received = sink.received();
    await servers.close();
    await sink.close();
    base.notes.push(
      `The daemon address received ${fmtInt(received.datagrams)} datagrams (${fmtBytes(received.bytes)}) in all.`,
    );
    const tables = [
      tracerAimsTable(cold, warm, sizes),
      warm.lambdakit,
      warm.powertools,
      cold.table,
      sizes.table,
      exportsTable(),
    ];
    return { ...base, tables, aims: tracerAimPoints(cold, warm, sizes) };
  });
}
