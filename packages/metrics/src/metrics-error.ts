import { LambdakitError, type LambdakitErrorOptions } from '@lambdakit/core';

/** Stable codes of {@link MetricsError}. */
export type MetricsErrorCode =
  /** A metric name, unit, value or resolution CloudWatch would reject. */
  | 'METRICS_METRIC_INVALID'
  /** The same metric name added with a different unit or storage resolution. */
  | 'METRICS_METRIC_CONFLICT'
  /** A dimension name or value CloudWatch would reject. */
  | 'METRICS_DIMENSION_INVALID'
  /** A dimension given two values in one EMF object (it is written once, at the top level). */
  | 'METRICS_DIMENSION_CONFLICT'
  /** More than 30 dimensions in one dimension set. */
  | 'METRICS_DIMENSION_LIMIT'
  /** A metadata key or value that cannot be written as JSON. */
  | 'METRICS_METADATA_INVALID'
  /** Dimensions and metadata leaving no room for one metric in an EMF line (CloudWatch Logs' event size). */
  | 'METRICS_LINE_TOO_LARGE'
  /** A metric, dimension and metadata entry sharing one name: they share the EMF object's top level. */
  | 'METRICS_KEY_CONFLICT'
  /** A missing or invalid namespace. */
  | 'METRICS_NAMESPACE_INVALID'
  /** A flush with no metrics while `onEmpty: 'throw'`. */
  | 'METRICS_EMPTY'
  /** `ctx.metrics` used after its invocation settled and flushed. */
  | 'METRICS_INVOCATION_ENDED';

/** What a {@link MetricsError} carries besides its message (and, when one led to it, the `cause`). */
export interface MetricsErrorDetails extends LambdakitErrorOptions {
  /** The metric, dimension or metadata name at fault, when there is one. */
  key?: string | undefined;
  /** The rejected value (unit, number, dimension value…), when there is one. */
  value?: unknown;
}

/**
 * A metric, dimension or namespace CloudWatch would reject, caught where it is added (at flush
 * time only for metadata too large together, `METRICS_LINE_TOO_LARGE`; never a silently dropped metric); `key` names the metric,
 * dimension or metadata at fault.
 */
export class MetricsError extends LambdakitError<MetricsErrorCode> {
  /** The metric, dimension or metadata name at fault, when there is one. */
  readonly key: string | undefined;
  /** The rejected value, when there is one. */
  readonly value: unknown;

  constructor(code: MetricsErrorCode, message: string, details: MetricsErrorDetails = {}) {
    super(code, message, { cause: details.cause });
    this.key = details.key;
    this.value = details.value;
  }
}
