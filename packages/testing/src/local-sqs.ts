import type { Server } from 'node:http';
import { checkOption, checkOptions, isAccountId, isFunction, isList, isPort, isText } from './check-option.js';
import { JsonEndpoint, type LocalEndpoint, type LocalRequest } from './json-endpoint.js';
import { ServiceError } from './service-error.js';
import { type LocalSqsOperation, sqsOperations } from './sqs-operations.js';
import { md5OfAttributes as attributesMd5, type LocalSqsMessage, md5OfBody, SqsQueueStore } from './sqs-queue-store.js';

export type { LocalSqsOperation } from './sqs-operations.js';
export type { LocalSqsMessage, SqsMessageAttribute as LocalSqsMessageAttribute } from './sqs-queue-store.js';

/** One request the local SQS received. */
export type LocalSqsRequest = LocalRequest;

/** Options of `startLocalSqs()`. */
export interface StartLocalSqsOptions {
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
  /** Region in queue ARNs and the client configuration (default `us-east-1`). */
  region?: string | undefined;
  /** Account id in queue URLs and ARNs (default `123456789012`). */
  accountId?: string | undefined;
  /** Standard queues created before it resolves. */
  queues?: readonly string[] | undefined;
  /** The clock of delays and visibility timeouts (default `Date.now`). */
  now?: (() => number) | undefined;
}

/** A running local SQS endpoint; pass {@link LocalSqs.clientConfig} to `new SQSClient(...)`. */
export interface LocalSqs extends LocalEndpoint<LocalSqsOperation> {
  /** Creates a standard queue (or returns the existing one's URL). */
  createQueue(name: string): string;
  /** The URL of queue `name`. */
  queueUrl(name: string): string;
  /** Every message queue `name` holds now, visible or in flight, oldest first (a copy). */
  messages(name: string): readonly LocalSqsMessage[];
  /**
   * Receives up to `maxRecords` (default 10) visible messages of queue `name` as an event source
   * mapping does (in flight for the queue's visibility timeout) and returns them as the event Lambda
   * gets; `Records` is empty when none is visible. Delete them (`DeleteMessage` with each record's
   * `receiptHandle`) as the mapping does after a success, or let them return after the timeout.
   */
  receiveEvent(name: string, maxRecords?: number): LocalSqsLambdaEvent;
}

/** An SQS event as Lambda's event source mapping sends it. */
export interface LocalSqsLambdaEvent {
  Records: {
    messageId: string;
    receiptHandle: string;
    body: string;
    attributes: {
      ApproximateReceiveCount: string;
      SentTimestamp: string;
      SenderId: string;
      ApproximateFirstReceiveTimestamp: string;
      /** The X-Ray header the message was sent with, when it was. */
      AWSTraceHeader?: string;
    };
    messageAttributes: Record<
      string,
      { stringValue?: string; binaryValue?: string; stringListValues: []; binaryListValues: []; dataType: string }
    >;
    md5OfBody: string;
    md5OfMessageAttributes?: string;
    eventSource: 'aws:sqs';
    eventSourceARN: string;
    awsRegion: string;
  }[];
}

class RunningLocalSqs extends JsonEndpoint<LocalSqsOperation> implements LocalSqs {
  constructor(
    server: Server,
    region: string,
    private readonly store: SqsQueueStore,
  ) {
    super(server, region, {
      owner: 'LocalSqs',
      targetPrefix: 'AmazonSQS.',
      internalErrorType: 'InternalError',
      operations: sqsOperations(store),
      // A batch of 10 messages of up to 1 MiB in all, JSON-escaped: SQS answers a too large one itself.
      maxBodyBytes: 8 * 1024 * 1024,
    });
  }

  createQueue(name: string): string {
    return this.direct('createQueue(name)', () => this.store.create(name).url);
  }

  queueUrl(name: string): string {
    return this.direct('queueUrl(name)', () => this.store.byName(name).url);
  }

  messages(name: string): readonly LocalSqsMessage[] {
    return this.direct('messages(name)', () => this.store.byName(name).messages.map((m) => ({ ...m })));
  }

  receiveEvent(name: string, maxRecords = 10): LocalSqsLambdaEvent {
    if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 10_000) {
      throw new TypeError(
        `LocalSqs.receiveEvent(name, maxRecords): expected an integer from 1 to 10000, got ${String(maxRecords)}`,
      );
    }
    return this.direct('receiveEvent(name)', () => {
      const queue = this.store.byName(name);
      const received = this.store.receive(queue, maxRecords, queue.visibilityTimeoutSeconds);
      return { Records: received.map((m) => lambdaRecord(m, queue.arn, this.region)) };
    });
  }

  private direct<T>(call: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof ServiceError)
        throw new TypeError(`LocalSqs.${call}: ${error.type.split('#').pop()} ${error.message}`, { cause: error });
      throw error;
    }
  }
}

function lambdaRecord(message: LocalSqsMessage, arn: string, region: string): LocalSqsLambdaEvent['Records'][number] {
  const attributes: LocalSqsLambdaEvent['Records'][number]['messageAttributes'] = {};
  for (const [name, a] of Object.entries(message.attributes)) {
    const value = {
      ...(a.StringValue === undefined ? {} : { stringValue: a.StringValue }),
      ...(a.BinaryValue === undefined ? {} : { binaryValue: a.BinaryValue }),
      stringListValues: [] as [],
      binaryListValues: [] as [],
      dataType: a.DataType,
    };
    // Defined, not assigned: `__proto__` is a valid attribute name.
    Object.defineProperty(attributes, name, { value, enumerable: true, writable: true, configurable: true });
  }
  const md5OfAttributes = attributesMd5(message.attributes);
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle ?? '',
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'AIDALOCALSQSSENDER0001',
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
      ...(message.traceHeader === undefined ? {} : { AWSTraceHeader: message.traceHeader }),
    },
    messageAttributes: attributes,
    md5OfBody: md5OfBody(message.body),
    ...(md5OfAttributes === undefined ? {} : { md5OfMessageAttributes: md5OfAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: region,
  };
}

/**
 * Starts an HTTP server on 127.0.0.1 that speaks SQS's JSON protocol (`X-Amz-Target:
 * AmazonSQS.<Operation>`), so the real `@aws-sdk/client-sqs` talks to it: standard queues, sends
 * with message attributes (their MD5s computed as SQS computes them), delays, receives with
 * visibility timeouts and receipt handles, deletes, errors in the real shape, faults. FIFO queues
 * and long polling are not emulated (`WaitTimeSeconds` answers at once).
 */
export function startLocalSqs(options: StartLocalSqsOptions = {}): Promise<LocalSqs> {
  return startLocalSqsFor('startLocalSqs', options);
}

/** @internal {@link startLocalSqs}, its mistakes named after `door` (`startLocalAws()` starts one too). */
export async function startLocalSqsFor(door: string, options: StartLocalSqsOptions): Promise<LocalSqs> {
  checkOptions(door, options);
  checkOption(door, 'port', options.port, isPort);
  checkOption(door, 'region', options.region, isText);
  checkOption(door, 'accountId', options.accountId, isAccountId);
  checkOption(door, 'queues', options.queues, isList);
  checkOption(door, 'now', options.now, isFunction);
  const region = options.region ?? 'us-east-1';
  const server = await JsonEndpoint.listen(options.port);
  const port = (server.address() as { port: number }).port;
  const store = new SqsQueueStore(
    `http://127.0.0.1:${port}`,
    region,
    options.accountId ?? '123456789012',
    options.now ?? Date.now,
  );
  const local = new RunningLocalSqs(server, region, store);
  try {
    for (const name of options.queues ?? []) local.createQueue(name);
  } catch (error) {
    await local.close();
    throw error;
  }
  return local;
}
