import { EMF_LIMITS, type MetricResolution } from './emf-limits.js';
import type { MetricUnit } from './metric-unit.js';
import { MetricsError } from './metrics-error.js';

/** One metric waiting to be flushed: its unit, storage resolution and every value added. */
export interface PendingMetric {
  readonly unit: MetricUnit;
  readonly resolution: MetricResolution;
  readonly values: readonly number[];
}

/** What one flush writes: the metrics and the context (dimensions, metadata) they share. */
export interface EmfBatch {
  readonly namespace: string;
  /** Epoch milliseconds, EMF's `_aws.Timestamp`. */
  readonly timestamp: number;
  /** Dimension sets, each a list of keys of `dimensions`. */
  readonly dimensionSets: readonly (readonly string[])[];
  readonly dimensions: ReadonlyMap<string, string>;
  readonly metadata: ReadonlyMap<string, unknown>;
  readonly metrics: ReadonlyMap<string, PendingMetric>;
}

/** One metric's share of an EMF object: its name, definition and the values this object holds. */
type Share = readonly [name: string, metric: PendingMetric, values: readonly number[]];

/**
 * Serialises a batch as EMF JSON lines (no trailing newline). Splits on EMF's limits: at most
 * 100 metric definitions per object, at most 100 values per metric per object, and at most
 * `EMF_LIMITS.lineBytes` per line; every object repeats the dimensions and metadata so each one
 * is complete on its own. Throws `METRICS_LINE_TOO_LARGE` when one value of one metric cannot fit.
 */
export function toEmfLines(batch: EmfBatch): string[] {
  const dimensionSets = uniqueSets(batch.dimensionSets);
  // Round r holds the r-th chunk of 100 values of every metric that has one.
  const rounds: Share[][] = [];
  for (const [name, metric] of batch.metrics) {
    for (let r = 0; r * EMF_LIMITS.valuesPerMetric < metric.values.length; r++) {
      const start = r * EMF_LIMITS.valuesPerMetric;
      const round = rounds[r] ?? [];
      round.push([name, metric, metric.values.slice(start, start + EMF_LIMITS.valuesPerMetric)]);
      rounds[r] = round;
    }
  }
  const lines: string[] = [];
  // A line over the size limit is halved (its metrics, then one metric's values) until it fits.
  const push = (group: readonly Share[]): void => {
    const line = emfLine(batch, dimensionSets, group);
    if (fitsInLine(line)) {
      lines.push(line);
      return;
    }
    const [name, metric, values] = group[0]!;
    if (group.length === 1 && values.length === 1) throw tooLarge(batch, line);
    const halves: Share[][] =
      group.length > 1
        ? [group.slice(0, group.length / 2), group.slice(group.length / 2)]
        : [[[name, metric, values.slice(0, values.length / 2)]], [[name, metric, values.slice(values.length / 2)]]];
    for (const half of halves) push(half);
  };
  for (const round of rounds) {
    for (let start = 0; start < round.length; start += EMF_LIMITS.metricsPerObject) {
      push(round.slice(start, start + EMF_LIMITS.metricsPerObject));
    }
  }
  return lines;
}

/** True when `line` and its newline are within CloudWatch Logs' event size. */
function fitsInLine(line: string): boolean {
  // A UTF-16 code unit is at most 3 bytes of UTF-8: most lines are not encoded to be measured.
  return line.length * 3 < EMF_LIMITS.lineBytes || Buffer.byteLength(line) < EMF_LIMITS.lineBytes;
}

/** One EMF object holding `group`'s values, as a JSON line. */
function emfLine(batch: EmfBatch, dimensionSets: readonly (readonly string[])[], group: readonly Share[]): string {
  // A null-prototype object: a name such as "__proto__" stays an ordinary key.
  const root: Record<string, unknown> = Object.create(null);
  root._aws = {
    Timestamp: batch.timestamp,
    CloudWatchMetrics: [
      {
        Namespace: batch.namespace,
        Dimensions: dimensionSets,
        Metrics: group.map(([name, metric]) =>
          // EMF: StorageResolution defaults to 60 (standard), so only high resolution is written.
          metric.resolution === 'high'
            ? { Name: name, Unit: metric.unit, StorageResolution: 1 }
            : { Name: name, Unit: metric.unit },
        ),
      },
    ],
  };
  for (const [key, value] of batch.dimensions) root[key] = value;
  for (const [key, value] of batch.metadata) root[key] = value;
  for (const [name, , values] of group) root[name] = values.length === 1 ? values[0] : values;
  return JSON.stringify(root);
}

/** Names the largest metadata field: with the dimensions, it leaves no room for a single metric. */
function tooLarge(batch: EmfBatch, line: string): MetricsError {
  let key: string | undefined;
  let keyBytes = 0;
  for (const [name, value] of batch.metadata) {
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > keyBytes) [key, keyBytes] = [name, bytes];
  }
  const largest = key === undefined ? '' : ` (the largest metadata is "${key}", ${keyBytes} bytes of JSON)`;
  return new MetricsError(
    'METRICS_LINE_TOO_LARGE',
    `An EMF line of one metric value would be ${Buffer.byteLength(line) + 1} bytes, CloudWatch Logs allows ${EMF_LIMITS.lineBytes}: its dimensions and metadata are too large${largest}`,
    { key, value: Buffer.byteLength(line) + 1 },
  );
}

/** Drops repeated dimension sets (the same keys in any order aggregate the same metric). */
function uniqueSets(sets: readonly (readonly string[])[]): string[][] {
  const seen = new Set<string>();
  const unique: string[][] = [];
  for (const set of sets) {
    const id = JSON.stringify([...set].sort());
    if (seen.has(id)) continue;
    seen.add(id);
    unique.push([...set]);
  }
  return unique;
}
