import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { tagSource } from './event-source.js';
import { base64Text } from './json.js';

/** One Kafka record: `key` and `value` are base64 (checked, kept encoded); header values are byte arrays. */
export const KafkaRecordSchema = awsObject({
  topic: z.string(),
  // AWS's own examples show the partition both as a number and as a string.
  partition: z.union([z.number(), z.string()]),
  offset: z.number(),
  timestamp: z.number(),
  timestampType: z.string(),
  // Absent for a record without a key, and `value` for a tombstone.
  key: base64Text.nullish(),
  value: base64Text.nullish(),
  headers: z.array(z.record(z.string(), z.union([z.array(z.number()), z.string()]))).optional(),
  // Only with a schema registry configured on the event source mapping.
  keySchemaMetadata: awsObject({ dataFormat: z.string(), schemaId: z.string().optional() }).optional(),
  valueSchemaMetadata: awsObject({ dataFormat: z.string(), schemaId: z.string().optional() }).optional(),
});

/** Records grouped by `"<topic>-<partition>"`. */
const records = z.record(z.string(), z.array(KafkaRecordSchema));

/** The event from an Amazon MSK event source mapping (`eventSource: "aws:kafka"`). */
export const MskEventSchema = awsObject({
  eventSource: z.literal('aws:kafka'),
  eventSourceArn: z.string(),
  bootstrapServers: z.string().optional(),
  records,
});

/** The event from a self-managed Apache Kafka event source mapping (no cluster ARN). */
export const SelfManagedKafkaEventSchema = awsObject({
  eventSource: z.enum(['SelfManagedKafka', 'aws:SelfManagedKafka']),
  bootstrapServers: z.string(),
  records,
});

/** A Kafka event from Amazon MSK or a self-managed cluster, told apart by `eventSource`. */
export const KafkaEventSchema = tagSource(
  // Discriminated, so a bad record is reported at its path (`records["topic-0"][i]`), not as "Invalid input" at the root.
  z.discriminatedUnion('eventSource', [MskEventSchema, SelfManagedKafkaEventSchema]),
  { source: 'kafka', http: false },
);

/** A Kafka event (MSK or self-managed) as Lambda receives it. */
export type KafkaEvent = z.output<typeof KafkaEventSchema>;
