import { type DepthHolder, enterDepth } from './call-depth.js';
import { eventDepth, larger, lineageCount, recordDepth } from './event-depth.js';
import { type RecursionLimitError, recursionLimitError } from './resilience-error.js';

/** One event or record the guard refused, as `onRefused` receives it. */
export interface RecursionRefusal {
  readonly error: RecursionLimitError;
  /** The refused record of a batch (dropped: not processed, not retried); `undefined` for a whole event. */
  readonly record: unknown;
}

/** Options of {@link recursionGuard}. */
export interface RecursionGuardOptions {
  /** The deepest call admitted: an event sent by a chain of `maxDepth` guarded invocations still runs, one more hop does not. */
  maxDepth: number;
  /** The metric counted per refusal through `ctx.metrics` (from `metrics()`, placed before the guard); `false` for none. Default `RecursionLimitExceeded`. */
  metricName?: string | false | undefined;
  /** Called once per refusal, after its log line: e.g. to alarm some other way. A throw is ignored. */
  onRefused?: ((refusal: RecursionRefusal, ctx: RecursionContext) => void) | undefined;
}

/**
 * The invocation as the guard reads it: lambdakit's `ctx` or Lambda's own context object. It uses
 * `clientContext`, `traceId` (else `_X_AMZN_TRACE_ID`), `log` and `metrics` where present, and
 * `cleanup` to forget the depth when the invocation settles.
 */
export interface RecursionContext {
  readonly functionName: string;
  readonly clientContext?: unknown;
}

/** What {@link guardRecursion} lets through. */
export interface RecursionCheck<Event> {
  /** The event to process: the same object, or for a batch a copy without the records past the limit. */
  readonly event: Event;
  /** The call depth of the invocation (of its deepest record kept): what `propagateDepth()` adds one to. */
  readonly depth: number;
  /** How many records were dropped; when all were, `event.Records` is empty: answer `{ batchItemFailures: [] }`. */
  readonly dropped: number;
}

/** The answer when every record of a batch was dropped: nothing for the event source to redeliver. */
export interface DroppedBatch {
  batchItemFailures: never[];
}

interface Logger {
  error(fields: object, message: string): void;
}

interface MetricsLike {
  add(name: string, unit: 'Count', value: number): void;
}

/** @internal The checked options of a guard. */
export interface GuardSettings {
  readonly maxDepth: number;
  readonly metricName: string | false;
  readonly onRefused: RecursionGuardOptions['onRefused'];
}

/** @internal `options`, checked, its mistakes named after `door`. */
export function guardSettings(door: string, options: RecursionGuardOptions): GuardSettings {
  const { maxDepth, onRefused } = options ?? ({} as RecursionGuardOptions);
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0) {
    throw new TypeError(`${door}({ maxDepth }): expected an integer ≥ 0, got ${String(maxDepth)}`);
  }
  const metricName = options.metricName ?? 'RecursionLimitExceeded';
  if (metricName !== false && (typeof metricName !== 'string' || metricName === '')) {
    throw new TypeError(`${door}({ metricName }): expected a metric name or false`);
  }
  if (onRefused !== undefined && typeof onRefused !== 'function') {
    throw new TypeError(`${door}({ onRefused }): expected a function`);
  }
  return { maxDepth, metricName, onRefused };
}

/**
 * Reads the call depth `event` carries (written by {@link propagateDepth} upstream, or Lambda's own
 * loop-detection lineage) and lets through what is within `maxDepth`: a batch (SQS, SNS, streams)
 * without its records past the limit (dropped: one ERROR log line each, a metric counting them),
 * a single event whole, or not at all (`RecursionLimitError`, after its log line and metric). From
 * then on the invocation's depth is what `propagateDepth()` adds one to. Call it first in the
 * handler, synchronously (before any `await`), so that everything after it sees that depth.
 */
export function guardRecursion<Event>(
  event: Event,
  ctx: RecursionContext,
  options: RecursionGuardOptions,
): RecursionCheck<Event> {
  return checkRecursion(guardSettings('guardRecursion', options), event, ctx);
}

/** @internal {@link guardRecursion} with settings checked once. */
export function checkRecursion<Event>(
  settings: GuardSettings,
  event: Event,
  ctx: RecursionContext,
): RecursionCheck<Event> {
  const { maxDepth, onRefused } = settings;
  const refuse = (depth: number, record: unknown) => {
    const error = recursionLimitError(ctx.functionName || 'function', depth, maxDepth);
    report(ctx, { error, record }, onRefused);
    return error;
  };
  const records = (event as { Records?: unknown } | undefined)?.Records;
  const traceId = (ctx as { traceId?: unknown }).traceId ?? process.env._X_AMZN_TRACE_ID;
  let checked: RecursionCheck<Event>;
  if (Array.isArray(records) && records.length > 0) {
    const kept: unknown[] = [];
    // A record that carries no depth of its own (S3, streams) has the invocation's lineage, if any.
    const lineage = lineageCount(traceId) ?? 0;
    let depth = 0;
    for (const record of records) {
      const own = recordDepth(record) ?? lineage;
      if (own > maxDepth) refuse(own, record);
      else {
        kept.push(record);
        if (own > depth) depth = own;
      }
    }
    const dropped = records.length - kept.length;
    if (dropped > 0) count(ctx, settings.metricName, dropped);
    checked = { event: dropped === 0 ? event : { ...event, Records: kept }, depth, dropped };
  } else {
    const depth = larger(eventDepth(event, ctx.clientContext), lineageCount(traceId)) ?? 0;
    if (depth > maxDepth) {
      count(ctx, settings.metricName, 1);
      throw refuse(depth, undefined);
    }
    checked = { event, depth, dropped: 0 };
  }
  const holder: DepthHolder = enterDepth(checked.depth);
  const cleanup = (ctx as { cleanup?: (hook: () => void) => void }).cleanup;
  if (typeof cleanup === 'function') {
    cleanup.call(ctx, () => {
      holder.depth = undefined;
    });
  }
  return checked;
}

/** One value per invocation: the number of refusals (a batch's dropped records add up). */
function count(ctx: RecursionContext, metricName: string | false, refusals: number): void {
  const metrics = (ctx as { metrics?: Partial<MetricsLike> }).metrics;
  if (metricName !== false && typeof metrics?.add === 'function') metrics.add(metricName, 'Count', refusals);
}

function report(ctx: RecursionContext, refusal: RecursionRefusal, onRefused: RecursionGuardOptions['onRefused']): void {
  const { error, record } = refusal;
  const fields = { depth: error.depth, maxDepth: error.maxDepth, ...recordId(record), err: error };
  const message = record === undefined ? 'Recursion limit: event refused' : 'Recursion limit: record dropped';
  const log = (ctx as { log?: Partial<Logger> }).log;
  try {
    if (typeof log?.error === 'function') log.error(fields, message);
    else console.error(`${message}: ${error.message}`, recordId(record));
  } catch {
    // A logger that throws does not turn a refusal into a failed batch.
  }
  try {
    onRefused?.(refusal, ctx);
  } catch {
    // Documented: ignored.
  }
}

/** How a log line names a dropped record: its message id, or its stream sequence number. */
function recordId(record: unknown): { messageId?: string } {
  if (record === null || typeof record !== 'object') return {};
  const r = record as { messageId?: unknown; Sns?: { MessageId?: unknown } };
  const id = r.messageId ?? r.Sns?.MessageId;
  return typeof id === 'string' ? { messageId: id } : {};
}
