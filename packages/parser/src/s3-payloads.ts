import { DeleteObjectCommand, GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { LargePayloadError } from './large-payload-error.js';
import type { PayloadPointer } from './payload-pointer.js';
import type { PayloadStore } from './payload-store.js';

/** Options of {@link s3Payloads}. */
export interface S3PayloadsOptions {
  /** The S3 client payloads are read (and deleted) with; create it once, at module scope. */
  client: S3Client;
  /**
   * Delete a payload once its message was processed successfully, as the extended clients do when
   * a message is deleted (default false: the bucket's lifecycle rule expires them). Never before:
   * a failed record keeps its payload for the retry.
   */
  deleteAfterSuccess?: boolean | undefined;
  /**
   * The buckets a pointer may name (default: any the function can read). A message whose pointer
   * names another is refused (`PARSER_PAYLOAD_POINTER_INVALID`) without a request: whoever can send
   * to the queue cannot make the function read other buckets.
   */
  buckets?: readonly string[] | undefined;
}

const where = (p: PayloadPointer) => `s3://${p.bucket}/${p.key}`;

function missing(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NoSuchBucket' ||
    e?.name === 'NotFound' ||
    e?.$metadata?.httpStatusCode === 404
  );
}

async function readAll(body: AsyncIterable<Uint8Array>, pointer: PayloadPointer, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      (body as { destroy?: () => void }).destroy?.();
      throw tooLarge(pointer, size, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function tooLarge(pointer: PayloadPointer, size: number, maxBytes: number): LargePayloadError {
  return new LargePayloadError(
    'PARSER_PAYLOAD_TOO_LARGE',
    `The payload ${where(pointer)} is ${size} bytes or more, over the limit of ${maxBytes} (limits.maxBodyBytes)`,
    { ...pointer, size, maxBytes },
  );
}

/** Reads one payload: refused if its bucket is not allowed, missing, over `maxBytes`, or unreadable. */
async function fetchPayload(
  client: S3Client,
  allowed: ReadonlySet<string> | undefined,
  pointer: PayloadPointer,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<string> {
  if (allowed !== undefined && !allowed.has(pointer.bucket)) {
    throw new LargePayloadError(
      'PARSER_PAYLOAD_POINTER_INVALID',
      `The pointer names ${where(pointer)}, in a bucket not listed in s3Payloads({ buckets })`,
      pointer,
    );
  }
  let out: GetObjectCommandOutput;
  try {
    const command = new GetObjectCommand({ Bucket: pointer.bucket, Key: pointer.key });
    out = await client.send(command, signal === undefined ? {} : { abortSignal: signal });
  } catch (error) {
    if (missing(error)) {
      throw new LargePayloadError('PARSER_PAYLOAD_MISSING', `The payload ${where(pointer)} does not exist`, {
        ...pointer,
        cause: error,
      });
    }
    const why = signal?.aborted ? 'the invocation ran out of time' : 'S3 failed';
    throw new LargePayloadError(
      'PARSER_PAYLOAD_UNREADABLE',
      `The payload ${where(pointer)} could not be read: ${why}`,
      {
        ...pointer,
        cause: signal?.aborted ? signal.reason : error,
      },
    );
  }
  const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
    body?.destroy?.();
    throw tooLarge(pointer, out.ContentLength, maxBytes);
  }
  if (body === undefined) return '';
  try {
    return await readAll(body, pointer, maxBytes);
  } catch (error) {
    if (error instanceof LargePayloadError) throw error;
    throw new LargePayloadError('PARSER_PAYLOAD_UNREADABLE', `The payload ${where(pointer)} could not be read`, {
      ...pointer,
      cause: signal?.aborted ? signal.reason : error,
    });
  }
}

/**
 * The payload store of the extended clients' S3 objects, for the message helpers' `largePayloads`
 * option: `sqs(Order, { largePayloads: s3Payloads({ client: new S3Client({}) }) })`. Reads each
 * payload with `GetObject`, refusing one over the helper's `limits.maxBodyBytes` by its
 * `Content-Length` (and while reading), honouring the invocation's signal. The function needs
 * `s3:GetObject` on the bucket (and `s3:DeleteObject` with `deleteAfterSuccess`).
 */
export function s3Payloads(options: S3PayloadsOptions): PayloadStore {
  const client = options?.client;
  if (typeof (client as { send?: unknown } | undefined)?.send !== 'function') {
    throw new TypeError('s3Payloads({ client }): expected an S3Client from @aws-sdk/client-s3');
  }
  const deleteAfterSuccess = options.deleteAfterSuccess ?? false;
  if (typeof deleteAfterSuccess !== 'boolean') {
    throw new TypeError('s3Payloads({ deleteAfterSuccess }): expected a boolean');
  }
  const buckets = options.buckets;
  if (buckets !== undefined && (!Array.isArray(buckets) || !buckets.every((b) => typeof b === 'string' && b !== ''))) {
    throw new TypeError('s3Payloads({ buckets }): expected an array of bucket names');
  }
  const allowed = buckets === undefined ? undefined : new Set(buckets);
  return {
    deleteAfterSuccess,
    fetch: (pointer, { maxBytes, signal }) => fetchPayload(client, allowed, pointer, maxBytes, signal),
    async remove(pointer) {
      await client.send(new DeleteObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }));
    },
  };
}
