import {
  checkDimension,
  checkMetricName,
  checkResolution,
  checkUnit,
  checkValue,
  EMF_LIMITS,
  EMF_ROOT_KEY,
  type MetricResolution,
} from './emf-limits.js';
import type { MetricUnit } from './metric-unit.js';
import { type MetricsConfig, type MetricsOptions, type OnEmpty, resolveMetricsConfig } from './metrics-config.js';
import { MetricsError } from './metrics-error.js';
import { type PendingMetric, toEmfLines } from './to-emf-lines.js';

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
  /** Every dimension's value: EMF writes each once, at the top level, for every set that names it. */
  #dimensions: Map<string, string>;
  #mainSet: Set<string>;
  #extraSets: Set<string>[] = [];
  #extraKeys = new Set<string>();
  #metadata = new Map<string, unknown>();
  #resolution: MetricResolution;
  #singles = 0;
  #wroteAny = false;
  #ended = false;
  /** @internal Set by the middleware once an empty invocation was reported as an error. */
  emptyReported = false;

  constructor(config: MetricsConfig, fixedMetadata: ReadonlyMap<string, unknown> = new Map()) {
    this.#config = config;
    this.#fixedMetadata = fixedMetadata;
    this.#resolution = config.resolution;
    this.#dimensions = new Map(config.defaultDimensions);
    this.#mainSet = new Set(config.defaultDimensions.keys());
  }

  get namespace(): string {
    return this.#config.namespace;
  }

  add(name: string, unit: MetricUnit, value: number, resolution?: MetricResolution): void {
    this.#checkOpen();
    checkMetricName(name);
    checkUnit(name, unit);
    checkValue(name, value);
    const storage = resolution ?? this.#resolution;
    checkResolution(name, storage);
    this.#checkFree(name, 'metric', ['dimension', this.#dimensions], ...this.#metadataMaps());
    const existing = this.#metrics.get(name);
    if (existing === undefined) {
      this.#metrics.set(name, { unit, resolution: storage, values: [value] });
      return;
    }
    // EMF: one MetricDefinition per name, so a second unit or resolution cannot be expressed.
    if (existing.unit !== unit) {
      throw new MetricsError(
        'METRIC_CONFLICT',
        `Metric "${name}" was added with unit ${existing.unit}, now with ${unit}: one metric has one unit`,
        { key: name, value: unit },
      );
    }
    if (existing.resolution !== storage) {
      throw new MetricsError(
        'METRIC_CONFLICT',
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
    const current = this.#dimensions.get(name);
    // A main-set dimension (or a default) may take a new value for this invocation; a dimension
    // also named by an extra set may not, or that set's metrics would silently change.
    if (current !== undefined && current !== value && this.#extraKeys.has(name)) {
      throw conflict(name, current, value);
    }
    if (!this.#mainSet.has(name) && this.#mainSet.size >= EMF_LIMITS.dimensionsPerSet) {
      throw tooMany(name, this.#mainSet.size + 1);
    }
    this.#dimensions.set(name, value);
    this.#mainSet.add(name);
  }

  addDimensionSet(dimensions: Readonly<Record<string, string>>): void {
    this.#checkOpen();
    if (dimensions === null || typeof dimensions !== 'object' || Array.isArray(dimensions)) {
      throw new TypeError('metrics.addDimensionSet(dimensions): expected an object of dimension names to values');
    }
    const set = new Set(this.#config.defaultDimensions.keys());
    const entries = Object.entries(dimensions);
    // Everything is checked before anything changes: a rejected set leaves no partial state.
    for (const [name, value] of entries) {
      checkDimension(name, value);
      this.#checkFree(name, 'dimension', ['metric', this.#metrics], ...this.#metadataMaps());
      const current = this.#dimensions.get(name);
      if (current !== undefined && current !== value) throw conflict(name, current, value);
      set.add(name);
    }
    if (set.size > EMF_LIMITS.dimensionsPerSet) throw tooMany(entries.at(-1)?.[0], set.size);
    for (const [name, value] of entries) this.#dimensions.set(name, value);
    // The default dimensions too: the set's metrics are aggregated by their current values.
    for (const name of set) this.#extraKeys.add(name);
    this.#extraSets.push(set);
  }

  addMetadata(key: string, value: unknown): void {
    this.#checkOpen();
    if (typeof key !== 'string' || key.length === 0 || key === EMF_ROOT_KEY) {
      throw new MetricsError('METADATA_INVALID', `Invalid metadata key ${JSON.stringify(key) ?? String(key)}`, {
        value: key,
      });
    }
    this.#checkFree(key, 'metadata field', ['metric', this.#metrics], ['dimension', this.#dimensions]);
    if (this.#fixedMetadata.has(key)) {
      throw new MetricsError('KEY_CONFLICT', `Metadata "${key}" is written by lambdakit and cannot be replaced`, {
        key,
      });
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (error) {
      throw new MetricsError(
        'METADATA_INVALID',
        `Metadata "${key}" cannot be written as JSON: ${(error as Error).message}`,
        {
          key,
          value,
        },
      );
    }
    if (json === undefined) {
      throw new MetricsError('METADATA_INVALID', `Metadata "${key}" cannot be written as JSON (got ${typeof value})`, {
        key,
        value,
      });
    }
    // A snapshot: later changes to the caller's object do not change what is written.
    const snapshot: unknown = JSON.parse(json);
    // Alone with the default dimensions and one metric it must fit in a line, or it never will:
    // LINE_TOO_LARGE now, at the call that added it, rather than at the flush.
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
    if (own.size > EMF_LIMITS.dimensionsPerSet) throw tooMany(name, own.size);
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
    for (const line of lines) this.#config.write(line);
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
    for (const line of lines) this.#config.write(line);
  }

  #flush(onEmpty: OnEmpty): void {
    if (this.#metrics.size === 0) {
      const hadSingles = this.#singles > 0;
      this.#reset();
      if (hadSingles || onEmpty === 'ignore') return;
      const message = `No metrics were added to namespace "${this.#config.namespace}" before the flush`;
      if (onEmpty === 'throw') throw new MetricsError('NO_METRICS', message);
      process.emitWarning(message, { code: 'LAMBDAKIT_METRICS_EMPTY' });
      return;
    }
    const batch = {
      namespace: this.#config.namespace,
      timestamp: this.#config.now(),
      dimensionSets: [[...this.#mainSet], ...this.#extraSets.map((set) => [...set])],
      dimensions: this.#dimensions,
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
      // Metadata too large together for one line (LINE_TOO_LARGE): the metrics are still written,
      // without it, and the error says which field to shrink.
      for (const line of toEmfLines({ ...batch, metadata: this.#fixedMetadata })) this.#config.write(line);
      throw error;
    }
    for (const line of lines) this.#config.write(line);
  }

  #metadataMaps(): [string, ReadonlyMap<string, unknown>][] {
    return [
      ['metadata field', this.#metadata],
      ['metadata field', this.#fixedMetadata],
    ];
  }

  #reset(): void {
    this.#metrics = new Map();
    this.#dimensions = new Map(this.#config.defaultDimensions);
    this.#mainSet = new Set(this.#config.defaultDimensions.keys());
    this.#extraSets = [];
    this.#extraKeys = new Set();
    this.#metadata = new Map();
    this.#resolution = this.#config.resolution;
    this.#singles = 0;
  }

  #checkOpen(): void {
    if (this.#ended) {
      throw new MetricsError(
        'INVOCATION_ENDED',
        "This invocation's metrics were already flushed: ctx.metrics cannot be used after the invocation settles",
      );
    }
  }

  /** EMF puts metrics, dimensions and metadata side by side at the top level: one name, one role. */
  #checkFree(name: string, role: string, ...others: [string, ReadonlyMap<string, unknown>][]): void {
    for (const [other, taken] of others) {
      if (taken.has(name)) {
        throw new MetricsError(
          'KEY_CONFLICT',
          `"${name}" cannot be a ${role}: it is already a ${other} of these metrics`,
          {
            key: name,
          },
        );
      }
    }
  }
}

function conflict(name: string, current: string, value: string): MetricsError {
  return new MetricsError(
    'DIMENSION_CONFLICT',
    `Dimension "${name}" already has the value "${current}": EMF writes one value per dimension, so "${value}" cannot be added`,
    { key: name, value },
  );
}

function tooMany(name: string | undefined, size: number): MetricsError {
  return new MetricsError(
    'DIMENSION_LIMIT',
    `Too many dimensions${name === undefined ? '' : ` adding "${name}"`}: ${size}, EMF allows ${EMF_LIMITS.dimensionsPerSet} per dimension set`,
    { key: name, value: size },
  );
}

/**
 * Creates a metrics collector outside any handler (scripts, tests, your own handler shape):
 * add metrics, then call `flush()`. In a `lambda()` handler use the `metrics()` middleware,
 * which gives every invocation its own collector as `ctx.metrics` and flushes it for you.
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  return new MetricsRecorder(resolveMetricsConfig(options));
}
