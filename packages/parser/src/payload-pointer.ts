import type { PayloadCarrier } from './payload-store.js';

/**
 * The format AWS's extended clients (SQS and SNS, Java and Python) use for a payload kept in S3:
 * the message body is a JSON pointer, `["software.amazon.payloadoffloading.PayloadS3Pointer",
 * {"s3BucketName":"…","s3Key":"…"}]`, and a `Number` message attribute holds the payload's size
 * in bytes. Facts of the format, shared by the sender and the receiver.
 */

/** The attribute that marks a pointer and holds the payload's size. */
export const RESERVED_ATTRIBUTE = 'ExtendedPayloadSize';
/** The attribute the first SQS extended client (Java 1.x) wrote; still recognised on receipt. */
export const LEGACY_RESERVED_ATTRIBUTE = 'SQSLargePayloadSize';
/** The pointer's class name today, and the one the first SQS extended client wrote. */
export const POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';
const LEGACY_POINTER_CLASS = 'com.amazon.sqs.javamessaging.MessageS3Pointer';

/** Where a payload is. */
export interface PayloadPointer {
  readonly bucket: string;
  readonly key: string;
}

/** The message body that points at `pointer`, as the extended clients write it. */
export function formatPointer(pointer: PayloadPointer): string {
  return JSON.stringify([POINTER_CLASS, { s3BucketName: pointer.bucket, s3Key: pointer.key }]);
}

/** The pointer `body` holds, or `undefined` when it is not one. */
export function parsePointer(body: unknown): PayloadPointer | undefined {
  if (typeof body !== 'string' || body.length > 4096 || body[0] !== '[') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [type, fields] = value as [unknown, { s3BucketName?: unknown; s3Key?: unknown } | null];
  if (type !== POINTER_CLASS && type !== LEGACY_POINTER_CLASS) return undefined;
  const bucket = fields?.s3BucketName;
  const key = fields?.s3Key;
  if (typeof bucket !== 'string' || bucket === '' || typeof key !== 'string' || key === '') return undefined;
  return { bucket, key };
}

// S3 bucket names: 3-63 of a-z, 0-9, `.` and `-` today; buckets made in us-east-1 before March 2018
// may also hold capitals and `_`, up to 255 characters. No `:` or `/`: an access point or Outposts
// ARN, which the SDK would follow to another account's data, is never a bucket name here.
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;
const MAX_KEY_BYTES = 1024;

/** Why `pointer` cannot be followed (its bucket is no bucket name, its key too long), or `undefined`. */
export function pointerProblem(pointer: PayloadPointer): string | undefined {
  if (!BUCKET_NAME.test(pointer.bucket) || pointer.bucket.includes('..')) {
    return `the pointer's s3BucketName is not a bucket name (an ARN or path is refused): ${JSON.stringify(pointer.bucket.slice(0, 80))}`;
  }
  if (Buffer.byteLength(pointer.key) > MAX_KEY_BYTES) return `the pointer's s3Key is over ${MAX_KEY_BYTES} bytes`;
  return undefined;
}

/** Whether `attributes` (a message's attributes, by name) mark it as a pointer. */
export function marksPointer(attributes: unknown): boolean {
  if (attributes === null || typeof attributes !== 'object') return false;
  return Object.hasOwn(attributes, RESERVED_ATTRIBUTE) || Object.hasOwn(attributes, LEGACY_RESERVED_ATTRIBUTE);
}

/** `attributes` without the pointer's marker: what the message would have carried inline. */
export function withoutMarker<A extends object>(attributes: A): A {
  const copy = { ...attributes } as Record<string, unknown>;
  delete copy[RESERVED_ATTRIBUTE];
  delete copy[LEGACY_RESERVED_ATTRIBUTE];
  return copy as A;
}

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The SNS envelope an SQS body holds, when it holds one that carries a pointer. */
export function envelopeOf(body: unknown): Fields | undefined {
  if (typeof body !== 'string' || !body.includes('S3Pointer')) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return isFields(parsed) && marksPointer(parsed.MessageAttributes) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `record`, of a `carrier`'s event, is marked as carrying a pointer (one attribute check, mostly). */
export function carriesPointer(carrier: PayloadCarrier, record: unknown): boolean {
  if (!isFields(record)) return false;
  if (carrier === 'sns') return isFields(record.Sns) && marksPointer(record.Sns.MessageAttributes);
  if (marksPointer(record.messageAttributes)) return true; // SQS, or SNS with raw message delivery
  return carrier === 'sns-in-sqs' && envelopeOf(record.body) !== undefined;
}
