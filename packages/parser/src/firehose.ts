import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { stringAt, tagSource } from './event-source.js';
import { base64Json, base64Text } from './json.js';
import { type PayloadOptions, resolveLimits } from './limits.js';

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

const firehoseShape = {
  invocationId: z.string(),
  deliveryStreamArn: z.string(),
  region: z.string(),
  sourceKinesisStreamArn: z.string().optional(),
};

/** One record of a Firehose transformation event; `data` is base64. */
export const FirehoseRecordSchema = firehoseRecord(base64Text);

const recordId = (record: unknown) => stringAt(record, 'recordId');

/** The Amazon Data Firehose data transformation event. */
export const FirehoseEventSchema = tagSource(awsObject({ ...firehoseShape, records: z.array(FirehoseRecordSchema) }), {
  source: 'firehose',
  http: false,
  batch: { key: 'records', record: FirehoseRecordSchema, itemIdentifier: recordId },
});

/** A Firehose transformation event as Lambda receives it. */
export type FirehoseEvent = z.output<typeof FirehoseEventSchema>;

/** The Firehose event with each record's `data` base64-decoded, parsed as JSON and validated by `Data`. */
export function firehose<Data extends z.ZodType>(Data: Data, options?: PayloadOptions) {
  const record = firehoseRecord(base64Json(Data, resolveLimits(options)));
  return tagSource(awsObject({ ...firehoseShape, records: z.array(record) }), {
    source: 'firehose',
    http: false,
    batch: { key: 'records', record, itemIdentifier: recordId },
  });
}
