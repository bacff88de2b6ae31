import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { stringAt } from './event-source.js';
import { base64Json, base64Text } from './json.js';
import { type EnvelopeOptions, resolveLimits, trustsEnvelope } from './limits.js';
import { streamEvent } from './records.js';
import { trustedField } from './trusted-field.js';

const kinesisData = <D extends z.ZodType>(data: D) =>
  awsObject({
    kinesisSchemaVersion: z.string(),
    partitionKey: z.string(),
    sequenceNumber: z.string(),
    data,
    approximateArrivalTimestamp: z.number(),
    encryptionType: z.string().optional(),
  });

const kinesisRecord = <D extends z.ZodType>(data: D) =>
  awsObject({
    kinesis: kinesisData(data),
    eventSource: z.literal('aws:kinesis'),
    eventVersion: z.string(),
    eventID: z.string(),
    eventName: z.string(),
    invokeIdentityArn: z.string(),
    awsRegion: z.string(),
    eventSourceARN: z.string(),
  });

/** One Kinesis Data Streams record; `kinesis.data` is base64. */
export const KinesisRecordSchema = kinesisRecord(base64Text);

// Lambda reports a failed Kinesis record by its sequence number.
const sequenceNumber = (record: unknown) => stringAt(record, 'kinesis', 'sequenceNumber');

/** The Kinesis Data Streams event Lambda's event source mapping sends. */
export const KinesisEventSchema = streamEvent('kinesis', KinesisRecordSchema, sequenceNumber);

/** A Kinesis Data Streams event as Lambda sends it. */
export type KinesisEvent = z.output<typeof KinesisEventSchema>;

/** The Kinesis event with each `kinesis.data` base64-decoded, parsed as JSON and validated by `Data`. */
export function kinesis<Data extends z.ZodType>(Data: Data, options?: EnvelopeOptions) {
  const data = base64Json(Data, resolveLimits('kinesis', options));
  const validated = kinesisRecord(data);
  const record = trustsEnvelope('kinesis', options)
    ? (trustedField('kinesis', trustedField('data', data)) as unknown as typeof validated)
    : validated;
  return streamEvent('kinesis', record, sequenceNumber);
}
