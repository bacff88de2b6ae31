import { createHash, randomUUID } from 'node:crypto';
import { ServiceError } from './service-error.js';

/** A message attribute as SQS's JSON protocol carries it. */
export interface SqsMessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string | undefined;
  /** Base64 in the JSON protocol. */
  readonly BinaryValue?: string | undefined;
}

/** One message in a local queue. */
export interface LocalSqsMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, SqsMessageAttribute>>;
  /** The X-Ray trace header it was sent with (`AWSTraceHeader`), if any. */
  readonly traceHeader: string | undefined;
  readonly sentAt: number;
  /** When it can be received (after a delay, or once its visibility timeout ends). */
  visibleAt: number;
  receiveCount: number;
  /** When it was first received, epoch milliseconds; `undefined` before. */
  firstReceivedAt: number | undefined;
  /** The receipt handle of its latest receive; an older one no longer deletes it. */
  receiptHandle: string | undefined;
}

/** A local standard queue. */
export interface LocalSqsQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds: number;
  readonly messages: LocalSqsMessage[];
}

// SQS: a queue name is 1–80 letters, digits, hyphens and underscores (`.fifo` for FIFO, not emulated).
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** SQS's largest message, body and attributes together. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** MD5 of a message body, as SQS returns it (`MD5OfMessageBody`, `MD5OfBody`). */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * MD5 of message attributes as SQS computes it: for each attribute, sorted by name, the name, the
 * data type (each a 4-byte big-endian length and UTF-8 bytes), a transport byte (1 string, 2
 * binary) and the value (length and bytes). `undefined` when there are none.
 */
export function md5OfAttributes(attributes: Readonly<Record<string, SqsMessageAttribute>>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const attribute = attributes[name]!;
    field(Buffer.from(name, 'utf8'));
    field(Buffer.from(attribute.DataType, 'utf8'));
    const binary = attribute.DataType.startsWith('Binary');
    hash.update(Buffer.from([binary ? 2 : 1]));
    field(
      binary ? Buffer.from(attribute.BinaryValue ?? '', 'base64') : Buffer.from(attribute.StringValue ?? '', 'utf8'),
    );
  }
  return hash.digest('hex');
}

/** The queues of one local endpoint, their messages and visibility, on a clock tests can move. */
export class SqsQueueStore {
  private readonly queues = new Map<string, LocalSqsQueue>();

  constructor(
    private readonly baseUrl: string,
    private readonly region: string,
    private readonly accountId: string,
    readonly now: () => number,
  ) {}

  create(name: string, visibilityTimeoutSeconds = 30): LocalSqsQueue {
    if (!QUEUE_NAME.test(name)) {
      throw new ServiceError(
        'InvalidParameterValue',
        `Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length (FIFO queues are not emulated): ${name}`,
      );
    }
    const existing = this.queues.get(name);
    if (existing !== undefined) return existing;
    const queue: LocalSqsQueue = {
      name,
      url: `${this.baseUrl}/${this.accountId}/${name}`,
      arn: `arn:aws:sqs:${this.region}:${this.accountId}:${name}`,
      visibilityTimeoutSeconds,
      messages: [],
    };
    this.queues.set(name, queue);
    return queue;
  }

  byName(name: string): LocalSqsQueue {
    const queue = this.queues.get(name);
    if (queue === undefined) throw notFound();
    return queue;
  }

  /** The queue a `QueueUrl` names (its last path segment), whatever host the client used. */
  byUrl(url: unknown): LocalSqsQueue {
    if (typeof url !== 'string' || url === '') throw new ServiceError('MissingParameter', 'QueueUrl is required');
    return this.byName(url.slice(url.lastIndexOf('/') + 1));
  }

  send(
    queue: LocalSqsQueue,
    body: string,
    attributes: Record<string, SqsMessageAttribute>,
    delaySeconds = 0,
    traceHeader?: string,
  ) {
    const message: LocalSqsMessage = {
      messageId: randomUUID(),
      body,
      attributes,
      traceHeader,
      sentAt: this.now(),
      visibleAt: this.now() + delaySeconds * 1000,
      receiveCount: 0,
      firstReceivedAt: undefined,
      receiptHandle: undefined,
    };
    queue.messages.push(message);
    return message;
  }

  /** Up to `max` visible messages, each hidden for `visibilitySeconds` and given a new receipt handle. */
  receive(queue: LocalSqsQueue, max: number, visibilitySeconds: number): LocalSqsMessage[] {
    const now = this.now();
    const taken = queue.messages.filter((m) => m.visibleAt <= now).slice(0, max);
    for (const message of taken) {
      message.visibleAt = now + visibilitySeconds * 1000;
      message.receiveCount++;
      message.firstReceivedAt ??= now;
      message.receiptHandle = `${message.messageId}#${randomUUID()}`;
    }
    return taken;
  }

  /** Deletes the message `receiptHandle` was given for; a stale or unknown handle deletes nothing, as in SQS. */
  delete(queue: LocalSqsQueue, receiptHandle: unknown): void {
    if (typeof receiptHandle !== 'string' || !receiptHandle.includes('#')) {
      throw new ServiceError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${String(receiptHandle)}" is not valid.`,
      );
    }
    const index = queue.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (index >= 0) queue.messages.splice(index, 1);
  }

  list(): readonly LocalSqsQueue[] {
    return [...this.queues.values()];
  }
}

function notFound(): ServiceError {
  return new ServiceError('com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.');
}
