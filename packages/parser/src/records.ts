import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { type BatchShape, type EventSourceName, tagSource } from './event-source.js';
import { carriesPointer, RESERVED_ATTRIBUTE } from './payload-pointer.js';
import type { LargePayloads } from './payload-store.js';

/** Why a batch event with no records is refused. */
export const NO_RECORDS =
  'no records: Lambda never sends this source an event without records (a wrong trigger, or a hand-made event)';

/**
 * A batch event's records: at least one, as Lambda sends them (an SQS, SNS or S3 event, a
 * stream batch outside a tumbling window).
 */
export function records<Record extends z.ZodType>(record: Record) {
  return z.array(record).min(1, { error: NO_RECORDS });
}

/** What a tumbling window (Kinesis, DynamoDB Streams) adds to the event: the window and its state. */
export const windowShape = {
  window: awsObject({ start: z.string(), end: z.string() }).optional(),
  state: z.record(z.string(), z.unknown()).optional(),
  shardId: z.string().optional(),
  eventSourceARN: z.string().optional(),
  isFinalInvokeForWindow: z.boolean().optional(),
  isWindowTerminatedEarly: z.boolean().optional(),
};

/**
 * A stream batch's records (Kinesis, DynamoDB Streams): at least one, except in the invocation
 * that ends a tumbling window (`isFinalInvokeForWindow`), which may carry only the window's state.
 */
export function windowedRecords<Event extends { Records: unknown[]; window?: unknown }>(
  event: Event,
  ctx: z.RefinementCtx,
): void {
  if (event.Records.length === 0 && event.window === undefined) {
    ctx.addIssue({ code: 'custom', path: ['Records'], message: NO_RECORDS, input: event.Records });
  }
}

/** Tags a batch event schema with where its records are and how each is known, for `safeParseRecords`. */
export function batchEvent<S extends object>(
  schema: S,
  source: EventSourceName,
  batch: BatchShape,
  payloads?: LargePayloads,
): S {
  return tagSource(
    schema,
    payloads === undefined ? { source, http: false, batch } : { source, http: false, batch, payloads },
  );
}

/** A `Records` event (SQS, SNS): at least one `record`, each reported by `itemIdentifier`. */
export function recordsEvent<Record extends z.ZodType>(
  source: EventSourceName,
  record: Record,
  itemIdentifier: BatchShape['itemIdentifier'],
  payloads?: LargePayloads,
) {
  const checked = payloads === undefined ? record : resolvedOnly(payloads, record);
  const shape = { key: 'Records', record: checked, itemIdentifier } as const;
  return batchEvent(awsObject({ Records: records(checked) }), source, shape, payloads);
}

/**
 * `record`, refusing one that still carries an extended client's pointer: a schema given
 * `largePayloads` parses payloads, never pointers, whatever its body schema would accept (a direct
 * `parseEvent()` must run `resolveLargePayloads()` first; `parse()` and the batch package do).
 */
function resolvedOnly<Record extends z.ZodType>(payloads: LargePayloads, record: Record): Record {
  const guard = z.unknown().superRefine((raw, ctx) => {
    if (!carriesPointer(payloads.carrier, raw)) return;
    let path = ['messageAttributes', RESERVED_ATTRIBUTE];
    if (payloads.carrier === 'sns') path = ['Sns', 'MessageAttributes', RESERVED_ATTRIBUTE];
    else if (!carriesPointer('sqs', raw)) path = ['body']; // an SNS envelope's attribute, inside the body
    ctx.addIssue({
      code: 'custom',
      path,
      message:
        'The payload is in S3 (an extended client pointer): fetch it first with resolveLargePayloads(), as parse() and the batch package do',
      input: undefined,
    });
  });
  return guard.pipe(record) as unknown as Record;
}

/** A stream batch event (Kinesis, DynamoDB Streams): its `record`s and a tumbling window's fields. */
export function streamEvent<Record extends z.ZodType>(
  source: EventSourceName,
  record: Record,
  itemIdentifier: BatchShape['itemIdentifier'],
) {
  return batchEvent(awsObject({ Records: z.array(record), ...windowShape }).superRefine(windowedRecords), source, {
    key: 'Records',
    record,
    itemIdentifier,
  });
}
