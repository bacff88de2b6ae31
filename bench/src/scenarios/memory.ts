// Issue 10: heap used after 10,000 warm invocations, and whether it keeps growing. Each
// variant runs in its own fresh process (with --expose-gc) so heaps never mix.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { contexts, orderEvents } from '../lib/events.js';
import { checkedInvoke, loadHandler } from '../lib/load.js';
import { fmtFigure, type Table } from '../lib/report.js';
import { runScenario } from '../lib/scenario.js';
import { startServers } from '../lib/servers.js';
import { SMOKE, settings } from '../lib/settings.js';
import { summarize } from '../lib/stats.js';
import { selectVariants, stacks, type VariantSpec } from '../lib/variants.js';

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
  await checkedInvoke(handler, events[0], ctxs[0], spec.id);
  const n = settings.memoryInvocations;
  const run = async (count: number) => {
    for (let i = 0; i < count; i++) await handler(events[i % events.length], ctxs[i % ctxs.length]);
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

if (process.argv[2] === '--measure') {
  const spec = JSON.parse(process.argv[3]!) as VariantSpec;
  const m = await measureHere(spec);
  process.send!(m, () => process.exit(0));
} else {
  await runScenario(async () => {
    const awaiting: string[] = [];
    const tables: Table[] = [];
    const processes = SMOKE ? 1 : 3;
    for (const stack of stacks.filter((s) => s.id !== 'api-idempotent')) {
      const { ready, awaiting: a } = await selectVariants(stack);
      awaiting.push(...a);
      if (ready.length === 0) continue;
      const servers = await startServers(new Set(ready.flatMap((v) => v.servers)));
      const results = new Map<string, Measurement[]>();
      for (let p = 0; p < processes; p++) {
        for (const v of ready) {
          const m = await new Promise<Measurement>((resolve, reject) => {
            const child = fork(self, ['--measure', JSON.stringify(v)], {
              execArgv: ['--import', 'tsx', '--expose-gc'],
              stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
              env: { ...process.env, ...servers.env },
            });
            let stderr = '';
            child.stderr?.on('data', (c: Buffer) => {
              stderr += c.toString();
            });
            child.on('message', (msg) => resolve(msg as Measurement));
            child.on('exit', (code) => {
              if (code !== 0) reject(new Error(`memory ${v.id}: exit ${code}\n${stderr.slice(0, 2000)}`));
            });
          });
          results.set(v.id, [...(results.get(v.id) ?? []), m]);
        }
      }
      await servers.close();
      const mib = 2 ** 20;
      tables.push({
        title: `Heap, ${stack.title}`,
        columns: [
          'variant',
          `heap used after ${settings.memoryInvocations.toLocaleString('en-US')} invocations`,
          `growth over the first ${settings.memoryInvocations.toLocaleString('en-US')}`,
          `growth over the next ${settings.memoryInvocations.toLocaleString('en-US')}`,
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
      });
    }
    return {
      id: 'memory',
      title: 'Memory after warm invocations (issue 10)',
      measures:
        `Each variant in ${processes} fresh process(es) with \`--expose-gc\`: 500 warm-up invocations, full GC, heap ` +
        `used; then ${settings.memoryInvocations.toLocaleString('en-US')} invocations, full GC, heap used; then as many ` +
        'again. Growth over the second batch near zero means nothing accumulates per invocation; "timers left pending" ' +
        'counts `Timeout` handles alive after the last invocation settled.',
      tables,
      notes: [],
      awaiting,
    };
  });
}
