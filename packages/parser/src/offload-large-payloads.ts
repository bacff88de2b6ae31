import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { LargePayloadError, s3MayPass } from './large-payload-error.js';
import { formatPointer, LEGACY_RESERVED_ATTRIBUTE, pointerProblem, RESERVED_ATTRIBUTE } from './payload-pointer.js';

/** Options of {@link offloadLargePayloads}. */
export interface OffloadLargePayloadsOptions {
  /** The S3 client payloads are written with. */
  s3: S3Client;
  /** The bucket payloads are written to (give it a lifecycle rule: see the README). */
  bucket: string;
  /**
   * A message whose body and attributes together pass this many bytes goes through S3. Default
   * 262,144 (256 KiB): what every SNS topic and SQS queue accepts (a queue may be raised to 1 MiB),
   * and the extended clients' default. A batch send keeps its entries together under the larger
   * of this and 256 KiB, moving its largest entries to S3 until it fits.
   */
  thresholdBytes?: number | undefined;
  /** Every message through S3, whatever its size (default false). */
  alwaysThroughS3?: boolean | undefined;
  /** Prepended to each object's key (a random UUID), e.g. `payloads/` (default none). */
  keyPrefix?: string | undefined;
}

/** The part of an AWS SDK v3 client this uses. */
interface ClientLike {
  middlewareStack: {
    add(
      middleware: (next: (args: any) => Promise<any>, context: any) => (args: any) => Promise<any>,
      options: { step: 'initialize'; name: string; override: boolean },
    ): void;
  };
}

type Attributes = Record<string, { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array | string }>;
type Entry = Record<string, unknown>;

const DEFAULT_THRESHOLD = 262_144;
// What every SQS queue and SNS topic accepts in one batch request, all entries together.
const MIN_BATCH_BYTES = 262_144;
// SQS and SNS deliver at most 10 attributes; an offloaded message needs one for its size.
const MAX_USER_ATTRIBUTES = 9;

/** A message's size as SQS and SNS count it: its body and every attribute's name, type and value, in bytes. */
function messageSize(body: string, attributes: Attributes | undefined): number {
  let size = Buffer.byteLength(body);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value?.DataType ?? '');
    if (typeof value?.StringValue === 'string') size += Buffer.byteLength(value.StringValue);
    else if (value?.BinaryValue !== undefined) size += Buffer.byteLength(value.BinaryValue as string);
  }
  return size;
}

interface Settings {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly threshold: number;
  readonly always: boolean;
  readonly prefix: string;
  /** The most a batch request's entries may hold together. */
  readonly batchBytes: number;
}

function settingsOf(options: OffloadLargePayloadsOptions): Settings {
  const door = 'offloadLargePayloads(client, options)';
  if (typeof (options?.s3 as { send?: unknown } | undefined)?.send !== 'function') {
    throw new TypeError(`${door}: s3 must be an S3Client from @aws-sdk/client-s3`);
  }
  if (typeof options.bucket !== 'string' || pointerProblem({ bucket: options.bucket, key: 'k' }) !== undefined)
    throw new TypeError(`${door}: bucket must be a bucket name`);
  const threshold = options.thresholdBytes ?? DEFAULT_THRESHOLD;
  if (!Number.isSafeInteger(threshold) || threshold < 0) {
    throw new TypeError(`${door}: thresholdBytes must be an integer ≥ 0, got ${String(threshold)}`);
  }
  const always = options.alwaysThroughS3 ?? false;
  if (typeof always !== 'boolean') throw new TypeError(`${door}: alwaysThroughS3 must be a boolean`);
  const prefix = options.keyPrefix ?? '';
  if (typeof prefix !== 'string' || prefix.length > 512) throw new TypeError(`${door}: keyPrefix must be a string`);
  const batchBytes = Math.max(threshold, MIN_BATCH_BYTES);
  return { s3: options.s3, bucket: options.bucket, threshold, always, prefix, batchBytes };
}

const refused = (what: string, why: string) =>
  new LargePayloadError('PARSER_PAYLOAD_OFFLOAD_REFUSED', `${what}: ${why}`);

/** Why a message cannot go through S3 (nothing is written then), or `undefined`. */
function offloadProblem(entry: Entry, what: string): LargePayloadError | undefined {
  const names = Object.keys((entry.MessageAttributes as Attributes | undefined) ?? {});
  if (names.includes(RESERVED_ATTRIBUTE) || names.includes(LEGACY_RESERVED_ATTRIBUTE)) {
    return refused(what, `the attribute ${RESERVED_ATTRIBUTE} is reserved for payloads in S3`);
  }
  if (names.length > MAX_USER_ATTRIBUTES) {
    return refused(
      what,
      `${names.length} message attributes; a message whose payload goes to S3 needs one more, and at most 10 are delivered`,
    );
  }
  if (entry.MessageStructure === 'json')
    return refused(what, 'a message with MessageStructure json cannot go through S3');
  return undefined;
}

/** The message pointing at `pointer`, as the extended clients write it: the pointer and the payload's size. */
function pointerMessage(pointer: { bucket: string; key: string }, bytes: number, attributes: Attributes | undefined) {
  const size = { DataType: 'Number', StringValue: String(bytes) };
  return { body: formatPointer(pointer), attributes: { ...attributes, [RESERVED_ATTRIBUTE]: size } };
}

/** Writes `body` to S3 and returns the message that points at it, in the extended clients' format. */
async function offload(settings: Settings, body: string, attributes: Attributes | undefined, what: string) {
  const pointer = { bucket: settings.bucket, key: `${settings.prefix}${randomUUID()}` };
  try {
    await settings.s3.send(new PutObjectCommand({ Bucket: pointer.bucket, Key: pointer.key, Body: body }));
  } catch (error) {
    throw new LargePayloadError(
      'PARSER_PAYLOAD_OFFLOAD_FAILED',
      `${what}: writing the payload to s3://${pointer.bucket}/${pointer.key} failed; the message was not sent`,
      { ...pointer, cause: error, retryable: s3MayPass(error) },
    );
  }
  return pointerMessage(pointer, Buffer.byteLength(body), attributes);
}

/** The size of the message that would point at a payload of `bytes` (its key is a UUID after the prefix). */
function pointerSize(settings: Settings, bytes: number, attributes: Attributes | undefined): number {
  const key = `${settings.prefix}${'0'.repeat(36)}`;
  const moved = pointerMessage({ bucket: settings.bucket, key }, bytes, attributes);
  return messageSize(moved.body, moved.attributes);
}

/** Which entries of a batch send go through S3: each over the threshold, then the largest until the batch fits. */
function chooseEntries(settings: Settings, out: readonly Entry[], bodyKey: string): Set<number> {
  const sizes = out.map((e) => messageSize(String(e[bodyKey] ?? ''), e.MessageAttributes as Attributes));
  // An entry through S3 still counts: its pointer and attributes.
  const moved = out.map((e) =>
    pointerSize(settings, Buffer.byteLength(String(e[bodyKey] ?? '')), e.MessageAttributes as Attributes),
  );
  const chosen = new Set(sizes.flatMap((size, i) => (settings.always || size > settings.threshold ? [i] : [])));
  let total = sizes.reduce((sum, size, i) => sum + (chosen.has(i) ? moved[i]! : size), 0);
  const bySaving = sizes.map((size, i) => [size - moved[i]!, i] as const).sort((a, b) => b[0] - a[0]);
  for (const [saving, i] of bySaving) {
    if (total <= settings.batchBytes || saving <= 0) break;
    if (!chosen.has(i)) {
      chosen.add(i);
      total -= saving;
    }
  }
  return chosen;
}

/** The entries of a batch send, those {@link chooseEntries} picks offloaded; refused whole before any write. */
async function offloadEntries(settings: Settings, entries: readonly Entry[], bodyKey: string, what: string) {
  const out = entries.map((entry) => ({ ...entry }));
  const chosen = chooseEntries(settings, out, bodyKey);
  for (const i of chosen) {
    const id = typeof out[i]!.Id === 'string' ? out[i]!.Id : String(i);
    const problem = offloadProblem(out[i]!, `${what} entry ${id}`);
    if (problem !== undefined) throw problem;
  }
  await Promise.all(
    [...chosen].map(async (i) => {
      const entry = out[i]!;
      const id = typeof entry.Id === 'string' ? entry.Id : String(i);
      const moved = await offload(
        settings,
        String(entry[bodyKey] ?? ''),
        entry.MessageAttributes as Attributes,
        `${what} entry ${id}`,
      );
      entry[bodyKey] = moved.body;
      entry.MessageAttributes = moved.attributes;
    }),
  );
  return out;
}

async function carry(settings: Settings, command: string, input: Entry): Promise<Entry | undefined> {
  switch (command) {
    case 'SendMessageCommand':
    case 'PublishCommand': {
      const bodyKey = command === 'SendMessageCommand' ? 'MessageBody' : 'Message';
      const body = String(input[bodyKey] ?? '');
      const attributes = input.MessageAttributes as Attributes | undefined;
      if (!settings.always && messageSize(body, attributes) <= settings.threshold) return undefined;
      const what = command.replace('Command', '');
      const problem = offloadProblem(input, what);
      if (problem !== undefined) throw problem;
      const moved = await offload(settings, body, attributes, what);
      return { ...input, [bodyKey]: moved.body, MessageAttributes: moved.attributes };
    }
    case 'SendMessageBatchCommand':
      return {
        ...input,
        Entries: await offloadEntries(settings, (input.Entries as Entry[]) ?? [], 'MessageBody', 'SendMessageBatch'),
      };
    case 'PublishBatchCommand':
      return {
        ...input,
        PublishBatchRequestEntries: await offloadEntries(
          settings,
          (input.PublishBatchRequestEntries as Entry[]) ?? [],
          'Message',
          'PublishBatch',
        ),
      };
    default:
      return undefined;
  }
}

/**
 * Makes an SQS or SNS client of AWS SDK v3 send large messages through S3, as AWS's extended
 * clients (Java, Python) do, in their format: a message over `thresholdBytes` (body and attributes)
 * is written to `bucket` under a random key and sent as a pointer, with the `ExtendedPayloadSize`
 * attribute holding its size; batch sends entry by entry (and the largest entries until the batch
 * fits). No call site changes; the command's input object is not modified. A message that cannot
 * go through S3 is not sent: `LargePayloadError`, `PARSER_PAYLOAD_OFFLOAD_REFUSED` for the message
 * itself (nothing written; for a batch, no entry), `PARSER_PAYLOAD_OFFLOAD_FAILED` when S3 failed
 * (`retryable` unless S3 refused: a missing bucket, no permission). Returns `client`.
 */
export function offloadLargePayloads<Client extends ClientLike>(
  client: Client,
  options: OffloadLargePayloadsOptions,
): Client {
  if (typeof client?.middlewareStack?.add !== 'function') {
    throw new TypeError('offloadLargePayloads(client, options): expected an SQS or SNS client of AWS SDK v3');
  }
  const settings = settingsOf(options);
  client.middlewareStack.add(
    (next, context: { commandName?: string }) => async (args: { input: Entry }) => {
      const input = await carry(settings, String(context.commandName), args.input);
      return next(input === undefined ? args : { ...args, input });
    },
    { step: 'initialize', name: 'lambdakitOffloadLargePayloads', override: true },
  );
  return client;
}
