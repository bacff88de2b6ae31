import { DeleteObjectCommand, GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { LargePayloadError } from './large-payload-error.js';
import { type PayloadPointer, pointerProblem } from './payload-pointer.js';
import type { PayloadStore } from './payload-store.js';

/** Options of {@link s3Payloads}. */
export interface S3PayloadsOptions {
  /** The S3 client payloads are read (and deleted) with; create it once, at module scope. */
  client: S3Client;
  /**
   * Delete the payloads once the invocation succeeded, those of the records it did not report as
   * failed, as the extended clients do when a message is deleted (default false: the bucket's
   * lifecycle rule expires them). Never before: a failed record, or a batch Lambda retries whole
   * (the function failed or timed out), keeps its payloads for the retry. Needs `buckets`: whoever
   * can send to the queue could otherwise make the function delete objects elsewhere.
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

type S3Failure = { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;

function missing(error: unknown): boolean {
  const e = error as S3Failure;
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NoSuchBucket' ||
    e?.name === 'NotFound' ||
    e?.$metadata?.httpStatusCode === 404
  );
}

const denied = (error: unknown) =>
  (error as S3Failure)?.name === 'AccessDenied' || (error as S3Failure)?.$metadata?.httpStatusCode === 403;

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
  const problem = pointerProblem(pointer);
  if (problem !== undefined) throw new LargePayloadError('PARSER_PAYLOAD_POINTER_INVALID', problem, pointer);
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
    if (denied(error)) {
      throw new LargePayloadError(
        'PARSER_PAYLOAD_ACCESS_DENIED',
        `Reading the payload ${where(pointer)} was denied (S3 answers 403 for a missing object too when the function may not s3:ListBucket)`,
        { ...pointer, cause: error },
      );
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

// Deletes in flight at once: one request per payload, as the extended clients make.
const DELETE_CONCURRENCY = 16;

/** Deletes `pointers`, one DeleteObject each, 16 at once; the ones not deleted, and why. */
async function removePayloads(client: S3Client, pointers: readonly PayloadPointer[], signal: AbortSignal) {
  const left: { pointer: PayloadPointer; reason: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < pointers.length) {
      const pointer = pointers[next++]!;
      if (signal.aborted) {
        left.push({ pointer, reason: 'out of time' });
        continue;
      }
      try {
        await client.send(new DeleteObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }), {
          abortSignal: signal,
        });
      } catch (error) {
        left.push({ pointer, reason: signal.aborted ? 'out of time' : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, pointers.length) }, worker));
  return left;
}

/**
 * The payload store of the extended clients' S3 objects, for the message helpers' `largePayloads`
 * option: `sqs(Order, { largePayloads: s3Payloads({ client: new S3Client({}) }) })`. Reads each
 * payload with `GetObject`, refusing one over the helper's `limits.maxBodyBytes` by its
 * `Content-Length` (and while reading), honouring the invocation's signal. The function needs
 * `s3:GetObject` on the bucket (and `s3:DeleteObject` with `deleteAfterSuccess`; with
 * `s3:ListBucket` too, a missing object is told from a forbidden one).
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
  const named = (b: unknown) => typeof b === 'string' && pointerProblem({ bucket: b, key: 'k' }) === undefined;
  if (buckets !== undefined && (!Array.isArray(buckets) || !buckets.every(named))) {
    throw new TypeError('s3Payloads({ buckets }): expected an array of bucket names');
  }
  const allowed = buckets === undefined ? undefined : new Set(buckets);
  if (deleteAfterSuccess && allowed === undefined) {
    throw new TypeError(
      's3Payloads({ deleteAfterSuccess: true }) needs buckets: the buckets payloads may be deleted from (a pointer naming another is refused)',
    );
  }
  return {
    deleteAfterSuccess,
    fetch: (pointer, { maxBytes, signal }) => fetchPayload(client, allowed, pointer, maxBytes, signal),
    remove: (pointers, { signal }) => removePayloads(client, pointers, signal),
  };
}
