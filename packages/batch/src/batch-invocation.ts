import { type BatchLogger, isBatchLogger } from './batch-logger.js';
import type { BatchSettings } from './batch-settings.js';

/** @internal What the batch reads from the invocation's `ctx`, once per batch. */
export interface BatchInvocation {
  /** The invocation's `ctx` each record's `ctx` is a view of (`{}` when it is not an object). */
  readonly ctx: object;
  /** When Lambda stops the invocation, epoch ms: `ctx.deadline`, else from `getRemainingTimeInMillis()`, else `Infinity`. */
  readonly deadline: number;
  /** The invocation's signal, or one that never aborts. */
  readonly signal: AbortSignal;
  /** `ctx.log` when it is a pino-like logger. */
  readonly log: BatchLogger | undefined;
  /** Whether a record may still start: once time is short (or the signal aborted), never again, in any lane. */
  mayStart(): boolean;
}

/** @internal Reads the deadline, signal and logger of `ctx` (lambdakit's ctx, Lambda's context, or a plain object). */
export function batchInvocation(ctx: unknown, settings: Pick<BatchSettings, 'now' | 'cutoffMs'>): BatchInvocation {
  const base: object = ctx !== null && typeof ctx === 'object' ? ctx : {};
  const { now, cutoffMs } = settings;
  const deadline = deadlineOf(base, now);
  const given = signalOf(base);
  const log = (base as { log?: unknown }).log;
  let quiet: AbortSignal | undefined;
  let outOfTime = false;
  return {
    ctx: base,
    deadline,
    get signal() {
      // Made only when a record reads it: most batches without a signal never do.
      quiet ??= given ?? new AbortController().signal;
      return quiet;
    },
    log: isBatchLogger(log) ? log : undefined,
    mayStart() {
      if (!outOfTime && (given?.aborted === true || deadline - now() < cutoffMs)) outOfTime = true;
      return !outOfTime;
    },
  };
}

function deadlineOf(ctx: object, now: () => number): number {
  const { deadline, getRemainingTimeInMillis } = ctx as { deadline?: unknown; getRemainingTimeInMillis?: unknown };
  if (typeof deadline === 'number' && !Number.isNaN(deadline)) return deadline;
  if (typeof getRemainingTimeInMillis === 'function') {
    const remaining: unknown = getRemainingTimeInMillis.call(ctx);
    if (typeof remaining === 'number' && Number.isFinite(remaining)) return now() + remaining;
  }
  return Number.POSITIVE_INFINITY;
}

function signalOf(ctx: object): AbortSignal | undefined {
  const signal = (ctx as { signal?: unknown }).signal;
  return signal instanceof AbortSignal ? signal : undefined;
}
