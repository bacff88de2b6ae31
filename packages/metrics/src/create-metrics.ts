import type { MetricResolution } from './emf-limits.js';
import type { MetricUnit } from './metric-unit.js';
import { type CreateMetricsOptions, resolveMetricsConfig } from './metrics-config.js';
import { MetricsRecorder } from './metrics-recorder.js';

/**
 * Collects metrics and writes them as CloudWatch Embedded Metric Format lines. Everything is
 * checked when added, so a metric CloudWatch would reject is an error at the call that made it.
 */
export interface Metrics {
  /** The CloudWatch namespace the metrics are written to. */
  readonly namespace: string;
  /**
   * Records a value; the same name added again collects every value (written as an array).
   * `resolution` defaults to the one set by {@link Metrics.setResolution} or the options.
   */
  add(name: string, unit: MetricUnit, value: number, resolution?: MetricResolution): void;
  /** Adds a dimension to the main dimension set (service, default dimensions, and these). */
  addDimension(name: string, value: string): void;
  /** Adds another dimension set: the metrics are also aggregated by the default dimensions plus these. */
  addDimensionSet(dimensions: Readonly<Record<string, string>>): void;
  /** Adds a searchable field to the EMF objects (not a dimension: no metric cost, any JSON value). */
  addMetadata(key: string, value: unknown): void;
  /** Sets the storage resolution of metrics added from now on: `standard` (60 s) or `high` (1 s). */
  setResolution(resolution: MetricResolution): void;
  /** Writes one metric now, as its own EMF object, with the default dimensions plus `dimensions`. */
  single(name: string, unit: MetricUnit, value: number, dimensions?: Readonly<Record<string, string>>): void;
  /** Writes the pending metrics, then starts afresh (dimensions and metadata included). */
  flush(): void;
}

/**
 * Creates a metrics collector outside any handler (scripts, tests, your own handler shape):
 * add metrics, then call `flush()`. In a `lambda()` handler use the `metrics()` middleware,
 * which gives every invocation its own collector as `ctx.metrics` and flushes it for you.
 */
export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  return new MetricsRecorder(resolveMetricsConfig(options, 'createMetrics'));
}
