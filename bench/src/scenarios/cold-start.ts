// Issue 10: a fresh Node process importing the bundled handler and serving its first
// invocation, against `node -e 0` as the floor.
import type { AimPoint } from '../lib/aims.js';
import { bundleVariant } from '../lib/bundle.js';
import { type ColdJob, coldRunner, coldRuns } from '../lib/cold.js';
import { apigwV2Event, orderBody } from '../lib/events.js';
import { fmtFigure, fmtRatio, type Table } from '../lib/report.js';
import { runScenario } from '../lib/scenario.js';
import { startServers } from '../lib/servers.js';
import { settings } from '../lib/settings.js';
import { summarize } from '../lib/stats.js';
import { type Server, type Stack, selectVariants, stacks } from '../lib/variants.js';

await runScenario(async () => {
  const event = JSON.stringify(apigwV2Event(orderBody('cold-1')));
  const awaiting: string[] = [];
  const plans: { stack: Stack; ids: string[]; files: Map<string, string> }[] = [];
  const needs = new Set<Server>();
  for (const stack of stacks) {
    const { ready, awaiting: a } = await selectVariants(stack);
    awaiting.push(...a);
    if (ready.length === 0) continue;
    const files = new Map<string, string>();
    for (const v of ready) {
      files.set(v.id, (await bundleVariant(v.entry, `${stack.id}-${v.id}`)).file);
      for (const s of v.servers) needs.add(s);
    }
    plans.push({ stack, ids: ready.map((v) => v.id), files });
    if (stack.id === 'api') {
      // The same API stack without a bundler: packages imported from node_modules, as many deploy.
      const unbundled = new Map<string, string>();
      const ids = ready.map((v) => v.id).filter((id) => id !== 'floor');
      for (const v of ready.filter((x) => ids.includes(x.id))) {
        unbundled.set(
          v.id,
          (await bundleVariant(v.entry, `api-unbundled-${v.id}`, { packagesFromNodeModules: true })).file,
        );
      }
      const title = 'api stack, packages loaded from node_modules (no bundler)';
      plans.push({ stack: { ...stack, id: 'api-unbundled', title }, ids, files: unbundled });
    }
  }
  const servers = await startServers(needs);
  const jobs: ColdJob[] = [{ key: 'floor', args: ['-e', '0'], env: servers.env }];
  for (const plan of plans) {
    for (const id of plan.ids) {
      jobs.push({ key: `${plan.stack.id}/${id}`, args: [coldRunner, plan.files.get(id)!, event], env: servers.env });
    }
  }
  const runs = await coldRuns(jobs);
  await servers.close();
  const floorFig = summarize(runs.get('floor')!.map((r) => r.wallMs));
  const aims: AimPoint[] = [];
  const tables: Table[] = plans.map(({ stack, ids }) => {
    const median = (id: string) => summarize(runs.get(`${stack.id}/${id}`)!.map((r) => r.wallMs)).median;
    const ratio = (id: string, base: string, of: 'wallMs' | 'cpuMs' = 'wallMs') => {
      const a = runs.get(`${stack.id}/${id}`)!.map((r) => r[of]);
      const b = runs.get(`${stack.id}/${base}`)!.map((r) => r[of]);
      return summarize(a.map((x, i) => x / b[i]!));
    };
    const has = (id: string) => ids.includes(id);
    const lambdakitVs = (key: string, label: string, against: string, aim: number, of: 'wallMs' | 'cpuMs') => {
      if (!has('lambdakit') || !has(against)) return;
      aims.push({
        key,
        label,
        against: against === 'powertools' ? 'Powertools' : against,
        aim,
        lambdakit: ratio('lambdakit', against, of),
        powertools: has('powertools') ? ratio('powertools', against, of).median : undefined,
        middy: has('middy') ? ratio('middy', against, of).median : undefined,
      });
    };
    if (stack.id === 'api') lambdakitVs('cold-api', 'cold start, API stack (bundled)', 'bare', 1.03, 'wallMs');
    if (stack.id === 'api-idempotent')
      lambdakitVs('cold-api-idempotent', 'cold start, API stack + idempotency (bundled)', 'powertools', 0.95, 'wallMs');
    if (stack.id === 'api-unbundled')
      lambdakitVs('cold-api-unbundled', 'cold start, API stack, no bundler (CPU)', 'bare', 1.1, 'cpuMs');
    const refs = stack.references.filter((r) => ids.includes(r));
    return {
      title: `Cold start, ${stack.title}`,
      columns: [
        'variant',
        'spawn → exit (wall)',
        'above `node -e 0`',
        'process start → first response (in process)',
        'CPU at first response',
        'ratio to bare (wall)',
        'ratio to bare (CPU)',
        ...refs.map((r) => `ratio to ${r} (wall)`),
      ],
      rows: [
        ['`node -e 0` (floor)', fmtFigure(floorFig, 'ms'), '—', '—', '—', '—', '—', ...refs.map(() => '—')],
        ...ids.map((id) => {
          const rs = runs.get(`${stack.id}/${id}`)!;
          const label = stack.variants.find((v) => v.id === id)!.label;
          return [
            label,
            fmtFigure(summarize(rs.map((r) => r.wallMs)), 'ms'),
            `${(median(id) - floorFig.median).toFixed(1)} ms`,
            fmtFigure(summarize(rs.map((r) => r.servedMs)), 'ms'),
            fmtFigure(summarize(rs.map((r) => r.cpuMs)), 'ms'),
            id === stack.baseline ? '1×' : fmtRatio(ratio(id, stack.baseline)),
            id === stack.baseline ? '1×' : fmtRatio(ratio(id, stack.baseline, 'cpuMs')),
            ...refs.map((ref) => (id === ref ? '1×' : fmtRatio(ratio(id, ref)))),
          ];
        }),
      ],
    };
  });
  return {
    id: 'cold-start',
    title: 'Cold start (issue 10)',
    measures:
      `A fresh \`node\` process imports the esbuild bundle of the handler and serves one invocation, then exits: ` +
      `${settings.coldRuns} runs per variant after one untimed warm-up pass, variants interleaved, with \`node -e 0\` as ` +
      'the floor. Wall time is measured by the parent from spawn to exit; "in process" is `performance.now()` at the first ' +
      'response (ms since the process started). Variants with SSM/DynamoDB talk to local servers on 127.0.0.1 in the ' +
      'parent, so their first invocation includes creating the SDK client and one round trip per read. Ratios are paired ' +
      'per run. "CPU" is the process\'s user + system time at its first response. Aims (issue 22): API stack ≤ 1.03× ' +
      'bare; with idempotency ≤ 0.95× Powertools; without a bundler ≤ 1.1× bare in CPU.',
    tables,
    aims,
    notes: [],
    awaiting,
  };
});
