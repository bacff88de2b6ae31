import { type LineDestination, stdoutDestination } from '@lambdakit/core';
import { checkDimension, checkNamespace, checkResolution, EMF_LIMITS, type MetricResolution } from './emf-limits.js';
import { MetricsError } from './metrics-error.js';

/** What a flush with no metrics does: nothing, a process warning, or a `MetricsError`. */
export type OnEmpty = 'ignore' | 'warn' | 'throw';

/** Options of {@link createMetrics} and of the `metrics()` middleware. */
export interface CreateMetricsOptions {
  /** CloudWatch namespace of every metric. Default: `LAMBDAKIT_METRICS_NAMESPACE`; required. */
  namespace?: string | undefined;
  /** Written as the `Service` dimension of every metric. Default: `LAMBDAKIT_SERVICE_NAME`; none if unset. */
  service?: string | undefined;
  /** Dimensions of every metric (after `Service`), e.g. `{ Environment: 'prod' }`. */
  defaultDimensions?: Readonly<Record<string, string>> | undefined;
  /** Storage resolution of metrics added without one: `standard` (60 s, default) or `high` (1 s). */
  resolution?: MetricResolution | undefined;
  /** What a flush with no metrics does. Default `ignore`. */
  onEmpty?: OnEmpty | undefined;
  /**
   * Where EMF lines go: each EMF object as one complete JSON line ending in `\n`, one a `write`
   * call. Default: core's `stdoutDestination()`, fd 1 written synchronously (the logger's default too).
   */
  destination?: LineDestination | undefined;
  /** The clock for `_aws.Timestamp`, epoch milliseconds. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** @internal Options resolved and validated once, shared (read-only) by every invocation. */
export interface MetricsConfig {
  readonly namespace: string;
  /** Service plus default dimensions, in the order they are written. */
  readonly defaultDimensions: ReadonlyMap<string, string>;
  readonly resolution: MetricResolution;
  readonly onEmpty: OnEmpty;
  readonly destination: LineDestination;
  readonly now: () => number;
}

/** The name of the dimension that carries `service`. */
export const SERVICE_DIMENSION = 'Service';

/**
 * @internal Validates options (and the environment variables behind their defaults); `door` is
 * the function called, named in the message of a bad option.
 */
export function resolveMetricsConfig(options: CreateMetricsOptions, door: 'createMetrics' | 'metrics'): MetricsConfig {
  if (options === null || typeof options !== 'object') throw new TypeError(`${door}(options): expected an object`);
  const namespace = options.namespace ?? process.env.LAMBDAKIT_METRICS_NAMESPACE;
  checkNamespace(namespace);
  const service = options.service ?? (process.env.LAMBDAKIT_SERVICE_NAME || undefined);
  const defaults = new Map<string, string>();
  if (service !== undefined) {
    checkDimension(SERVICE_DIMENSION, service);
    defaults.set(SERVICE_DIMENSION, service);
  }
  const extra = options.defaultDimensions ?? {};
  if (extra === null || typeof extra !== 'object')
    throw new TypeError(`${door}({ defaultDimensions }): expected an object`);
  for (const [name, value] of Object.entries(extra)) {
    checkDimension(name, value);
    if (defaults.has(name)) {
      throw new MetricsError(
        'METRICS_DIMENSION_CONFLICT',
        `Default dimension "${name}" is already set by the service option`,
        {
          key: name,
          value,
        },
      );
    }
    defaults.set(name, value);
  }
  if (defaults.size > EMF_LIMITS.dimensionsPerSet) {
    throw new MetricsError(
      'METRICS_DIMENSION_LIMIT',
      `Too many default dimensions: ${defaults.size}, EMF allows ${EMF_LIMITS.dimensionsPerSet} per dimension set`,
      { value: defaults.size },
    );
  }
  const resolution = options.resolution ?? 'standard';
  checkResolution(undefined, resolution);
  const onEmpty = options.onEmpty ?? 'ignore';
  if (onEmpty !== 'ignore' && onEmpty !== 'warn' && onEmpty !== 'throw') {
    throw new TypeError(`${door}({ onEmpty }): expected 'ignore', 'warn' or 'throw', got ${String(onEmpty)}`);
  }
  const destination = options.destination ?? stdoutDestination();
  if (destination === null || typeof destination !== 'object' || typeof destination.write !== 'function') {
    throw new TypeError(`${door}({ destination }): expected an object with a write(line) method`);
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError(`${door}({ now }): expected a function`);
  return Object.freeze({ namespace, defaultDimensions: defaults, resolution, onEmpty, destination, now });
}
