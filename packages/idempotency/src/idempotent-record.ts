import { createEngine, type IdempotencyContext } from './idempotency-engine.js';
import type { IdempotencyOptions } from './idempotency-options.js';
import { wrap } from './make-idempotent.js';

/**
 * Makes a per-record handler idempotent for @lambdakit/batch: batch calls the returned
 * function as `handler(record, ctx)` once per record, and a record whose key is held by
 * another invocation fails alone (`IdempotencyInProgressError`) so only it is redelivered.
 * `ctx` is the batch invocation's: its deadline bounds each record's lock, and on a timeout its
 * cleanup releases every lock still held.
 */
export function idempotentRecord<R, C extends IdempotencyContext, T>(
  fn: (record: R, ctx: C) => T | Promise<T>,
  options: IdempotencyOptions<R>,
): (record: R, ctx: C) => Promise<Awaited<T>> {
  if (typeof fn !== 'function') throw new TypeError('idempotentRecord(fn): fn must be a function');
  return wrap(fn, createEngine(options, 'idempotentRecord')) as (record: R, ctx: C) => Promise<Awaited<T>>;
}
