// Issue 18's aims for tracing, as rows of the tracer scenario and of the chart that opens RESULTS.md:
// what tracing adds to the API handler, lambdakit's tracer beside Powertools', each against its own stack untraced.
import { type AimPoint, exact } from './aims.js';
import { fmtBytes, fmtFigure, type Table } from './report.js';
import type { Figure } from './stats.js';
import type { WarmTable } from './warm.js';

/** Cold starts of the tracer scenario: ids as in `tracedVariants`, paired run by run. */
export interface ColdFigures {
  /** Wall ms `id` takes over `base`. */
  added(id: string, base: string): Figure;
  /** The same, both bundled preferring ES modules (`mainFields: ['module', 'main']`). */
  addedModuleFirst(id: string, base: string): Figure;
  ratio(id: string, base: string): Figure;
  /** Median wall ms. */
  median(id: string): number;
}

/** Gzip bytes `id`'s bundle has over `base`'s, as the bench bundles and preferring ES modules. */
export interface SizeFigures {
  growth(id: string, base: string): number;
  growthModuleFirst(id: string, base: string): number;
}

/** Both libraries' warm tables, each against its own untraced stack. */
export interface WarmFigures {
  lambdakit: WarmTable;
  powertools: WarmTable;
}

const ms = (f: Figure) => fmtFigure(f, 'ms');
const us = (f: Figure) => fmtFigure(f, 'µs', 1000);
const met = (ok: boolean) => (ok ? 'yes' : '**no**');

/** Issue 18's rows: what tracing adds, lambdakit beside Powertools, each row with its aim. */
export function tracerAimsTable(cold: ColdFigures, warm: WarmFigures, sizes: SizeFigures): Table {
  const coldLk = cold.added('lambdakit-traced', 'lambdakit');
  const coldEsmLk = cold.addedModuleFirst('lambdakit-traced', 'lambdakit');
  const warmLk = warm.lambdakit.added('lambdakit-traced', 'lambdakit');
  const offLk = warm.lambdakit.added('lambdakit-unsampled', 'lambdakit');
  const gzLk = sizes.growth('lambdakit-traced', 'lambdakit');
  const gzPt = sizes.growth('powertools-traced', 'powertools');
  const esmLk = sizes.growthModuleFirst('lambdakit-traced', 'lambdakit');
  const esmPt = sizes.growthModuleFirst('powertools-traced', 'powertools');
  return {
    title: 'Tracing added to the API order handler (issue 18)',
    columns: ['row', 'aim', 'lambdakit', 'Powertools', 'aim met'],
    rows: [
      [
        'cold start, traced − untraced (wall, paired per run)',
        '≤ 10 ms',
        ms(coldLk),
        ms(cold.added('powertools-traced', 'powertools')),
        met(coldLk.median <= 10),
      ],
      [
        'cold start, the same bundled `mainFields: [module, main]`',
        '≤ 10 ms',
        ms(coldEsmLk),
        ms(cold.addedModuleFirst('powertools-traced', 'powertools')),
        met(coldEsmLk.median <= 10),
      ],
      [
        'warm, traced with 2 spans − untraced, per invocation',
        '≤ 5 µs',
        us(warmLk),
        us(warm.powertools.added('powertools-traced', 'powertools')),
        met(warmLk.median <= 5000),
      ],
      [
        'warm, `Sampled=0` − untraced, per invocation',
        '≤ 1 µs',
        us(offLk),
        us(warm.powertools.added('powertools-unsampled', 'powertools')),
        met(offLk.median <= 1000),
      ],
      [
        'gzip bundle growth (esbuild defaults, as every bundle here)',
        'below Powertools’',
        fmtBytes(gzLk),
        fmtBytes(gzPt),
        met(gzLk < gzPt),
      ],
      [
        'gzip bundle growth, `mainFields: [module, main]`',
        'below Powertools’',
        fmtBytes(esmLk),
        fmtBytes(esmPt),
        met(esmLk < esmPt),
      ],
    ],
    note:
      'Warm rows: each variant alone in fresh processes, the difference of the medians of processes run back to back ' +
      '(min / median / max over those pairs). Bundle growth: gzip bytes of the traced handler − the untraced one.',
  };
}

/**
 * The chart's rows. Its rows are cost ratios, so an aim in ms or µs becomes the ratio it allows
 * over the untraced stack, (untraced + budget) ÷ untraced; bundle growth is lambdakit's ÷ Powertools'.
 */
export function tracerAimPoints(cold: ColdFigures, warm: WarmFigures, sizes: SizeFigures): AimPoint[] {
  const coldBase = cold.median('lambdakit');
  const warmBase = warm.lambdakit.time('lambdakit').median;
  const warmRow = (key: string, label: string, budgetNs: number, lk: string, pt: string): AimPoint => ({
    key,
    label,
    against: 'its stack untraced',
    aim: (warmBase + budgetNs) / warmBase,
    lambdakit: warm.lambdakit.ratio(lk, 'lambdakit'),
    powertools: warm.powertools.ratio(pt, 'powertools').median,
  });
  const bundleRow = (key: string, label: string, growth: (id: string, base: string) => number): AimPoint => ({
    key,
    label,
    against: 'Powertools',
    aim: 1,
    lambdakit: exact(growth('lambdakit-traced', 'lambdakit') / growth('powertools-traced', 'powertools')),
    powertools: 1,
  });
  return [
    {
      key: 'tracer-cold',
      label: 'cold start with tracer() (aim +10 ms)',
      against: 'its stack untraced',
      aim: (coldBase + 10) / coldBase,
      lambdakit: cold.ratio('lambdakit-traced', 'lambdakit'),
      powertools: cold.ratio('powertools-traced', 'powertools').median,
    },
    warmRow('tracer-warm', 'warm with tracer(), 2 spans (aim +5 µs)', 5000, 'lambdakit-traced', 'powertools-traced'),
    warmRow(
      'tracer-warm-unsampled',
      'warm with tracer(), Sampled=0 (aim +1 µs)',
      1000,
      'lambdakit-unsampled',
      'powertools-unsampled',
    ),
    bundleRow('tracer-bundle', 'gzip growth of tracing', sizes.growth),
    bundleRow('tracer-bundle-esm', 'gzip growth of tracing, mainFields module first', sizes.growthModuleFirst),
  ];
}
