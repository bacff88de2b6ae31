// Issue 11: per-invocation cost of adding 10 metrics and flushing them as EMF, lambdakit vs
// Powertools metrics, side by side; everything writes to stdout (/dev/null).
import { fileURLToPath } from 'node:url';
import { missing } from '../lib/available.js';
import { contexts } from '../lib/events.js';
import { type Contender, cycle } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { baseEnv } from '../lib/servers.js';
import { isolatedChild, warmTables } from '../lib/warm.js';

const names = Array.from({ length: 10 }, (_, i) => `orderMetric${i}`);

const variants = [
  { id: 'bare', label: 'hand-written EMF object, `JSON.stringify` + one stdout write' },
  { id: 'lambdakit-fn', label: 'lambdakit `createMetrics()` + 10 × `add` + `flush()`' },
  { id: 'powertools-fn', label: 'Powertools `Metrics`: 10 × `addMetric` + `publishStoredMetrics()`' },
  { id: 'lambdakit-mw', label: 'lambdakit `lambda()` + `metrics()` middleware, 10 × `ctx.metrics.add`' },
  { id: 'powertools-mw', label: 'Powertools `logMetrics` on Middy, 10 × `addMetric`' },
];

async function contenderFor(id: string): Promise<Contender> {
  Object.assign(process.env, baseEnv);
  const nextContext = cycle(contexts(256));
  const event = { source: 'bench' };
  if (id === 'bare') {
    return {
      name: id,
      run: () => {
        const emf: Record<string, unknown> = {
          _aws: {
            Timestamp: Date.now(),
            CloudWatchMetrics: [
              {
                Namespace: 'bench',
                Dimensions: [['Service']],
                Metrics: names.map((n) => ({ Name: n, Unit: 'Count' })),
              },
            ],
          },
          Service: 'orders',
        };
        for (let i = 0; i < names.length; i++) emf[names[i]!] = i;
        process.stdout.write(`${JSON.stringify(emf)}\n`);
      },
    };
  }
  if (id === 'lambdakit-fn' || id === 'lambdakit-mw') {
    const { createMetrics, metrics } = await import('@lambdakit/metrics');
    if (id === 'lambdakit-fn') {
      return {
        name: id,
        run: () => {
          const m = createMetrics({ namespace: 'bench', service: 'orders' });
          for (let i = 0; i < names.length; i++) m.add(names[i]!, 'Count', i);
          m.flush();
        },
      };
    }
    const { lambda } = await import('@lambdakit/core');
    const handler = lambda()
      .use(metrics({ namespace: 'bench', service: 'orders', coldStartMetric: false }))
      .handle(async (_event, ctx) => {
        for (let i = 0; i < names.length; i++) ctx.metrics.add(names[i]!, 'Count', i);
        return { ok: true };
      });
    return { name: id, run: () => handler(event, nextContext()) };
  }
  const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics');
  const pt = new Metrics({ namespace: 'bench', serviceName: 'orders' });
  if (id === 'powertools-fn') {
    return {
      name: id,
      run: () => {
        for (let i = 0; i < names.length; i++) pt.addMetric(names[i]!, MetricUnit.Count, i);
        pt.publishStoredMetrics();
      },
    };
  }
  const { logMetrics } = await import('@aws-lambda-powertools/metrics/middleware');
  const { default: middy } = await import('@middy/core');
  const handler = middy(async () => {
    for (let i = 0; i < names.length; i++) pt.addMetric(names[i]!, MetricUnit.Count, i);
    return { ok: true };
  }).use(logMetrics(pt));
  return { name: id, run: () => handler(event, nextContext() as never) };
}

if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const absent = await missing(['@lambdakit/metrics']);
    const base = {
      id: 'metrics',
      title: 'Metrics: 10 metrics + flush per invocation (issue 11)',
      measures:
        'Per invocation: add 10 Count metrics and write them as one EMF line to stdout (/dev/null). The function ' +
        'rows call the libraries directly; the middleware rows run a whole handler (lambdakit `lambda()` vs Middy), so ' +
        'they include the wrapper. Aim: lambdakit not slower than Powertools.',
      notes: [] as string[],
      awaiting: absent.map((a) => `metrics needs ${a}`),
    };
    if (absent.length > 0) return { ...base, tables: [] };
    const table = await warmTables({
      self: fileURLToPath(import.meta.url),
      title: 'Add 10 metrics and flush',
      variants,
      baseline: 'bare',
      references: ['powertools-fn', 'powertools-mw'],
      contenderFor,
      env: baseEnv,
    });
    return { ...base, tables: [table] };
  });
}
