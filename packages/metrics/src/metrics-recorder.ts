import { emitWarning } from '@lambdakit/core';
import type { Metrics } from './create-metrics.js';
import { DimensionSets, tooManyDimensions } from './dimension-sets.js';
import {
  checkDimension,
  checkMetricName,
  checkResolution,
  checkUnit,
  checkValue,
  EMF_LIMITS,
  type MetricResolution,
} from './emf-limits.js';
import { checkMetadataKey, metadataSnapshot } from './metadata-snapshot.js';
import type { MetricUnit } from './metric-unit.js';
import type { MetricsConfig, OnEmpty } from './metrics-config.js';
import { MetricsError } from './metrics-error.js';
import { type PendingMetric, toEmfLines } from './to-emf-lines.js';

interface MutablePendingMetric extends PendingMetric {
  readonly values: number[];
}

/**
 * @internal One collector of metrics. The `metrics()` middleware creates one per invocation
 * (never shared, so concurrent invocations cannot see each other's metrics or dimensions).
 */
export class MetricsRecorder implements Metrics {
  readonly #config: MetricsConfig;
  /** Fields lambdakit writes on every object (e.g. `requestId`); user metadata cannot replace them. */
  readonly #fixedMetadata: ReadonlyMap<string, unknown>;
  #metrics = new Map<string, MutablePendingMetric>();
  readonly #dimensions: DimensionSets;
  #metadata = new Map<string, unknown>();
  #resolution: MetricResolution;
  #singles = 0;
  #wroteAny = false;
  #ended = false;
  /** @internal Set by the middleware once an empty invocation was reported as an error. */
  emptyReported = false;
  /** @internal The invocation's `ctx`: while it says it is replaying (a durable function), nothing is added. */
  source: { readonly replaying?: boolean } | undefined = undefined;

  constructor(config: MetricsConfig, fixedMetadata: ReadonlyMap<string, unknown> = new Map()) {
    this.#config = config;
    this.#fixedMetadata = fixedMetadata;
    this.#resolution = config.resolution;
    this.#dimensions = new DimensionSets(config.defaultDimensions);
  }

  get namespace(): string {
    return this.#config.namespace;
  }

  add(name: string, unit: MetricUnit, value: number, resolution?: MetricResolution): void {
    this.#checkOpen();
    if (this.#replayed()) return;
    checkMetricName(name);
    checkUnit(name, unit);
    checkValue(name, value);
    const storage = resolution ?? this.#resolution;
    checkResolution(name, storage);
    this.#checkFree(name, 'metric', ['dimension', this.#dimensions.values], ...this.#metadataMaps());
    const existing = this.#metrics.get(name);
    if (existing === undefined) {
      this.#metrics.set(name, { unit, resolution: storage, values: [value] });
      return;
    }
    // EMF: one MetricDefinition per name, so a second unit or resolution cannot be expressed.
    if (existing.unit !== unit) {
      throw new MetricsError(
        'METRICS_METRIC_CONFLICT',
        `Metric "${name}" was added with unit ${existing.unit}, now with ${unit}: one metric has one unit`,
        { key: name, value: unit },
      );
    }
    if (existing.resolution !== storage) {
      throw new MetricsError(
        'METRICS_METRIC_CONFLICT',
        `Metric "${name}" was added with ${existing.resolution} resolution, now with ${storage}: one metric has one resolution`,
        { key: name, value: storage },
      );
    }
    existing.values.push(value);
  }

  addDimension(name: string, value: string): void {
    this.#checkOpen();
    checkDimension(name, value);
    this.#checkFree(name, 'dimension', ['metric', this.#metrics], ...this.#metadataMaps());
    this.#dimensions.add(name, value);
  }

  addDimensionSet(dimensions: Readonly<Record<string, string>>): void {
    this.#checkOpen();
    if (dimensions === null || typeof dimensions !== 'object' || Array.isArray(dimensions)) {
      throw new TypeError('metrics.addDimensionSet(dimensions): expected an object of dimension names to values');
    }
    this.#dimensions.addSet(dimensions, (name, value) => {
      checkDimension(name, value);
      this.#checkFree(name, 'dimension', ['metric', this.#metrics], ...this.#metadataMaps());
    });
  }

  addMetadata(key: string, value: unknown): void {
    this.#checkOpen();
    checkMetadataKey(key);
    this.#checkFree(key, 'metadata field', ['metric', this.#metrics], ['dimension', this.#dimensions.values]);
    if (this.#fixedMetadata.has(key)) {
      throw new MetricsError(
        'METRICS_KEY_CONFLICT',
        `Metadata "${key}" is written by lambdakit and cannot be replaced`,
        {
          key,
        },
      );
    }
    const snapshot = metadataSnapshot(key, value);
    // Alone with the default dimensions and one metric it must fit in a line, or it never will:
    // METRICS_LINE_TOO_LARGE now, at the call that added it, rather than at the flush.
    const defaults = this.#config.defaultDimensions;
    toEmfLines({
      namespace: this.#config.namespace,
      timestamp: Number.MAX_SAFE_INTEGER,
      dimensionSets: [[...defaults.keys()]],
      dimensions: defaults,
      metadata: new Map([...this.#fixedMetadata, [key, snapshot]]),
      metrics: new Map([[`${key}#`, { unit: 'None', resolution: 'standard', values: [0] }]]),
    });
    this.#metadata.set(key, snapshot);
  }

  setResolution(resolution: MetricResolution): void {
    this.#checkOpen();
    checkResolution(undefined, resolution);
    this.#resolution = resolution;
  }

  single(name: string, unit: MetricUnit, value: number, dimensions: Readonly<Record<string, string>> = {}): void {
    this.#checkOpen();
    if (this.#replayed()) return;
    checkMetricName(name);
    checkUnit(name, unit);
    checkValue(name, value);
    if (dimensions === null || typeof dimensions !== 'object' || Array.isArray(dimensions)) {
      throw new TypeError('metrics.single(name, unit, value, dimensions): expected dimensions as an object');
    }
    // Its own dimensions may override a default's value: this object is written alone.
    const own = new Map(this.#config.defaultDimensions);
    for (const [key, dimension] of Object.entries(dimensions)) {
      checkDimension(key, dimension);
      own.set(key, dimension);
    }
    if (own.size > EMF_LIMITS.dimensionsPerSet) throw tooManyDimensions(name, own.size);
    this.#checkFree(name, 'metric', ['dimension', own], ['metadata field', this.#fixedMetadata]);
    for (const key of own.keys()) this.#checkFree(key, 'dimension', ['metadata field', this.#fixedMetadata]);
    const lines = toEmfLines({
      namespace: this.#config.namespace,
      timestamp: this.#config.now(),
      dimensionSets: [[...own.keys()]],
      dimensions: own,
      metadata: this.#fixedMetadata,
      metrics: new Map([[name, { unit, resolution: this.#resolution, values: [value] }]]),
    });
    this.#singles++;
    this.#wroteAny = true;
    this.#write(lines);
  }

  flush(): void {
    this.#checkOpen();
    this.#flush(this.#config.onEmpty);
  }

  /** @internal True when nothing was added, nor written by `single` or `flush`, by this collector. */
  get empty(): boolean {
    return this.#metrics.size === 0 && !this.#wroteAny;
  }

  /** @internal The invocation's last flush: writes what is pending, then refuses new metrics. */
  end(onEmpty: OnEmpty): void {
    if (this.#ended) return;
    this.#ended = true;
    // Metrics flushed by hand earlier in the invocation count: the invocation was not empty.
    this.#flush(this.#wroteAny ? 'ignore' : onEmpty);
  }

  /**
   * A durable function re-running code its execution already ran: the invocation that ran it
   * first wrote the metric. Counted as written, so the invocation is not reported empty.
   */
  #replayed(): boolean {
    if (this.source?.replaying !== true) return false;
    this.#wroteAny = true;
    return true;
  }

  /** @internal Writes a one-off metric with exactly these dimensions (the cold start). */
  writeAlone(name: string, dimensions: ReadonlyMap<string, string>): void {
    const lines = toEmfLines({
      namespace: this.#config.namespace,
      timestamp: this.#config.now(),
      dimensionSets: [[...dimensions.keys()]],
      dimensions,
      metadata: this.#fixedMetadata,
      metrics: new Map([[name, { unit: 'Count', resolution: 'standard', values: [1] }]]),
    });
    this.#write(lines);
  }

  #flush(onEmpty: OnEmpty): void {
    if (this.#metrics.size === 0) {
      const hadSingles = this.#singles > 0;
      this.#reset();
      if (hadSingles || onEmpty === 'ignore') return;
      const message = `No metrics were added to namespace "${this.#config.namespace}" before the flush`;
      if (onEmpty === 'throw') throw new MetricsError('METRICS_EMPTY', message);
      emitWarning('LAMBDAKIT_METRICS_EMPTY', message);
      return;
    }
    const batch = {
      namespace: this.#config.namespace,
      timestamp: this.#config.now(),
      dimensionSets: this.#dimensions.sets,
      dimensions: this.#dimensions.values,
      metadata: new Map([...this.#fixedMetadata, ...this.#metadata]),
      metrics: this.#metrics,
    };
    // Reset first: a failing sink cannot make the same metrics be written twice.
    this.#reset();
    this.#wroteAny = true;
    let lines: string[];
    try {
      lines = toEmfLines(batch);
    } catch (error) {
      // Metadata too large together for one line (METRICS_LINE_TOO_LARGE): the metrics are still written,
      // without it, and the error says which field to shrink.
      this.#write(toEmfLines({ ...batch, metadata: this.#fixedMetadata }));
      throw error;
    }
    this.#write(lines);
  }

  #write(lines: readonly string[]): void {
    for (const line of lines) this.#config.destination.write(`${line}\n`);
  }

  #metadataMaps(): [string, ReadonlyMap<string, unknown>][] {
    return [
      ['metadata field', this.#metadata],
      ['metadata field', this.#fixedMetadata],
    ];
  }

  #reset(): void {
    this.#metrics = new Map();
    this.#dimensions.reset();
    this.#metadata = new Map();
    this.#resolution = this.#config.resolution;
    this.#singles = 0;
  }

  #checkOpen(): void {
    if (this.#ended) {
      throw new MetricsError(
        'METRICS_INVOCATION_ENDED',
        "This invocation's metrics were already flushed: ctx.metrics cannot be used after the invocation settles",
      );
    }
  }

  /** EMF puts metrics, dimensions and metadata side by side at the top level: one name, one role. */
  #checkFree(name: string, role: string, ...others: [string, ReadonlyMap<string, unknown>][]): void {
    for (const [other, taken] of others) {
      if (taken.has(name)) {
        throw new MetricsError(
          'METRICS_KEY_CONFLICT',
          `"${name}" cannot be a ${role}: it is already a ${other} of these metrics`,
          { key: name },
        );
      }
    }
  }
}
