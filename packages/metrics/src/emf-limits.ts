import { isMetricUnit } from './metric-unit.js';
import { MetricsError } from './metrics-error.js';

/**
 * The limits of CloudWatch's Embedded Metric Format and of the metrics it creates
 * (EMF specification; CloudWatch `MetricDatum`, `Dimension` and `PutMetricData` references).
 */
export const EMF_LIMITS = Object.freeze({
  /** EMF: a MetricDirective holds at most 100 metric definitions; more are split across objects. */
  metricsPerObject: 100,
  /** EMF: a DimensionSet holds at most 30 dimension keys (a metric has at most 30 dimensions). */
  dimensionsPerSet: 30,
  /** EMF: a metric's value array holds at most 100 values; more are split across objects. */
  valuesPerMetric: 100,
  /** CloudWatch: metric and dimension names are 1 to 255 characters. */
  nameLength: 255,
  /** CloudWatch: dimension values are 1 to 1024 characters. */
  dimensionValueLength: 1024,
  /** CloudWatch: namespaces are 1 to 255 characters. */
  namespaceLength: 255,
  /** CloudWatch rejects values outside -2^360 … 2^360 (and NaN, ±Infinity). */
  maxValueMagnitude: 2 ** 360,
  /**
   * CloudWatch Logs: an event is at most 262,144 bytes, 26 of them overhead, and Lambda splits a
   * longer line into events whose JSON no longer parses (its metrics are lost). So an EMF line,
   * its newline included, is at most 262,118 bytes of UTF-8 (as the logger's lines); more metrics
   * or values are split across lines.
   */
  lineBytes: 262_144 - 26,
});

/** CloudWatch storage resolution: `standard` is 60 s (EMF's default), `high` is 1 s. */
export type MetricResolution = 'standard' | 'high';

/** The root member EMF reserves for its metadata: no metric, dimension or metadata may use it. */
export const EMF_ROOT_KEY = '_aws';

// CloudWatch: names and values are ASCII, without control characters (printable: 0x20-0x7e),
// and must contain at least one character that is not whitespace.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const HAS_NON_SPACE = /[^ ]/;
// CloudWatch's documented namespace characters: alphanumerics, `. - _ / # :` and space.
const NAMESPACE_CHARS = /^[0-9A-Za-z.\-_/#: ]+$/;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : typeof value;
}

function nameProblem(name: unknown, maxLength: number): string | undefined {
  if (typeof name !== 'string') return `must be a string, got ${describe(name)}`;
  if (name.length === 0) return 'must not be empty';
  if (name.length > maxLength) return `must be at most ${maxLength} characters, got ${name.length}`;
  if (!PRINTABLE_ASCII.test(name))
    return 'must contain only printable ASCII characters (no control or non-ASCII characters)';
  if (!HAS_NON_SPACE.test(name)) return 'must contain a character that is not a space';
  if (name === EMF_ROOT_KEY) return `must not be "${EMF_ROOT_KEY}", which EMF reserves`;
  return undefined;
}

/** Throws `METRICS_METRIC_INVALID` unless `name` is a metric name CloudWatch accepts. */
export function checkMetricName(name: unknown): asserts name is string {
  const problem = nameProblem(name, EMF_LIMITS.nameLength);
  if (problem !== undefined) {
    throw new MetricsError('METRICS_METRIC_INVALID', `Invalid metric name ${describe(name)}: it ${problem}`, {
      key: typeof name === 'string' ? name : undefined,
      value: name,
    });
  }
}

/** Throws `METRICS_METRIC_INVALID`, naming the metric, unless `unit` is a CloudWatch unit. */
export function checkUnit(name: string, unit: unknown): void {
  if (!isMetricUnit(unit)) {
    throw new MetricsError(
      'METRICS_METRIC_INVALID',
      `Invalid unit ${describe(unit)} for metric "${name}": expected one of CloudWatch's units (Count, Milliseconds, Bytes, Percent, …, None)`,
      { key: name, value: unit },
    );
  }
}

/** Throws `METRICS_METRIC_INVALID`, naming the metric, unless `value` is a number CloudWatch stores. */
export function checkValue(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MetricsError(
      'METRICS_METRIC_INVALID',
      `Invalid value ${describe(value)} for metric "${name}": expected a finite number`,
      {
        key: name,
        value,
      },
    );
  }
  if (Math.abs(value) > EMF_LIMITS.maxValueMagnitude) {
    throw new MetricsError(
      'METRICS_METRIC_INVALID',
      `Invalid value ${value} for metric "${name}": CloudWatch accepts -2^360 to 2^360`,
      {
        key: name,
        value,
      },
    );
  }
}

/** Throws `METRICS_METRIC_INVALID`, naming the metric, unless `resolution` is `standard` or `high`. */
export function checkResolution(name: string | undefined, resolution: unknown): asserts resolution is MetricResolution {
  if (resolution !== 'standard' && resolution !== 'high') {
    const subject = name === undefined ? '' : ` for metric "${name}"`;
    throw new MetricsError(
      'METRICS_METRIC_INVALID',
      `Invalid resolution ${describe(resolution)}${subject}: expected 'standard' or 'high'`,
      {
        key: name,
        value: resolution,
      },
    );
  }
}

/** Throws `METRICS_DIMENSION_INVALID` unless `name` and `value` form a dimension CloudWatch accepts. */
export function checkDimension(name: unknown, value: unknown): asserts name is string {
  let problem = nameProblem(name, EMF_LIMITS.nameLength);
  // CloudWatch: dimension names cannot start with a colon.
  if (problem === undefined && (name as string).startsWith(':')) problem = 'must not start with ":"';
  if (problem !== undefined) {
    throw new MetricsError('METRICS_DIMENSION_INVALID', `Invalid dimension name ${describe(name)}: it ${problem}`, {
      key: typeof name === 'string' ? name : undefined,
      value: name,
    });
  }
  let valueProblem: string | undefined;
  if (typeof value !== 'string') valueProblem = `must be a string, got ${describe(value)}`;
  else if (value.length === 0) valueProblem = 'must not be empty';
  else if (value.length > EMF_LIMITS.dimensionValueLength) {
    valueProblem = `must be at most ${EMF_LIMITS.dimensionValueLength} characters, got ${value.length}`;
  } else if (!PRINTABLE_ASCII.test(value)) valueProblem = 'must contain only printable ASCII characters';
  else if (!HAS_NON_SPACE.test(value)) valueProblem = 'must contain a character that is not a space';
  if (valueProblem !== undefined) {
    throw new MetricsError(
      'METRICS_DIMENSION_INVALID',
      `Invalid value ${describe(value)} for dimension "${name}": it ${valueProblem}`,
      {
        key: name as string,
        value,
      },
    );
  }
}

/** Throws `METRICS_NAMESPACE_INVALID` unless `namespace` is a custom namespace CloudWatch accepts. */
export function checkNamespace(namespace: unknown): asserts namespace is string {
  let problem: string | undefined;
  if (namespace === undefined || namespace === '') {
    problem = 'is missing: pass { namespace } or set LAMBDAKIT_METRICS_NAMESPACE';
  } else if (typeof namespace !== 'string') problem = `must be a string, got ${describe(namespace)}`;
  else if (namespace.length > EMF_LIMITS.namespaceLength) {
    problem = `must be at most ${EMF_LIMITS.namespaceLength} characters, got ${namespace.length}`;
  } else if (!NAMESPACE_CHARS.test(namespace)) {
    problem = 'may contain only letters, digits, spaces and . - _ / # :';
  } else if (!HAS_NON_SPACE.test(namespace)) problem = 'must contain a character that is not a space';
  else if (namespace.startsWith(':')) problem = 'must not start with ":"';
  // CloudWatch: `AWS/` namespaces belong to AWS services; custom metrics must not use them.
  else if (namespace.startsWith('AWS/')) problem = 'must not start with "AWS/", which AWS services use';
  if (problem !== undefined) {
    throw new MetricsError(
      'METRICS_NAMESPACE_INVALID',
      `Invalid metrics namespace ${describe(namespace)}: it ${problem}`,
      {
        value: namespace,
      },
    );
  }
}
