import type { JsonOperations, OperationRequest } from './json-endpoint.js';
import { ServiceError } from './service-error.js';
import {
  type LocalSqsMessage,
  MAX_MESSAGE_BYTES,
  md5OfAttributes,
  md5OfBody,
  type SqsMessageAttribute,
  type SqsQueueStore,
} from './sqs-queue-store.js';

/** The SQS operations the local endpoint implements (standard queues). */
export type LocalSqsOperation =
  | 'CreateQueue'
  | 'GetQueueUrl'
  | 'ListQueues'
  | 'SendMessage'
  | 'SendMessageBatch'
  | 'ReceiveMessage'
  | 'DeleteMessage'
  | 'GetQueueAttributes'
  | 'PurgeQueue';

type Input = Record<string, unknown>;

// SQS: at most 10 message attributes; a name of letters, digits, `_ - .`, up to 256 characters.
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const DATA_TYPE = /^(String|Number|Binary)(\.[A-Za-z0-9_.-]+)?$/;

function invalid(message: string): ServiceError {
  return new ServiceError('InvalidParameterValue', message);
}

/** The message attributes of a send, checked as SQS checks them. */
function attributesOf(input: Input): Record<string, SqsMessageAttribute> {
  const raw = input.MessageAttributes;
  if (raw === undefined) return {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('MessageAttributes must be a map');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 10)
    throw invalid(`Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`);
  const out: Record<string, SqsMessageAttribute> = {};
  for (const [name, value] of entries) {
    const attribute = value as Partial<SqsMessageAttribute> | null;
    if (!ATTRIBUTE_NAME.test(name)) throw invalid(`Message attribute name '${name}' is invalid.`);
    if (typeof attribute?.DataType !== 'string' || !DATA_TYPE.test(attribute.DataType)) {
      throw invalid(`The message attribute '${name}' has an invalid message attribute type.`);
    }
    const binary = attribute.DataType.startsWith('Binary');
    const text = binary ? attribute.BinaryValue : attribute.StringValue;
    if (typeof text !== 'string' || text === '')
      throw invalid(`The message attribute '${name}' must contain a non-empty value.`);
    if (attribute.DataType.startsWith('Number') && !Number.isFinite(Number(text))) {
      throw invalid(`Can't cast the value of message attribute '${name}' to a number.`);
    }
    out[name] = binary
      ? { DataType: attribute.DataType, BinaryValue: text }
      : { DataType: attribute.DataType, StringValue: text };
  }
  return out;
}

function bodyOf(input: Input): string {
  const body = input.MessageBody;
  if (typeof body !== 'string' || body === '')
    throw new ServiceError('MissingParameter', 'The request must contain the parameter MessageBody.');
  return body;
}

function sizeOf(body: string, attributes: Record<string, SqsMessageAttribute>): number {
  let size = Buffer.byteLength(body);
  for (const [name, a] of Object.entries(attributes)) {
    size +=
      Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue ?? a.BinaryValue ?? '');
  }
  return size;
}

function delayOf(input: Input): number {
  const delay = input.DelaySeconds ?? 0;
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > 900) {
    throw invalid('DelaySeconds must be an integer from 0 to 900.');
  }
  return delay;
}

/**
 * The X-Ray header a message keeps as `AWSTraceHeader`: its `MessageSystemAttributes` entry, else
 * the request's `X-Amzn-Trace-Id` header, as SQS takes it from either.
 */
function traceHeaderOf(input: Input, request: OperationRequest): string | undefined {
  const raw = input.MessageSystemAttributes;
  if (raw === undefined) return request.traceHeader;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw invalid('MessageSystemAttributes must be a map');
  for (const name of Object.keys(raw)) {
    if (name !== 'AWSTraceHeader') throw invalid(`Message system attribute name '${name}' is invalid.`);
  }
  const attribute = (raw as { AWSTraceHeader?: { DataType?: unknown; StringValue?: unknown } }).AWSTraceHeader;
  if (attribute?.DataType !== 'String' || typeof attribute.StringValue !== 'string' || attribute.StringValue === '') {
    throw invalid("The message system attribute 'AWSTraceHeader' must be a non-empty String.");
  }
  return attribute.StringValue;
}

/** Sends one message (a `SendMessage` or a batch entry): its id and MD5s. */
function sendOne(store: SqsQueueStore, queueUrl: unknown, input: Input, request: OperationRequest) {
  const queue = store.byUrl(queueUrl);
  const body = bodyOf(input);
  const attributes = attributesOf(input);
  const size = sizeOf(body, attributes);
  if (size > MAX_MESSAGE_BYTES) {
    throw invalid(
      `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
    );
  }
  const message = store.send(queue, body, attributes, delayOf(input), traceHeaderOf(input, request));
  const md5Attributes = md5OfAttributes(attributes);
  return {
    MessageId: message.messageId,
    MD5OfMessageBody: md5OfBody(body),
    ...(md5Attributes === undefined ? {} : { MD5OfMessageAttributes: md5Attributes }),
  };
}

function received(message: LocalSqsMessage, names: readonly string[]) {
  const wanted = Object.fromEntries(
    Object.entries(message.attributes).filter(
      ([name]) => names.includes('All') || names.includes('.*') || names.includes(name),
    ),
  );
  const md5 = md5OfAttributes(wanted);
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: md5OfBody(message.body),
    Body: message.body,
    Attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'AIDALOCALSQS',
      ...(message.traceHeader === undefined ? {} : { AWSTraceHeader: message.traceHeader }),
    },
    ...(md5 === undefined ? {} : { MessageAttributes: wanted, MD5OfMessageAttributes: md5 }),
  };
}

function numberIn(input: Input, key: string, fallback: number, min: number, max: number): number {
  const value = input[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${key} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

/** `SendMessageBatch`: entry by entry, a bad entry reported in `Failed` and the others sent. */
function sendBatch(store: SqsQueueStore, input: Input, request: OperationRequest) {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0)
    throw new ServiceError(
      'com.amazonaws.sqs#EmptyBatchRequest',
      'There should be at least one SendMessageBatchRequestEntry in the request.',
    );
  if (entries.length > 10)
    throw new ServiceError(
      'com.amazonaws.sqs#TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
    );
  const ids = entries.map((e) => (e as Input).Id);
  if (new Set(ids).size !== ids.length)
    throw new ServiceError(
      'com.amazonaws.sqs#BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    );
  store.byUrl(input.QueueUrl);
  const Successful: unknown[] = [];
  const Failed: unknown[] = [];
  for (const entry of entries as Input[]) {
    try {
      Successful.push({ Id: entry.Id, ...sendOne(store, input.QueueUrl, entry, request) });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      Failed.push({ Id: entry.Id, SenderFault: true, Code: error.type, Message: error.message });
    }
  }
  return { Successful, Failed };
}

function queueAttributes(store: SqsQueueStore, input: Input) {
  const queue = store.byUrl(input.QueueUrl);
  const now = store.now();
  const visible = queue.messages.filter((m) => m.visibleAt <= now).length;
  return {
    Attributes: {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(queue.messages.length - visible),
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
    },
  };
}

/** The operations of the local SQS endpoint over `store`. */
export function sqsOperations(store: SqsQueueStore): JsonOperations<LocalSqsOperation> {
  return {
    CreateQueue: (input) => {
      const attributes = (input.Attributes ?? {}) as Record<string, string>;
      const timeout = attributes.VisibilityTimeout === undefined ? 30 : Number(attributes.VisibilityTimeout);
      return { QueueUrl: store.create(String(input.QueueName ?? ''), timeout).url };
    },
    GetQueueUrl: (input) => ({ QueueUrl: store.byName(String(input.QueueName ?? '')).url }),
    ListQueues: () => ({ QueueUrls: store.list().map((q) => q.url) }),
    SendMessage: (input, request) => sendOne(store, input.QueueUrl, input, request),
    SendMessageBatch: (input, request) => sendBatch(store, input, request),
    ReceiveMessage: (input) => {
      const queue = store.byUrl(input.QueueUrl);
      const max = numberIn(input, 'MaxNumberOfMessages', 1, 1, 10);
      const visibility = numberIn(input, 'VisibilityTimeout', queue.visibilityTimeoutSeconds, 0, 43_200);
      const names = Array.isArray(input.MessageAttributeNames) ? (input.MessageAttributeNames as string[]) : [];
      return { Messages: store.receive(queue, max, visibility).map((m) => received(m, names)) };
    },
    DeleteMessage: (input) => {
      store.delete(store.byUrl(input.QueueUrl), input.ReceiptHandle);
      return {};
    },
    GetQueueAttributes: (input) => queueAttributes(store, input),
    PurgeQueue: (input) => {
      store.byUrl(input.QueueUrl).messages.length = 0;
      return {};
    },
  };
}
