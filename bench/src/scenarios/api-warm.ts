// Issue 10: warm per-invocation overhead of the full API stack, bare vs Middy vs Powertools vs lambdakit.
import { fileURLToPath } from 'node:url';
import type { AimPoint } from '../lib/aims.js';
import { contexts, orderEvents } from '../lib/events.js';
import { checkedInvoke, loadHandler } from '../lib/load.js';
import { type Contender, cycle } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { startServers } from '../lib/servers.js';
import { apiStack, selectVariants } from '../lib/variants.js';
import { isolatedChild, warmTables } from '../lib/warm.js';

async function contenderFor(id: string): Promise<Contender> {
  const v = apiStack.variants.find((x) => x.id === id)!;
  const events = orderEvents(64, 'warm');
  const ctxs = contexts(256);
  const handler = await loadHandler(v);
  await checkedInvoke(handler, events[0], ctxs[0], v.id);
  const nextEvent = cycle(events);
  const nextContext = cycle(ctxs);
  return { name: v.id, run: () => handler(nextEvent(), nextContext()) };
}

if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const { ready, awaiting } = await selectVariants(apiStack);
    const base = {
      id: 'api-warm',
      title: 'Full stack: warm per-invocation overhead (issue 10)',
      measures:
        'Warm invocations of the API Gateway v2 order handler (one log line to /dev/null, JSON body parsed and ' +
        'validated with zod, settings read from SSM once and memoized), after each variant has loaded its config. ' +
        'Figures are min / **median** / max over timed batches of the mean time per invocation. ' +
        'Aims (issue 22): lambdakit ≤ 1.25× the floor (the same work by hand), ≤ 2.0× bare.',
      notes: [] as string[],
      awaiting,
    };
    if (ready.length === 0) return { ...base, tables: [] };
    const servers = await startServers(new Set(ready.flatMap((v) => v.servers)));
    const before = servers.ssmRequests() ?? 0;
    const table = await warmTables({
      self: fileURLToPath(import.meta.url),
      title: 'Warm invocation, API order handler',
      variants: ready,
      baseline: apiStack.baseline,
      references: apiStack.references,
      contenderFor,
      env: servers.env,
    });
    const requests = (servers.ssmRequests() ?? 0) - before;
    await servers.close();
    base.notes.push(
      `SSM requests during the whole scenario: ${requests} (one per variant per process: the first load; warm invocations make none).`,
    );
    const has = (id: string) => ready.some((v) => v.id === id);
    const aims: AimPoint[] = [];
    if (has('lambdakit')) {
      for (const [against, aim] of [
        ['floor', 1.25],
        ['bare', 2.0],
      ] as const) {
        if (!has(against)) continue;
        aims.push({
          key: `api-warm-vs-${against}`,
          label: `API stack warm vs ${against === 'floor' ? 'the floor (same work by hand)' : 'minimal bare'}`,
          against,
          aim,
          lambdakit: table.ratio('lambdakit', against),
          powertools: has('powertools') ? table.ratio('powertools', against).median : undefined,
          middy: has('middy') ? table.ratio('middy', against).median : undefined,
        });
      }
    }
    return { ...base, tables: [table], aims };
  });
}
