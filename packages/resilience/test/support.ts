import { afterAll } from 'vitest';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { dynamoDbStateStore, memoryStateStore, type StateStore } from '../src/index.js';

/** A clock tests move by hand; starts at 2030-01-01T00:00:00Z. */
export function fakeClock(start = Date.UTC(2030, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    set(ms: number) {
      now = ms;
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

const local = sharedDynamo();
/** One SDK client for the file, talking to the run's dynalite. */
export const client = local.client({ maxAttempts: 1 });
afterAll(() => client.destroy());

/** A state table of its own (partition key `id`), as a user would create it. */
export async function newTable(): Promise<string> {
  const tableName = uniqueTableName('resilience');
  await local.createTable({ tableName, partitionKey: 'id' });
  return tableName;
}

/** Both stores, for tests that hold them to one contract. */
export const stores: Array<[string, () => Promise<StateStore>]> = [
  ['memoryStateStore', async () => memoryStateStore()],
  ['dynamoDbStateStore', async () => dynamoDbStateStore({ client, tableName: await newTable() })],
];

/** A promise with its resolve/reject exposed, to hold a call mid-flight. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
