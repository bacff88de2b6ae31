import { randomUUID } from 'node:crypto';
import { checkOption, checkOptions, isAccountId, isFunction, isList, isPort, isText } from './check-option.js';
import { JsonEndpoint, type LocalEndpoint, type LocalRequest } from './json-endpoint.js';
import { ServiceError } from './service-error.js';
import { type LocalSnsMessage, type LocalSnsOperation, SnsTopicStore, snsOperations } from './sns-operations.js';
import { queryProtocol } from './wire-query.js';

export type { LocalSnsMessage, LocalSnsMessageAttribute, LocalSnsOperation } from './sns-operations.js';

/** One request the local SNS received (`body`: the form parameters, unflattened). */
export type LocalSnsRequest = LocalRequest;

/** Options of `startLocalSns()`. */
export interface StartLocalSnsOptions {
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
  /** Region in topic ARNs and the client configuration (default `us-east-1`). */
  region?: string | undefined;
  /** Account id in topic ARNs (default `123456789012`). */
  accountId?: string | undefined;
  /** Standard topics created before it resolves, by name. */
  topics?: readonly string[] | undefined;
  /** The clock of publish times (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** The SNS event Lambda receives for one notification. */
export interface LocalSnsLambdaEvent {
  Records: {
    EventVersion: '1.0';
    EventSubscriptionArn: string;
    EventSource: 'aws:sns';
    Sns: {
      Type: 'Notification';
      MessageId: string;
      TopicArn: string;
      Subject: string | null;
      Message: string;
      Timestamp: string;
      SignatureVersion: string;
      Signature: string;
      SigningCertUrl: string;
      UnsubscribeUrl: string;
      MessageAttributes: Record<string, { Type: string; Value: string }>;
    };
  }[];
}

/** A running local SNS endpoint; pass {@link LocalSns.clientConfig} to `new SNSClient(...)`. */
export interface LocalSns extends LocalEndpoint<LocalSnsOperation> {
  /** Creates a standard topic (or returns the existing one's ARN). */
  createTopic(name: string): string;
  /** The ARN of topic `name`. */
  topicArn(name: string): string;
  /** Every message published to topic `name`, oldest first (a copy). */
  messages(name: string): readonly LocalSnsMessage[];
  /** The event Lambda receives from a subscription of the message's topic: one record, as SNS delivers it. */
  lambdaEvent(message: LocalSnsMessage): LocalSnsLambdaEvent;
}

class RunningLocalSns extends JsonEndpoint<LocalSnsOperation> implements LocalSns {
  constructor(
    server: ConstructorParameters<typeof JsonEndpoint>[0],
    region: string,
    private readonly store: SnsTopicStore,
  ) {
    super(server, region, {
      owner: 'LocalSns',
      protocol: queryProtocol('http://sns.amazonaws.com/doc/2010-03-31/'),
      internalErrorType: 'InternalError',
      operations: snsOperations(store),
      // A batch of 10 messages of up to 256 KiB each, form-encoded.
      maxBodyBytes: 8 * 1024 * 1024,
    });
  }

  createTopic(name: string): string {
    return this.direct('createTopic(name)', () => this.store.create(name));
  }

  topicArn(name: string): string {
    return this.direct('topicArn(name)', () => {
      const arn = this.store.arnOf(name);
      this.store.messages(arn);
      return arn;
    });
  }

  messages(name: string): readonly LocalSnsMessage[] {
    return this.direct('messages(name)', () => this.store.messages(this.store.arnOf(name)).map((m) => ({ ...m })));
  }

  lambdaEvent(message: LocalSnsMessage): LocalSnsLambdaEvent {
    const { topicArn, region } = { topicArn: message.topicArn, region: this.region };
    const attributes: Record<string, { Type: string; Value: string }> = {};
    for (const [name, a] of Object.entries(message.attributes)) {
      // Defined, not assigned: `__proto__` is a valid attribute name.
      Object.defineProperty(attributes, name, {
        value: { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue ?? '' },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    const subscription = `${topicArn}:${randomUUID()}`;
    return {
      Records: [
        {
          EventVersion: '1.0',
          EventSubscriptionArn: subscription,
          EventSource: 'aws:sns',
          Sns: {
            Type: 'Notification',
            MessageId: message.messageId,
            TopicArn: topicArn,
            Subject: message.subject ?? null,
            Message: message.message,
            Timestamp: new Date(message.publishedAt).toISOString(),
            SignatureVersion: '1',
            Signature: Buffer.from(`local signature of ${message.messageId}`).toString('base64'),
            SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-local.pem`,
            UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscription}`,
            MessageAttributes: attributes,
          },
        },
      ],
    };
  }

  private direct<T>(call: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof ServiceError)
        throw new TypeError(`LocalSns.${call}: ${error.type} ${error.message}`, { cause: error });
      throw error;
    }
  }
}

/**
 * Starts an HTTP server on 127.0.0.1 that speaks SNS's query protocol (a form body with `Action`,
 * XML answers), so the real `@aws-sdk/client-sns` talks to it: standard topics (`CreateTopic`,
 * `DeleteTopic`, `ListTopics`), `Publish` and `PublishBatch` with message attributes checked as SNS
 * checks them, errors in the real shape, faults. Nothing is delivered by itself: a test hands a
 * message to its function with {@link LocalSns.lambdaEvent}. Subscriptions and FIFO topics are not emulated.
 */
export function startLocalSns(options: StartLocalSnsOptions = {}): Promise<LocalSns> {
  return startLocalSnsFor('startLocalSns', options);
}

/** @internal {@link startLocalSns}, its mistakes named after `door`. */
export async function startLocalSnsFor(door: string, options: StartLocalSnsOptions): Promise<LocalSns> {
  checkOptions(door, options);
  checkOption(door, 'port', options.port, isPort);
  checkOption(door, 'region', options.region, isText);
  checkOption(door, 'accountId', options.accountId, isAccountId);
  checkOption(door, 'topics', options.topics, isList);
  checkOption(door, 'now', options.now, isFunction);
  const region = options.region ?? 'us-east-1';
  const store = new SnsTopicStore(region, options.accountId ?? '123456789012', options.now ?? Date.now);
  const local = new RunningLocalSns(await JsonEndpoint.listen(options.port), region, store);
  try {
    for (const name of options.topics ?? []) local.createTopic(name);
  } catch (error) {
    await local.close();
    throw error;
  }
  return local;
}
