import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { tagSource } from './event-source.js';
import { records } from './records.js';

/** The `s3.object` of an S3 notification; delete markers and deletes carry no `size` or `eTag`. */
export const S3ObjectSchema = awsObject({
  // URL-encoded by S3 ('+' for a space); `s3()` decodes it.
  key: z.string(),
  size: z.number().optional(),
  eTag: z.string().optional(),
  versionId: z.string().optional(),
  sequencer: z.string().optional(),
});

const s3Entity = <K extends z.ZodType>(object: K) =>
  awsObject({
    s3SchemaVersion: z.string(),
    configurationId: z.string(),
    bucket: awsObject({
      name: z.string(),
      ownerIdentity: awsObject({ principalId: z.string() }),
      arn: z.string(),
    }),
    object,
  });

const s3Record = <K extends z.ZodType>(object: K) =>
  awsObject({
    eventVersion: z.string(),
    eventSource: z.literal('aws:s3'),
    awsRegion: z.string(),
    eventTime: z.string(),
    eventName: z.string(),
    userIdentity: awsObject({ principalId: z.string() }).optional(),
    requestParameters: awsObject({ sourceIPAddress: z.string() }).optional(),
    responseElements: awsObject({
      'x-amz-request-id': z.string().optional(),
      'x-amz-id-2': z.string().optional(),
    }).optional(),
    s3: s3Entity(object),
    // s3:ObjectRestore:Completed adds the restore details.
    glacierEventData: awsObject({
      restoreEventData: awsObject({
        lifecycleRestorationExpiryTime: z.string(),
        lifecycleRestoreStorageClass: z.string(),
      }),
    }).optional(),
  });

/** One S3 event notification record. */
export const S3RecordSchema = s3Record(S3ObjectSchema);

// Not a batch for safeParseRecords: Lambda takes no partial batch response from S3.
const s3Event = <Record extends z.ZodType>(record: Record) =>
  tagSource(awsObject({ Records: records(record) }), { source: 's3', http: false });

/** The S3 event notification Lambda receives (object created, removed, restored, …). */
export const S3EventSchema = s3Event(S3RecordSchema);

/** An S3 event notification as Lambda receives it. */
export type S3Event = z.output<typeof S3EventSchema>;

/** Decodes an S3 object key: S3 URL-encodes keys in notifications and writes a space as '+'. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

const decodedKey = z.string().transform((key, ctx) => {
  try {
    return decodeS3Key(key);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'Invalid URL encoding in the object key',
      params: { reason: 'invalid_key' },
    });
    return z.NEVER;
  }
});

const decodedRecord = s3Record(S3ObjectSchema.extend({ key: decodedKey }));

// Built once: s3() takes no arguments, so every call can share it.
const decodedEvent = s3Event(decodedRecord);

/** The S3 event with every `s3.object.key` URL-decoded (`photos/my+cat%21.jpg` → `photos/my cat!.jpg`). */
export function s3() {
  return decodedEvent;
}
