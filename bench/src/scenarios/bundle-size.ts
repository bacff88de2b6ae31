// Issue 10: each handler bundled for Lambda with esbuild; bytes and gzip bytes.
import { type AimPoint, exact } from '../lib/aims.js';
import { type Bundle, bundleVariant, largestParts } from '../lib/bundle.js';
import { fmtBytes, type Table } from '../lib/report.js';
import { runScenario } from '../lib/scenario.js';
import { selectVariants, stacks } from '../lib/variants.js';

await runScenario(async () => {
  const awaiting: string[] = [];
  const tables: Table[] = [];
  const notes: string[] = [];
  const aims: AimPoint[] = [];
  for (const stack of stacks) {
    const { ready, awaiting: a } = await selectVariants(stack);
    awaiting.push(...a);
    if (ready.length === 0) continue;
    const bundles = new Map<string, Bundle>();
    for (const v of ready) bundles.set(v.id, await bundleVariant(v.entry, `${stack.id}-${v.id}`));
    const base = bundles.get(stack.baseline)!;
    const refs = stack.references.filter((r) => bundles.has(r));
    const gzipRatio = (id: string, against: string) => bundles.get(id)!.gzipBytes / bundles.get(against)!.gzipBytes;
    const point = (key: string, label: string, against: string, aim: number) => {
      if (!bundles.has('lambdakit') || !bundles.has(against)) return;
      aims.push({
        key,
        label,
        against: against === 'powertools' ? 'Powertools' : against,
        aim,
        lambdakit: exact(gzipRatio('lambdakit', against)),
        powertools: bundles.has('powertools') ? gzipRatio('powertools', against) : undefined,
        middy: bundles.has('middy') ? gzipRatio('middy', against) : undefined,
      });
    };
    if (stack.id === 'api') point('bundle-api', 'gzip bundle, API stack', 'bare', 1.05);
    if (stack.id === 'api-idempotent')
      point('bundle-api-idempotent', 'gzip bundle, API stack + idempotency', 'powertools', 1.0);
    tables.push({
      title: `Bundle size, ${stack.title}`,
      columns: [
        'variant',
        'minified',
        'gzip',
        'gzip ratio to bare',
        ...refs.map((r) => `gzip ratio to ${r}`),
        'largest parts (minified)',
      ],
      rows: ready.map((v) => {
        const b = bundles.get(v.id)!;
        const parts = largestParts(b);
        return [
          v.label,
          fmtBytes(b.bytes),
          fmtBytes(b.gzipBytes),
          `${(b.gzipBytes / base.gzipBytes).toFixed(3)}×`,
          ...refs.map((r) => `${(b.gzipBytes / bundles.get(r)!.gzipBytes).toFixed(3)}×`),
          parts,
        ];
      }),
    });
  }
  notes.push(
    'Bytes are deterministic for a given lockfile, so this scenario has no min/max: one build per variant. ' +
      '`@aws-sdk/*` is external (provided by the Lambda Node.js runtime) and not counted.',
  );
  return {
    id: 'bundle-size',
    title: 'Bundle size (issue 10)',
    measures:
      'Each variant bundled with esbuild: `bundle`, `minify`, ESM, `platform: node`, `target: node20`, `@aws-sdk/*` ' +
      'external, no legal comments; gzip at level 9. Aims (issue 22): API stack gzip ≤ 1.05× bare; with idempotency ' +
      '≤ 1.0× Powertools.',
    tables,
    aims,
    notes,
    awaiting,
  };
});
