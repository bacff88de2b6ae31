import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { tagSource } from './event-source.js';

// SES reports DISABLED when the receipt rule has scanning turned off.
const verdict = awsObject({ status: z.string() });

/** The `mail` part of an SES receipt record: envelope, headers, and the parsed common headers. */
export const SesMailSchema = awsObject({
  timestamp: z.string(),
  source: z.string(),
  messageId: z.string(),
  destination: z.array(z.string()),
  headersTruncated: z.boolean(),
  headers: z.array(awsObject({ name: z.string(), value: z.string() })),
  // Each common header appears only when the message has it.
  commonHeaders: awsObject({
    returnPath: z.string().optional(),
    from: z.array(z.string()).optional(),
    date: z.string().optional(),
    to: z.array(z.string()).optional(),
    cc: z.array(z.string()).optional(),
    bcc: z.array(z.string()).optional(),
    sender: z.array(z.string()).optional(),
    replyTo: z.array(z.string()).optional(),
    messageId: z.string().optional(),
    subject: z.string().optional(),
  }),
});

/** The `receipt` part of an SES receipt record: verdicts and the Lambda action. */
export const SesReceiptSchema = awsObject({
  timestamp: z.string(),
  // AWS's examples send a number; the field reference calls it a string.
  processingTimeMillis: z.union([z.number(), z.string()]),
  recipients: z.array(z.string()),
  spamVerdict: verdict,
  virusVerdict: verdict,
  spfVerdict: verdict,
  dkimVerdict: verdict,
  // Absent from AWS's own receipt notification example.
  dmarcVerdict: verdict.optional(),
  // Only when the message fails DMARC authentication: none, quarantine or reject.
  dmarcPolicy: z.string().optional(),
  action: awsObject({
    type: z.string(),
    functionArn: z.string().optional(),
    invocationType: z.string().optional(),
    topicArn: z.string().optional(),
  }),
});

/** One SES receipt record. */
export const SesRecordSchema = awsObject({
  eventSource: z.literal('aws:ses'),
  eventVersion: z.string(),
  ses: awsObject({ mail: SesMailSchema, receipt: SesReceiptSchema }),
});

/** The event an SES receipt rule's Lambda action sends (the message body is not included). */
export const SesEventSchema = tagSource(awsObject({ Records: z.array(SesRecordSchema) }), {
  source: 'ses',
  http: false,
});

/** An SES receipt event as Lambda receives it. */
export type SesEvent = z.output<typeof SesEventSchema>;
