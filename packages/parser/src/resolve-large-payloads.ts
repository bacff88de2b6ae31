import { emitWarning } from '@lambdakit/core';
import type * as z from 'zod';
import { sourceInfo } from './event-source.js';
import { LargePayloadError } from './large-payload-error.js';
import {
  carriesPointer,
  envelopeOf,
  type PayloadPointer,
  parsePointer,
  pointerProblem,
  withoutMarker,
} from './payload-pointer.js';
import type { LargePayloads } from './payload-store.js';

/** What {@link resolveLargePayloads} gives back. */
export interface ResolvedPayloads<Event> {
  /** The event with every pointer replaced by its payload (a copy; the same object when there was none). */
  readonly event: Event;
  /** The records whose payload could not be fetched, by index: they still hold their pointer. */
  readonly failures: ReadonlyMap<number, LargePayloadError>;
  /** The pointers fetched, by record index. */
  readonly pointers: ReadonlyMap<number, PayloadPointer>;
  /**
   * Deletes the payloads of the records at `indexes` when the store deletes after success (else
   * nothing): {@link clearLargePayloads} for those records. Call it once the invocation succeeded.
   */
  removeAfterSuccess(indexes: Iterable<number>, options?: ClearOptions): Promise<void>;
}

/** What {@link resolveLargePayload} gives back. */
export interface ResolvedRecord<R> {
  /** The record with its pointer replaced by its payload (the same object when it held none). */
  readonly record: R;
  /** Where its payload was, when it held a pointer. */
  readonly pointer: PayloadPointer | undefined;
}

/** Options of {@link clearLargePayloads}. */
export interface ClearOptions {
  /** When the invocation ends, epoch ms (`ctx.deadline`): deleting stops in time for it. */
  deadline?: number | undefined;
}

// Pointers fetched at once per event: S3 serves them in parallel; a bound keeps sockets in check.
const CONCURRENCY = 8;
// Deleting is bounded: at most this long, and done this long before the invocation's deadline.
const CLEAR_BUDGET_MS = 5_000;
const CLEAR_MARGIN_MS = 200;

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** @internal The large payloads a schema was built with, if any. */
export function largePayloadsOf(schema: object): LargePayloads | undefined {
  return sourceInfo(schema)?.payloads;
}

/**
 * Whether `schema` (`sqs(Body, { largePayloads })`, …) fetches extended-client payloads before it
 * parses; given an `event` too, whether one of its records is such a pointer (so that a caller
 * without any skips the asynchronous {@link resolveLargePayloads}: one attribute check per record).
 */
export function hasLargePayloads(schema: z.ZodType, event?: unknown): boolean {
  const payloads = largePayloadsOf(schema);
  if (payloads === undefined) return false;
  if (event === undefined) return true;
  const records = isFields(event) ? event.Records : undefined;
  return Array.isArray(records) && records.some((record) => carriesPointer(payloads.carrier, record));
}

/**
 * Replaces each record's extended-client pointer by its payload, fetched from the store the
 * schema was built with (`sqs(Body, { largePayloads: s3Payloads({ client }) })`), at most 8 at
 * once, each bounded by the helper's `limits.maxBodyBytes` and by `signal`. A record without a
 * pointer costs one property check. The event is then parsed as if every payload had been inline.
 * Every payload is held at once: a batch handler fetches record by record instead
 * ({@link resolveLargePayload}; `@lambdakit/batch` does).
 */
export async function resolveLargePayloads<Event>(
  schema: z.ZodType,
  event: Event,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<ResolvedPayloads<Event>> {
  const payloads = largePayloadsOf(schema);
  const records = isFields(event) ? event.Records : undefined;
  const failures = new Map<number, LargePayloadError>();
  const pointers = new Map<number, PayloadPointer>();
  const removeAfterSuccess = (indexes: Iterable<number>, clear?: ClearOptions) =>
    clearLargePayloads(
      schema,
      [...indexes].flatMap((i) => (pointers.has(i) ? [pointers.get(i)!] : [])),
      clear,
    );
  if (payloads === undefined || !Array.isArray(records)) return { event, failures, pointers, removeAfterSuccess };
  const resolved: unknown[] = records.slice();
  const pending = records.flatMap((record, index) => (carriesPointer(payloads.carrier, record) ? [index] : []));
  const worker = async () => {
    for (let index = pending.shift(); index !== undefined; index = pending.shift()) {
      try {
        const out = await resolveRecord(payloads, records[index], options.signal);
        resolved[index] = out.record;
        pointers.set(index, out.pointer);
      } catch (error) {
        failures.set(index, atRecord(error, index));
      }
    }
  };
  if (pending.length > 0) await Promise.all(Array.from({ length: Math.min(CONCURRENCY, pending.length) }, worker));
  return {
    event: pointers.size === 0 ? event : ({ ...event, Records: resolved } as Event),
    failures,
    pointers,
    removeAfterSuccess,
  };
}

/**
 * One record's pointer replaced by its payload, as {@link resolveLargePayloads} does for a whole
 * event: for a handler that takes a batch record by record, so that only the payloads in flight are
 * held. A record without a pointer is given back as it is. Rejects with a `LargePayloadError`
 * carrying `recordIndex`.
 */
export async function resolveLargePayload<R>(
  schema: z.ZodType,
  record: R,
  options: { signal?: AbortSignal | undefined; recordIndex?: number | undefined } = {},
): Promise<ResolvedRecord<R>> {
  const payloads = largePayloadsOf(schema);
  if (payloads === undefined || !carriesPointer(payloads.carrier, record)) return { record, pointer: undefined };
  try {
    const out = await resolveRecord(payloads, record, options.signal);
    return { record: out.record as R, pointer: out.pointer };
  } catch (error) {
    throw atRecord(error, options.recordIndex);
  }
}

/**
 * Deletes the payloads at `pointers` when the schema's store deletes after success
 * (`s3Payloads({ deleteAfterSuccess: true })`), else does nothing. Call it once, when the
 * invocation succeeded and only for the records it did not report as failed: a payload deleted
 * before a redelivery is lost to it. Bounded by `deadline` (and 5 s); never rejects: what was not
 * deleted is one warning, and stays until the bucket's lifecycle rule expires it.
 */
export async function clearLargePayloads(
  schema: z.ZodType,
  pointers: Iterable<PayloadPointer>,
  options: ClearOptions = {},
): Promise<void> {
  const store = largePayloadsOf(schema)?.store;
  const list = [...pointers];
  if (store === undefined || !store.deleteAfterSuccess || list.length === 0) return;
  const room = Math.min(CLEAR_BUDGET_MS, (options.deadline ?? Number.POSITIVE_INFINITY) - Date.now() - CLEAR_MARGIN_MS);
  if (!(room > 0)) return clearWarning(list.length, list.length, 'the invocation had no time left');
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`deleting payloads took over ${Math.round(room)} ms`));
      resolve('timeout');
    }, room);
  });
  try {
    const left = await Promise.race([store.remove(list, { signal: controller.signal }), outOfTime]);
    if (left === 'timeout') clearWarning(list.length, list.length, 'out of time');
    else if (left.length > 0) {
      const [first] = left;
      clearWarning(left.length, list.length, `s3://${first!.pointer.bucket}/${first!.pointer.key}: ${first!.reason}`);
    }
  } catch (error) {
    clearWarning(list.length, list.length, String(error));
  } finally {
    clearTimeout(timer);
  }
}

function clearWarning(failed: number, total: number, why: string): void {
  emitWarning(
    'LAMBDAKIT_PARSER_PAYLOAD_DELETE_FAILED',
    `${failed} of ${total} payloads in S3 were not deleted after their messages succeeded (${why}); they stay until the bucket's lifecycle rule expires them`,
  );
}

function atRecord(error: unknown, index: number | undefined): LargePayloadError {
  const at = index === undefined ? '' : `Record ${index}: `;
  if (error instanceof LargePayloadError) {
    return new LargePayloadError(error.code, `${at}${error.message}`, {
      bucket: error.bucket,
      key: error.key,
      recordIndex: index,
      size: error.size,
      maxBytes: error.maxBytes,
      cause: error.cause,
      retryable: error.retryable,
    });
  }
  return new LargePayloadError('PARSER_PAYLOAD_UNREADABLE', `${at}the payload store failed`, {
    recordIndex: index,
    cause: error,
  });
}

async function fetchPayload(payloads: LargePayloads, body: unknown, signal: AbortSignal | undefined) {
  const pointer = parsePointer(body);
  if (pointer === undefined) {
    throw new LargePayloadError(
      'PARSER_PAYLOAD_POINTER_INVALID',
      'the message carries the ExtendedPayloadSize attribute, but its body is not an S3 pointer',
    );
  }
  const problem = pointerProblem(pointer);
  if (problem !== undefined) throw new LargePayloadError('PARSER_PAYLOAD_POINTER_INVALID', problem);
  return { pointer, text: await payloads.store.fetch(pointer, { maxBytes: payloads.maxBytes, signal }) };
}

async function resolveRecord(payloads: LargePayloads, raw: unknown, signal: AbortSignal | undefined) {
  const record = raw as Fields;
  if (payloads.carrier === 'sns') {
    const sns = record.Sns as Fields;
    const { pointer, text } = await fetchPayload(payloads, sns.Message, signal);
    const attributes = withoutMarker(sns.MessageAttributes as Fields);
    return { pointer, record: { ...record, Sns: { ...sns, Message: text, MessageAttributes: attributes } } };
  }
  if (isFields(record.messageAttributes) && carriesPointer('sqs', record)) {
    const { pointer, text } = await fetchPayload(payloads, record.body, signal);
    const attributes = withoutMarker(record.messageAttributes);
    return { pointer, record: { ...record, body: text, messageAttributes: attributes } };
  }
  const envelope = envelopeOf(record.body)!;
  const { pointer, text } = await fetchPayload(payloads, envelope.Message, signal);
  const inline = { ...envelope, Message: text, MessageAttributes: withoutMarker(envelope.MessageAttributes as Fields) };
  return { pointer, record: { ...record, body: JSON.stringify(inline) } };
}
