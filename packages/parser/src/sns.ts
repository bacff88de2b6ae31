import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { stringAt } from './event-source.js';
import { jsonText } from './json.js';
import { type MessageOptions, resolveLimits, trustsEnvelope } from './limits.js';
import { largePayloadsOption } from './payload-store.js';
import { recordsEvent } from './records.js';
import { trustedField } from './trusted-field.js';

/** An SNS message attribute as delivered to Lambda. */
export const SnsMessageAttributeSchema = awsObject({ Type: z.string(), Value: z.string() });

/** The `Sns` object of an SNS record delivered to Lambda (note `SigningCertUrl`, `UnsubscribeUrl`). */
export const SnsMessageSchema = awsObject({
  SignatureVersion: z.string(),
  Timestamp: z.string(),
  Signature: z.string(),
  SigningCertUrl: z.string(),
  MessageId: z.string(),
  Message: z.string(),
  MessageAttributes: z.record(z.string(), SnsMessageAttributeSchema).optional(),
  Type: z.string(),
  UnsubscribeUrl: z.string(),
  TopicArn: z.string(),
  // Lambda sends `"Subject": null` when the publisher gave none.
  Subject: z.string().nullish(),
});

/** One SNS record of a Lambda event. */
export const SnsRecordSchema = awsObject({
  EventVersion: z.string(),
  EventSubscriptionArn: z.string(),
  EventSource: z.literal('aws:sns'),
  Sns: SnsMessageSchema,
});

const snsIdentifier = (record: unknown) => stringAt(record, 'Sns', 'MessageId');

/** The SNS event Lambda receives from a topic subscription. */
export const SnsEventSchema = recordsEvent('sns', SnsRecordSchema, snsIdentifier);

/** An SNS event as Lambda sends it. */
export type SnsEvent = z.output<typeof SnsEventSchema>;

/**
 * The SNS event with each record's `Sns.Message` parsed as JSON and validated by `Message`;
 * everything else as Lambda sent it.
 */
export function sns<Message extends z.ZodType>(Message: Message, options?: MessageOptions) {
  const limits = resolveLimits('sns', options);
  const payloads = largePayloadsOption('sns', options, 'sns', limits.maxBodyBytes);
  const message = jsonText(Message, limits);
  const validated = SnsRecordSchema.extend({ Sns: SnsMessageSchema.extend({ Message: message }) });
  const record = trustsEnvelope('sns', options)
    ? (trustedField('Sns', trustedField('Message', message)) as unknown as typeof validated)
    : validated;
  return recordsEvent('sns', record, snsIdentifier, payloads);
}
