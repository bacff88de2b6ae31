import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from './cli-error.js';

/** Where `--large-body` puts the payload, and in which bucket the event says it is. */
export interface LargeBodyOptions {
  bytes: number;
  payloadDir: string;
  bucket: string;
}

// The extended clients' format (AWS's Java and Python SQS/SNS extended clients).
const POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';
const SIZE_ATTRIBUTE = 'ExtendedPayloadSize';
// An S3 bucket name (3-63 of a-z, 0-9, `.` and `-`): also a safe folder name under the payload folder.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `text` grown to `bytes` bytes: a JSON object gets a `padding` field, anything else trailing spaces. */
function grow(text: string, bytes: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const base = JSON.stringify({ ...parsed, padding: '' });
    const room = bytes - Buffer.byteLength(base);
    if (room >= 0) return JSON.stringify({ ...parsed, padding: 'x'.repeat(room) });
  }
  const room = bytes - Buffer.byteLength(text);
  return room >= 0 ? text + ' '.repeat(room) : text;
}

/**
 * `--large-body`: record 0 of an SQS or SNS event gets a body of `bytes` bytes kept "in S3" the way
 * the extended clients keep it: the payload is written to `<payloadDir>/<bucket>/<key>` (which
 * `lambdakit invoke --local-aws` serves from its local S3) and the record carries the pointer and
 * the `ExtendedPayloadSize` attribute. Returns the payload file.
 */
export async function moveBodyToS3(source: string, event: unknown, options: LargeBodyOptions): Promise<string> {
  const record = (event as { Records?: Record<string, unknown>[] }).Records?.[0];
  if (record === undefined || (source !== 'sqs' && source !== 'sns')) {
    throw new CliError('CLI_USAGE', `--large-body: takes an sqs or sns event, not ${source}`);
  }
  if (!BUCKET_NAME.test(options.bucket) || options.bucket.includes('..')) {
    throw new CliError(
      'CLI_USAGE',
      `--bucket ${JSON.stringify(options.bucket)}: expected an S3 bucket name (3-63 of a-z, 0-9, . and -)`,
    );
  }
  const key = randomUUID();
  const pointer = JSON.stringify([POINTER_CLASS, { s3BucketName: options.bucket, s3Key: key }]);
  let payload: string;
  // The size attribute holds the payload's real length: the body may already be over `bytes`.
  const sizeOf = (text: string) => String(Buffer.byteLength(text));
  if (source === 'sqs') {
    payload = grow(String(record.body ?? ''), options.bytes);
    const size = sizeOf(payload);
    record.body = pointer;
    record.md5OfBody = createHash('md5').update(pointer).digest('hex');
    record.messageAttributes = {
      ...(record.messageAttributes as object),
      [SIZE_ATTRIBUTE]: { stringValue: size, stringListValues: [], binaryListValues: [], dataType: 'Number' },
    };
  } else {
    const sns = record.Sns as Record<string, unknown>;
    payload = grow(String(sns.Message ?? ''), options.bytes);
    const size = sizeOf(payload);
    sns.Message = pointer;
    sns.MessageAttributes = { ...(sns.MessageAttributes as object), [SIZE_ATTRIBUTE]: { Type: 'Number', Value: size } };
  }
  const dir = join(options.payloadDir, options.bucket);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, key), payload);
  } catch (error) {
    throw new CliError(
      'CLI_INVALID_INPUT',
      `--large-body: could not write the payload under ${dir}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return join(dir, key);
}
