import type { IdempotencyContext } from './idempotency-context.js';
import { createEngine } from './idempotency-engine.js';
import type { IdempotentOptions } from './idempotent-options.js';
import { wrap } from './make-idempotent.js';

/** Options of {@link idempotentRecord}: the middleware's, for one record of the batch. */
export type IdempotentRecordOptions<R> = IdempotentOptions<R>;

/**
 * Makes a per-record handler idempotent for @lambdakit/batch: batch calls the returned
 * function as `handler(record, ctx)` once per record, and a record whose key is held by
 * another invocation fails alone (`IdempotencyInProgressError`) so only it is redelivered.
 * `ctx` is the batch invocation's: its deadline bounds each record's lock, and on a timeout its
 * cleanup releases every lock still held.
 */
export function idempotentRecord<R, C extends IdempotencyContext, T>(
  fn: (record: R, ctx: C) => T | Promise<T>,
  options: IdempotentRecordOptions<R>,
): (record: R, ctx: C) => Promise<Awaited<T>> {
  if (typeof fn !== 'function') throw new TypeError(`idempotentRecord(fn): expected a function, got ${typeof fn}`);
  return wrap(fn, createEngine(options, 'idempotentRecord')) as (record: R, ctx: C) => Promise<Awaited<T>>;
}
