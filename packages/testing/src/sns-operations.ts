import { randomUUID } from 'node:crypto';
import { ServiceError } from './service-error.js';

/** The SNS operations the local endpoint serves. */
export type LocalSnsOperation = 'CreateTopic' | 'DeleteTopic' | 'ListTopics' | 'Publish' | 'PublishBatch';

/** One message attribute as `Publish` takes it. */
export interface LocalSnsMessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string | undefined;
  /** Base64, as the query protocol carries it. */
  readonly BinaryValue?: string | undefined;
}

/** One message published to a local topic. */
export interface LocalSnsMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly message: string;
  readonly subject: string | undefined;
  readonly attributes: Readonly<Record<string, LocalSnsMessageAttribute>>;
  readonly publishedAt: number;
}

/** SNS's limit on a message, body and attributes together. */
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_ATTRIBUTES = 10;
const MAX_BATCH = 10;

const invalid = (message: string) => new ServiceError('InvalidParameter', `Invalid parameter: ${message}`);

/** The local SNS's topics and what was published to them. */
export class SnsTopicStore {
  private readonly topics = new Map<string, LocalSnsMessage[]>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    private readonly now: () => number,
  ) {}

  arnOf(name: string): string {
    return `arn:aws:sns:${this.region}:${this.accountId}:${name}`;
  }

  create(name: unknown): string {
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(name)) {
      throw new ServiceError('InvalidParameter', 'Invalid parameter: Topic Name');
    }
    const arn = this.arnOf(name);
    if (!this.topics.has(arn)) this.topics.set(arn, []);
    return arn;
  }

  remove(arn: unknown): void {
    this.topics.delete(String(arn));
  }

  arns(): string[] {
    return [...this.topics.keys()];
  }

  /** The messages of the topic `arn`, oldest first. */
  messages(arn: string): LocalSnsMessage[] {
    const list = this.topics.get(arn);
    if (list === undefined) throw new ServiceError('NotFound', 'Topic does not exist', 404);
    return list;
  }

  publish(arn: unknown, entry: Record<string, unknown>): LocalSnsMessage {
    if (typeof arn !== 'string' || arn === '')
      throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
    const list = this.messages(arn);
    const message = entry.Message;
    if (typeof message !== 'string' || message === '') throw invalid('Empty message');
    const attributes = checkAttributes(entry.MessageAttributes);
    const size = Buffer.byteLength(message) + attributeBytes(attributes);
    if (size > MAX_MESSAGE_BYTES) throw invalid(`Message too long: ${size} bytes, the limit is ${MAX_MESSAGE_BYTES}`);
    const published: LocalSnsMessage = {
      messageId: randomUUID(),
      topicArn: arn,
      message,
      subject: typeof entry.Subject === 'string' ? entry.Subject : undefined,
      attributes,
      publishedAt: this.now(),
    };
    list.push(published);
    return published;
  }
}

function attributeBytes(attributes: Record<string, LocalSnsMessageAttribute>): number {
  let size = 0;
  for (const [name, a] of Object.entries(attributes)) {
    size +=
      Buffer.byteLength(name) + Buffer.byteLength(a.DataType) + Buffer.byteLength(a.StringValue ?? a.BinaryValue ?? '');
  }
  return size;
}

/** Message attributes as SNS checks them: at most 10, a known data type, a value of that type. */
function checkAttributes(value: unknown): Record<string, LocalSnsMessageAttribute> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw invalid('MessageAttributes');
  const entries = Object.entries(value as Record<string, Record<string, unknown>>);
  if (entries.length > MAX_ATTRIBUTES) {
    throw invalid(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  }
  const out: Record<string, LocalSnsMessageAttribute> = {};
  for (const [name, attribute] of entries) {
    const type = attribute?.DataType;
    const text = attribute?.StringValue;
    const binary = attribute?.BinaryValue;
    const base = typeof type === 'string' ? type.split('.')[0] : undefined;
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw invalid(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    if (base === 'Binary' ? typeof binary !== 'string' : typeof text !== 'string' || text === '') {
      throw invalid(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    }
    if (base === 'Number' && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text as string)) {
      throw invalid(`Could not cast message attribute '${name}' value to number.`);
    }
    Object.defineProperty(out, name, {
      value: {
        DataType: type as string,
        ...(base === 'Binary' ? { BinaryValue: binary as string } : { StringValue: text as string }),
      },
      enumerable: true,
    });
  }
  return out;
}

function batchEntries(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new ServiceError('EmptyBatchRequest', 'The batch request does not contain any entries.');
  }
  if (value.length > MAX_BATCH) {
    throw new ServiceError(
      'TooManyEntriesInBatchRequest',
      `The batch request contains more entries than permissible (${MAX_BATCH}).`,
    );
  }
  const ids = new Set(value.map((e: { Id?: unknown }) => e?.Id));
  if (ids.size !== value.length) {
    throw new ServiceError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
  }
  return value as Record<string, unknown>[];
}

/** The operations, over `store`. */
export function snsOperations(store: SnsTopicStore) {
  return {
    CreateTopic: (input: Record<string, unknown>) => ({ TopicArn: store.create(input.Name) }),
    DeleteTopic: (input: Record<string, unknown>) => {
      store.remove(input.TopicArn);
      return undefined;
    },
    ListTopics: () => ({ Topics: store.arns().map((TopicArn) => ({ TopicArn })) }),
    Publish: (input: Record<string, unknown>) => ({
      MessageId: store.publish(input.TopicArn ?? input.TargetArn, input).messageId,
    }),
    PublishBatch: (input: Record<string, unknown>) => {
      const entries = batchEntries(input.PublishBatchRequestEntries);
      store.messages(String(input.TopicArn)); // a missing topic fails the whole batch
      const Successful: { Id: unknown; MessageId: string }[] = [];
      const Failed: { Id: unknown; Code: string; Message: string; SenderFault: boolean }[] = [];
      for (const entry of entries) {
        try {
          Successful.push({ Id: entry.Id, MessageId: store.publish(input.TopicArn, entry).messageId });
        } catch (error) {
          if (!(error instanceof ServiceError)) throw error;
          Failed.push({ Id: entry.Id, Code: error.type, Message: error.message, SenderFault: true });
        }
      }
      return { Successful, Failed };
    },
  } satisfies Record<LocalSnsOperation, (input: Record<string, unknown>) => unknown>;
}
