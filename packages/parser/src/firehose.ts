import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { stringAt } from './event-source.js';
import { base64Json, base64Text } from './json.js';
import { type EnvelopeOptions, resolveLimits, trustsEnvelope } from './limits.js';
import { batchEvent } from './records.js';
import { trustedField } from './trusted-field.js';

const firehoseRecord = <D extends z.ZodType>(data: D) =>
  awsObject({
    recordId: z.string(),
    approximateArrivalTimestamp: z.number(),
    data,
    // Present when the delivery stream reads from a Kinesis data stream.
    kinesisRecordMetadata: awsObject({
      shardId: z.string(),
      partitionKey: z.string(),
      approximateArrivalTimestamp: z.number(),
      sequenceNumber: z.string(),
      subsequenceNumber: z.union([z.number(), z.string()]),
    }).optional(),
  });

/** One record of a Firehose transformation event; `data` is base64. */
export const FirehoseRecordSchema = firehoseRecord(base64Text);

const firehoseEvent = <Record extends z.ZodType>(record: Record) =>
  batchEvent(
    awsObject({
      invocationId: z.string(),
      deliveryStreamArn: z.string(),
      region: z.string(),
      sourceKinesisStreamArn: z.string().optional(),
      records: z.array(record),
    }),
    'firehose',
    { key: 'records', record, itemIdentifier: (raw) => stringAt(raw, 'recordId') },
  );

/** The Amazon Data Firehose data transformation event. */
export const FirehoseEventSchema = firehoseEvent(FirehoseRecordSchema);

/** A Firehose transformation event as Lambda receives it. */
export type FirehoseEvent = z.output<typeof FirehoseEventSchema>;

/** The Firehose event with each record's `data` base64-decoded, parsed as JSON and validated by `Data`. */
export function firehose<Data extends z.ZodType>(Data: Data, options?: EnvelopeOptions) {
  const data = base64Json(Data, resolveLimits('firehose', options));
  const validated = firehoseRecord(data);
  const record = trustsEnvelope('firehose', options)
    ? (trustedField('data', data) as unknown as typeof validated)
    : validated;
  return firehoseEvent(record);
}
