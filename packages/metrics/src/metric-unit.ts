/**
 * Every unit CloudWatch accepts for a metric (`MetricDatum.Unit`, which EMF's `Unit` reuses),
 * spelled exactly as CloudWatch spells them: any other string fails EMF validation in
 * CloudWatch Logs and the metric is lost without an error in the function.
 */
export const metricUnits = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;

/** A CloudWatch metric unit, checked by the compiler (and by {@link isMetricUnit} at run time). */
export type MetricUnit = (typeof metricUnits)[number];

const known: ReadonlySet<string> = new Set(metricUnits);

/** True when `value` is one of CloudWatch's metric units, spelled exactly. */
export function isMetricUnit(value: unknown): value is MetricUnit {
  return typeof value === 'string' && known.has(value);
}
