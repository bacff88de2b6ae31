import { createHash } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, vi } from 'vitest';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { dynamoDbStore, type IdempotencyStore, memoryStore } from '../src/index.js';

/** A clock tests move by hand; starts at 2030-01-01T00:00:00Z. */
export function fakeClock(start = Date.UTC(2030, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A promise with its resolve/reject exposed, to hold business logic mid-flight. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Collects process warnings (how the package reports what it cannot throw). */
export function captureWarnings() {
  const seen: Array<Error & { code?: string }> = [];
  // Recorded instead of emitted: a warning a test expects is not printed in the run's output.
  const spy = vi.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error, options?: unknown) => {
    const error: Error & { code?: string } = typeof warning === 'string' ? new Error(warning) : warning;
    const code = typeof options === 'object' && options !== null ? (options as { code?: string }).code : undefined;
    if (code !== undefined) error.code = code;
    seen.push(error);
  });
  return {
    seen,
    codes: () => seen.map((warning) => warning.code),
    stop: () => spy.mockRestore(),
  };
}

/** Warnings are emitted on the next tick. */
export const nextTicks = () => new Promise((resolve) => setImmediate(resolve));

/** `prefix#sha256(json)`, computed independently of the package. */
export const expectedKey = (prefix: string, canonicalJson: string) =>
  `${prefix}#${createHash('sha256').update(canonicalJson).digest('hex')}`;

/** Counts the calls a store receives, by method. */
export function countingStore(store: IdempotencyStore) {
  const calls: string[] = [];
  const counted: IdempotencyStore = {
    maxRecordBytes: store.maxRecordBytes,
    recordSize: (record) => store.recordSize(record),
    acquire(...args) {
      calls.push('acquire');
      return store.acquire(...args);
    },
    get(...args) {
      calls.push('get');
      return store.get(...args);
    },
    complete(...args) {
      calls.push('complete');
      return store.complete(...args);
    },
    release(...args) {
      calls.push('release');
      return store.release(...args);
    },
  };
  return { store: counted, calls };
}

/** Counts DynamoDB requests (every HTTP attempt) a client sends, by operation. */
export function countRequests(client: DynamoDBClient) {
  const requests: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      requests.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    // Below the retry middleware (finalizeRequest), so each attempt is counted.
    { step: 'deserialize', name: 'lambdakitCountRequests' },
  );
  return requests;
}

export type StoreFactory = () => Promise<IdempotencyStore>;

/**
 * The stores the protocol suite runs against: memoryStore, and dynamoDbStore on the test run's
 * dynalite, each factory call on a fresh table of its own so tests share no data.
 */
export function protocolStores(): Array<[string, StoreFactory]> {
  const dynamo = sharedDynamo();
  const client = dynamo.client();
  afterAll(() => client.destroy());
  return [
    ['memoryStore', async () => memoryStore()],
    [
      'dynamoDbStore on dynalite',
      async () => {
        const tableName = uniqueTableName('idempotency');
        await dynamo.createIdempotencyTable(tableName);
        return dynamoDbStore({ client, tableName });
      },
    ],
  ];
}
