import { runIsolated } from './isolated.js';
import { fmtNs, fmtRatio, type Table } from './report.js';
import { type Contender, compare, pairedRatio } from './sample.js';
import { settings } from './settings.js';
import { type Figure, summarize } from './stats.js';

/**
 * A warm table, with a variant's own-process time, the ratio of any two variants, and the time one
 * adds over the other, in ns (for the chart of aims and absolute aims; not sent as is).
 */
export type WarmTable = Table & {
  time: (id: string) => Figure;
  ratio: (id: string, base: string) => Figure;
  added: (id: string, base: string) => Figure;
};

/** A variant in a warm comparison. */
export interface WarmVariant {
  id: string;
  label: string;
}

/** What a warm scenario provides: how to build a contender for a variant id in this process. */
export interface WarmOptions {
  /** The scenario file: run again as `file --isolated <id>` for the own-process measurement. */
  self: string;
  title: string;
  variants: readonly WarmVariant[];
  baseline: string;
  references: readonly string[];
  contenderFor: (id: string) => Promise<Contender>;
  env: Record<string, string>;
}

/** In a child started by {@link warmTables}: times one variant alone and sends its samples. Returns false elsewhere. */
export async function isolatedChild(contenderFor: (id: string) => Promise<Contender>): Promise<boolean> {
  if (process.argv[2] !== '--isolated') return false;
  const id = process.argv[3]!;
  const samples = await compare([await contenderFor(id)]);
  // Run by hand (e.g. under --cpu-prof) there is no IPC channel: print the figure instead.
  if (process.send === undefined) process.stderr.write(`${id}: ${JSON.stringify(summarize(samples.get(id)!))} ns\n`);
  else await new Promise<void>((resolve) => process.send!(samples.get(id), () => resolve()));
  process.exit(0);
}

/**
 * The two warm measurements every warm scenario reports. Primary: each variant alone in fresh
 * processes, as on Lambda where one handler owns the process (sharing a process lets variants
 * disturb each other: polymorphic inline caches in shared code, process-wide hooks). Processes
 * alternate between variants; a ratio pairs the variant's process with the baseline's process of
 * the same slot. Secondary: all variants interleaved in one process, ratios paired per round.
 */
export async function warmTables(o: WarmOptions): Promise<WarmTable> {
  const processes = settings.warmProcesses;
  const ids = o.variants.map((v) => v.id);
  const alone = await runIsolated(o.self, ids, processes, o.env);
  const contenders: Contender[] = [];
  for (const id of ids) contenders.push(await o.contenderFor(id));
  const together = await compare(contenders);
  const perProcess = (id: string) => {
    const all = alone.get(id)!;
    const n = all.length / processes;
    return Array.from({ length: processes }, (_, p) => summarize(all.slice(p * n, (p + 1) * n)).median);
  };
  const aloneRatio = (id: string, base: string) => {
    const a = perProcess(id);
    const b = perProcess(base);
    return summarize(a.map((x, i) => x / b[i]!));
  };
  const added = (id: string, base: string) => {
    const a = perProcess(id);
    const b = perProcess(base);
    return summarize(a.map((x, i) => x - b[i]!));
  };
  const refs = o.references.filter((r) => ids.includes(r));
  const bareMedian = summarize(alone.get(o.baseline)!).median;
  const ratio = (id: string, base: string): Figure =>
    id === base ? { min: 1, median: 1, max: 1, n: 1 } : aloneRatio(id, base);
  return {
    time: (id: string) => summarize(alone.get(id)!),
    ratio,
    added,
    title: o.title,
    columns: [
      'variant',
      'time per invocation (own process)',
      `ratio to ${o.baseline}`,
      ...refs.map((r) => `ratio to ${r}`),
      `added vs ${o.baseline}`,
      'all in one process',
      `ratio to ${o.baseline} (one process)`,
    ],
    rows: o.variants.map((v) => {
      const f = summarize(alone.get(v.id)!);
      const base = v.id === o.baseline;
      return [
        v.label,
        fmtNs(f),
        base ? '1×' : fmtRatio(aloneRatio(v.id, o.baseline)),
        ...refs.map((r) => (v.id === r ? '1×' : fmtRatio(aloneRatio(v.id, r)))),
        base ? '—' : `${((f.median - bareMedian) / 1000).toFixed(2)} µs`,
        fmtNs(summarize(together.get(v.id)!)),
        base ? '1×' : fmtRatio(pairedRatio(together, v.id, o.baseline)),
      ];
    }),
    note:
      `Own process: ${processes} fresh process(es) per variant, alternating; figure over all their rounds; ratios ` +
      'pair processes run back to back. One process: every variant loaded together, rounds interleaved, ratios paired per round.',
  };
}
