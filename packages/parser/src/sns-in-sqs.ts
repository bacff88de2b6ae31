import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { jsonText } from './json.js';
import { type MessageOptions, resolveLimits, trustsEnvelope } from './limits.js';
import { largePayloadsOption } from './payload-store.js';
import { SnsMessageAttributeSchema } from './sns.js';
import { sqsWithBody } from './sqs.js';
import { trustedField } from './trusted-field.js';

/**
 * The SNS notification an SQS queue receives from a topic (raw message delivery off): unlike
 * Lambda's SNS record it spells `SigningCertURL` / `UnsubscribeURL`; FIFO topics add `SequenceNumber`.
 */
export const SnsNotificationSchema = awsObject({
  Type: z.string(),
  MessageId: z.string(),
  TopicArn: z.string(),
  Subject: z.string().nullish(),
  Message: z.string(),
  Timestamp: z.string(),
  SignatureVersion: z.string().optional(),
  Signature: z.string().optional(),
  SigningCertURL: z.string().optional(),
  UnsubscribeURL: z.string().optional(),
  MessageAttributes: z.record(z.string(), SnsMessageAttributeSchema).optional(),
  SequenceNumber: z.string().optional(),
});

/** An SNS notification as an SQS queue subscribed to a topic receives it. */
export type SnsNotification = z.output<typeof SnsNotificationSchema>;

/**
 * The SQS event of a queue subscribed to an SNS topic: each record's `body` is the SNS
 * notification, and its `Message` is parsed as JSON and validated by `Message`.
 */
export function snsInSqs<Message extends z.ZodType>(Message: Message, options?: MessageOptions) {
  const limits = resolveLimits('snsInSqs', options);
  const payloads = largePayloadsOption('snsInSqs', options, 'sns-in-sqs', limits.maxBodyBytes);
  const trust = trustsEnvelope('snsInSqs', options);
  const validated = SnsNotificationSchema.extend({ Message: jsonText(Message, limits) });
  const notification = trust
    ? (trustedField('Message', jsonText(Message, limits)) as unknown as typeof validated)
    : validated;
  return sqsWithBody(jsonText(notification, limits), trust, payloads);
}
