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
