// Issue 12: throughput of a whole stack with 1, 8 and 64 invocations in flight in one process
// (Lambda Managed Instances). Each variant runs alone in fresh processes.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type AimPoint, throughputCost } from '../lib/aims.js';
import { contexts, orderEvents } from '../lib/events.js';
import { checkedInvoke, loadHandler } from '../lib/load.js';
import { fmtFigure, type Table } from '../lib/report.js';
import { runScenario } from '../lib/scenario.js';
import { startServers } from '../lib/servers.js';
import { SMOKE, settings } from '../lib/settings.js';
import { summarize } from '../lib/stats.js';
import { apiStack, coreStack, selectVariants, type VariantSpec } from '../lib/variants.js';

const levels = [1, 8, 64];
const self = fileURLToPath(import.meta.url);

type Invoke = (event: unknown, context: { awsRequestId: string }) => Promise<unknown>;

/**
 * Emulates the Lambda runtime under multi-concurrency: it runs every invocation inside AWS's
 * invoke-scoped store (`@aws/lambda-invoke-store`, which Powertools requires when
 * AWS_LAMBDA_MAX_CONCURRENCY is set). Applied to every variant alike.
 */
async function runtimeInvoke(spec: VariantSpec): Promise<Invoke> {
  const handler = await loadHandler(spec);
  const { InvokeStore } = (await import('@aws/lambda-invoke-store' as string)) as {
    InvokeStore: { getInstanceAsync(): Promise<{ run<T>(c: object, fn: () => T): T }> };
  };
  const store = await InvokeStore.getInstanceAsync();
  const requestIdKey = Symbol.for('_AWS_LAMBDA_REQUEST_ID');
  return (event, context) => store.run({ [requestIdKey]: context.awsRequestId }, () => handler(event, context));
}

/** Invocations per second with `inFlight` invocations running at once, `total` in all. */
async function throughput(handler: Invoke, inFlight: number, total: number): Promise<number> {
  const events = orderEvents(64, 'conc');
  const ctxs = contexts(512);
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      await handler(events[i % events.length], ctxs[i % ctxs.length]!);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return total / (Number(process.hrtime.bigint() - started) / 1e9);
}

if (process.argv[2] === '--measure') {
  const spec = JSON.parse(process.argv[3]!) as VariantSpec;
  const handler = await runtimeInvoke(spec);
  await checkedInvoke(handler as never, orderEvents(1, 'check')[0], contexts(1)[0], spec.id);
  // Warm-up: one untimed pass over every level, as long as the timed one. The paths with many
  // invocations in flight (async context, the deadline scheduler's heap, interleaved awaits) reach
  // optimised code later than the one-at-a-time path: with a short warm-up at one level the timed
  // pass measured V8 tiering up (a stack's first 8,000 invocations at 8 in flight ran at half its
  // steady rate on Node 24), not throughput.
  for (const c of levels) await throughput(handler, c, settings.concurrencyInvocations);
  const out: Record<number, number> = {};
  for (const c of levels) out[c] = await throughput(handler, c, settings.concurrencyInvocations);
  process.send!(out, () => process.exit(0));
} else {
  await runScenario(async () => {
    const awaiting: string[] = [];
    const tables: Table[] = [];
    const processes = SMOKE ? 1 : 3;
    const aims: AimPoint[] = [];
    for (const stack of [coreStack, apiStack]) {
      const { ready, awaiting: a } = await selectVariants(stack);
      awaiting.push(...a);
      if (ready.length === 0) continue;
      const servers = await startServers(new Set(ready.flatMap((v) => v.servers)));
      const results = new Map<string, Record<number, number>[]>();
      for (let p = 0; p < processes; p++) {
        for (const v of ready) {
          const r = await new Promise<Record<number, number>>((resolve, reject) => {
            const child = fork(self, ['--measure', JSON.stringify(v)], {
              execArgv: ['--import', 'tsx', '--expose-gc'],
              stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
              env: { ...process.env, ...servers.env, AWS_LAMBDA_MAX_CONCURRENCY: '64' },
            });
            let stderr = '';
            child.stderr?.on('data', (c: Buffer) => {
              stderr += c.toString();
            });
            child.on('message', (m) => resolve(m as Record<number, number>));
            child.on('exit', (code) => {
              if (code !== 0) reject(new Error(`concurrency ${v.id}: exit ${code}\n${stderr.slice(0, 2000)}`));
            });
          });
          results.set(v.id, [...(results.get(v.id) ?? []), r]);
        }
      }
      await servers.close();
      const median = (id: string, c: number) => summarize(results.get(id)!.map((r) => r[c]!)).median;
      const lambdakitId = stack.id === 'core' ? 'lambda+timeout' : 'lambdakit';
      const has = (id: string) => ready.some((v) => v.id === id);
      if (has(lambdakitId)) {
        for (const c of levels.filter((l) => l > 1)) {
          const bare = median(stack.baseline, c);
          const cost = (id: string) => bare / median(id, c);
          aims.push({
            key: `throughput-${stack.id}-${c}`,
            label: `throughput, ${stack.id === 'core' ? 'core' : 'API'} stack, ${c} in flight (cost = bare ÷ variant)`,
            against: 'bare',
            aim: stack.id === 'core' ? 1 / 0.85 : 1 / 0.7,
            lambdakit: throughputCost(summarize(results.get(lambdakitId)!.map((r) => r[c]!)), bare),
            powertools: has('powertools') ? cost('powertools') : undefined,
            middy: has('middy') ? cost('middy') : undefined,
          });
        }
      }
      tables.push({
        title: `Throughput, ${stack.title}`,
        columns: ['variant', ...levels.flatMap((c) => [`${c} in flight (inv/s)`, `${c}: % of bare`])],
        rows: ready.map((v) => [
          v.label,
          ...levels.flatMap((c) => [
            fmtFigure(summarize(results.get(v.id)!.map((r) => r[c]! / 1000)), 'k'),
            `${Math.round((100 * median(v.id, c)) / median(stack.baseline, c))}%`,
          ]),
        ]),
      });
    }
    return {
      id: 'concurrency',
      title: 'Concurrent invocations in one process (issue 12)',
      measures:
        `Each variant alone in ${processes} fresh process(es) with \`AWS_LAMBDA_MAX_CONCURRENCY=64\` (so libraries ` +
        `that switch to per-invocation async storage do): ${settings.concurrencyInvocations.toLocaleString('en-US')} ` +
        'invocations with 1, 8 and 64 in flight at once, distinct request ids and events; throughput in thousands of ' +
        'invocations per second (higher is better), min / **median** / max over processes. Like the Lambda runtime ' +
        'under multi-concurrency, the harness runs every invocation inside `@aws/lambda-invoke-store` (an ' +
        'AsyncLocalStorage), for every variant.',
      tables,
      notes: [],
      awaiting,
      aims,
    };
  });
}
