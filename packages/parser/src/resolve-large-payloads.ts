import { emitWarning } from '@lambdakit/core';
import type * as z from 'zod';
import { sourceInfo } from './event-source.js';
import { LargePayloadError } from './large-payload-error.js';
import { marksPointer, type PayloadPointer, parsePointer, withoutMarker } from './payload-pointer.js';
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
   * nothing). Call it only for records processed successfully. A failed delete is a warning: the
   * object stays (an S3 lifecycle rule on the bucket is the backstop).
   */
  removeAfterSuccess(indexes: Iterable<number>): Promise<void>;
}

// Pointers fetched at once per batch: S3 serves them in parallel; a bound keeps sockets in check.
const CONCURRENCY = 8;

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
  return Array.isArray(records) && records.some((record) => carriesPointer(payloads, record));
}

/**
 * Replaces each record's extended-client pointer by its payload, fetched from the store the
 * schema was built with (`sqs(Body, { largePayloads: s3Payloads({ client }) })`), at most 8 at
 * once, each bounded by the helper's `limits.maxBodyBytes` and by `signal`. A record without a
 * pointer costs one property check. The event is then parsed as if every payload had been inline.
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
  if (payloads === undefined || !Array.isArray(records)) {
    return { event, failures, pointers, removeAfterSuccess: async () => {} };
  }
  const resolved: unknown[] = records.slice();
  const pending = records.flatMap((record, index) => (carriesPointer(payloads, record) ? [index] : []));
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
    removeAfterSuccess: (indexes) => removeAll(payloads, pointers, indexes),
  };
}

async function removeAll(
  payloads: LargePayloads,
  pointers: ReadonlyMap<number, PayloadPointer>,
  indexes: Iterable<number>,
): Promise<void> {
  if (!payloads.store.deleteAfterSuccess) return;
  const chosen = [...indexes].flatMap((i) => (pointers.has(i) ? [pointers.get(i)!] : []));
  await Promise.all(
    chosen.map((pointer) =>
      payloads.store.remove(pointer).catch((error: unknown) => {
        emitWarning(
          'LAMBDAKIT_PARSER_PAYLOAD_DELETE_FAILED',
          `Deleting the payload s3://${pointer.bucket}/${pointer.key} after its message succeeded failed: ${String(error)}; the object stays`,
        );
      }),
    ),
  );
}

function atRecord(error: unknown, index: number): LargePayloadError {
  if (error instanceof LargePayloadError) {
    return new LargePayloadError(error.code, `Record ${index}: ${error.message}`, {
      bucket: error.bucket,
      key: error.key,
      recordIndex: index,
      size: error.size,
      maxBytes: error.maxBytes,
      cause: error.cause,
    });
  }
  return new LargePayloadError('PARSER_PAYLOAD_UNREADABLE', `Record ${index}: the payload store failed`, {
    recordIndex: index,
    cause: error,
  });
}

/** The SNS envelope an SQS body holds, when it holds one that carries a pointer. */
function envelopeOf(body: unknown): Fields | undefined {
  if (typeof body !== 'string' || !body.includes('S3Pointer')) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return isFields(parsed) && marksPointer(parsed.MessageAttributes) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function carriesPointer({ carrier }: LargePayloads, record: unknown): boolean {
  if (!isFields(record)) return false;
  if (carrier === 'sns') return isFields(record.Sns) && marksPointer(record.Sns.MessageAttributes);
  if (marksPointer(record.messageAttributes)) return true; // SQS, or SNS with raw message delivery
  return carrier === 'sns-in-sqs' && envelopeOf(record.body) !== undefined;
}

async function fetchPayload(payloads: LargePayloads, body: unknown, signal: AbortSignal | undefined) {
  const pointer = parsePointer(body);
  if (pointer === undefined) {
    throw new LargePayloadError(
      'PARSER_PAYLOAD_POINTER_INVALID',
      'the message carries the ExtendedPayloadSize attribute, but its body is not an S3 pointer',
    );
  }
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
  if (marksPointer(record.messageAttributes)) {
    const { pointer, text } = await fetchPayload(payloads, record.body, signal);
    const attributes = withoutMarker(record.messageAttributes as Fields);
    return { pointer, record: { ...record, body: text, messageAttributes: attributes } };
  }
  const envelope = envelopeOf(record.body)!;
  const { pointer, text } = await fetchPayload(payloads, envelope.Message, signal);
  const inline = { ...envelope, Message: text, MessageAttributes: withoutMarker(envelope.MessageAttributes as Fields) };
  return { pointer, record: { ...record, body: JSON.stringify(inline) } };
}
