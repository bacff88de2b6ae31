// Cold loads of a store (config from SSM, a secret from Secrets Manager), timed load by load with
// the variants alternating, and the table both scenarios print.

import { fmtFigure, type Table } from './report.js';
import { settings } from './settings.js';
import { summarize } from './stats.js';

/** A variant of a cold-load comparison. */
export interface ColdVariant {
  readonly id: string;
  readonly label: string;
}

/** What one comparison needs: the variants, a load per variant, and the store's request count. */
export interface ColdLoadRun<T> {
  readonly variants: readonly ColdVariant[];
  readonly loaders: ReadonlyMap<string, () => Promise<T>>;
  /** Requests the local server(s) answered so far. */
  readonly requests: () => number;
  /** Throws when a load returned the wrong value. */
  readonly check: (id: string, value: T) => void;
  /** The variants the ratios are taken against: the hand-written one, and the library named. */
  readonly bare: string;
  readonly reference: { readonly id: string; readonly name: string };
  /** The header of the requests column. */
  readonly requestsColumn: string;
}

/**
 * Two untimed loads per variant, then `settings.configColdLoads` rounds, the variants in a
 * rotating order each round; each load timed from call to value, with the requests it made.
 */
export async function coldLoadTable<T>(run: ColdLoadRun<T>): Promise<Table> {
  for (let i = 0; i < 2; i++) for (const load of run.loaders.values()) await load();
  const latency = new Map<string, number[]>(run.variants.map((v) => [v.id, []]));
  const requests = new Map<string, number>(run.variants.map((v) => [v.id, 0]));
  for (let i = 0; i < settings.configColdLoads; i++) {
    for (let k = 0; k < run.variants.length; k++) {
      const v = run.variants[(i + k) % run.variants.length]!;
      const before = run.requests();
      const t0 = process.hrtime.bigint();
      const value = await run.loaders.get(v.id)!();
      latency.get(v.id)!.push(Number(process.hrtime.bigint() - t0) / 1e6);
      requests.set(v.id, requests.get(v.id)! + run.requests() - before);
      run.check(v.id, value);
    }
  }
  const bare = summarize(latency.get(run.bare)!).median;
  const reference = summarize(latency.get(run.reference.id)!).median;
  return {
    title: 'Cold load (new SDK client, first read, validation)',
    columns: [
      'variant',
      'time per load',
      'ratio to bare (medians)',
      `ratio to ${run.reference.name} (medians)`,
      run.requestsColumn,
    ],
    rows: run.variants.map((v) => {
      const f = summarize(latency.get(v.id)!);
      return [
        v.label,
        fmtFigure(f, 'ms'),
        `${(f.median / bare).toFixed(2)}×`,
        `${(f.median / reference).toFixed(2)}×`,
        String(requests.get(v.id)! / settings.configColdLoads),
      ];
    }),
  };
}
