import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { stringAt } from './event-source.js';
import { base64Text, jsonText } from './json.js';
import { type MessageOptions, resolveLimits, trustsEnvelope } from './limits.js';
import { type LargePayloads, largePayloadsOption } from './payload-store.js';
import { recordsEvent } from './records.js';
import { trustedField } from './trusted-field.js';

/** An SQS message attribute as Lambda delivers it (`stringValue`, or `binaryValue`: base64, checked, kept encoded). */
export const SqsMessageAttributeSchema = awsObject({
  stringValue: z.string().nullish(),
  binaryValue: base64Text.nullish(),
  stringListValues: z.array(z.string()).optional(),
  binaryListValues: z.array(base64Text).optional(),
  dataType: z.string(),
});

/** The system attributes of an SQS message; FIFO queues add the sequence and group ids. */
export const SqsAttributesSchema = awsObject({
  ApproximateReceiveCount: z.string(),
  SentTimestamp: z.string(),
  SenderId: z.string(),
  ApproximateFirstReceiveTimestamp: z.string(),
  AWSTraceHeader: z.string().optional(),
  SequenceNumber: z.string().optional(),
  MessageGroupId: z.string().optional(),
  MessageDeduplicationId: z.string().optional(),
  DeadLetterQueueSourceArn: z.string().optional(),
});

/** One SQS record of a Lambda event. */
export const SqsRecordSchema = awsObject({
  messageId: z.string(),
  receiptHandle: z.string(),
  body: z.string(),
  attributes: SqsAttributesSchema,
  messageAttributes: z.record(z.string(), SqsMessageAttributeSchema),
  md5OfBody: z.string(),
  // Sent only when the message has attributes; some producers send null.
  md5OfMessageAttributes: z.string().nullish(),
  eventSource: z.literal('aws:sqs'),
  eventSourceARN: z.string(),
  awsRegion: z.string(),
});

const messageId = (record: unknown) => stringAt(record, 'messageId');

/** The SQS event Lambda's event source mapping sends (standard and FIFO queues). */
export const SqsEventSchema = recordsEvent('sqs', SqsRecordSchema, messageId);

/** An SQS event as Lambda sends it. */
export type SqsEvent = z.output<typeof SqsEventSchema>;
/** One record of an {@link SqsEvent}. */
export type SqsRecord = z.output<typeof SqsRecordSchema>;

/** Builds the SQS event schema whose records' `body` is `body` (internal: shared with `snsInSqs`). */
export function sqsWithBody<B extends z.ZodType>(body: B, trustEnvelope = false, payloads?: LargePayloads) {
  const validated = SqsRecordSchema.extend({ body });
  const record = trustEnvelope ? (trustedField('body', body) as unknown as typeof validated) : validated;
  return recordsEvent('sqs', record, messageId, payloads);
}

/**
 * The SQS event with each record's `body` parsed as JSON and validated by `Body`: the handler
 * gets the whole event, `event.Records[i].body` typed, and every other field as Lambda sent it.
 */
export function sqs<Body extends z.ZodType>(Body: Body, options?: MessageOptions) {
  const limits = resolveLimits('sqs', options);
  const payloads = largePayloadsOption('sqs', options, 'sqs', limits.maxBodyBytes);
  return sqsWithBody(jsonText(Body, limits), trustsEnvelope('sqs', options), payloads);
}
