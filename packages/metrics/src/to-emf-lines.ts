import { EMF_LIMITS, type MetricResolution } from './emf-limits.js';
import type { MetricUnit } from './metric-unit.js';

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

/**
 * Serialises a batch as EMF JSON lines (no trailing newline). Splits on EMF's limits: at most
 * 100 metric definitions per object, at most 100 values per metric per object; every object
 * repeats the dimensions and metadata so each one is complete on its own.
 */
export function toEmfLines(batch: EmfBatch): string[] {
  const dimensionSets = uniqueSets(batch.dimensionSets);
  // Round r holds the r-th chunk of 100 values of every metric that has one.
  const rounds: [string, PendingMetric, readonly number[]][][] = [];
  for (const [name, metric] of batch.metrics) {
    for (let r = 0; r * EMF_LIMITS.valuesPerMetric < metric.values.length; r++) {
      const start = r * EMF_LIMITS.valuesPerMetric;
      const round = rounds[r] ?? [];
      round.push([name, metric, metric.values.slice(start, start + EMF_LIMITS.valuesPerMetric)]);
      rounds[r] = round;
    }
  }
  const lines: string[] = [];
  for (const round of rounds) {
    for (let start = 0; start < round.length; start += EMF_LIMITS.metricsPerObject) {
      const group = round.slice(start, start + EMF_LIMITS.metricsPerObject);
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
      lines.push(JSON.stringify(root));
    }
  }
  return lines;
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
