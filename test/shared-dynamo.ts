import { randomUUID } from 'node:crypto';
import { connectLocalDynamo, type LocalDynamoConnection } from '@lambdakit/testing';
import { inject } from 'vitest';

/** Where the test run's dynalite listens and how to sign for it, as test/local-dynamo-setup.ts provides it. */
export interface SharedDynamoAddress {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

declare module 'vitest' {
  interface ProvidedContext {
    /** The dynalite of this test run, started by test/local-dynamo-setup.ts. */
    localDynamo: SharedDynamoAddress;
  }
}

/**
 * The one dynalite of the test run, shared by every test file in every worker. It holds the fixed
 * tables of examples/orders-sqs/local/tables.json (`orders`, `idempotency`); a test that needs a
 * table of its own creates one named with {@link uniqueTableName}, so parallel files never meet.
 */
export function sharedDynamo(): LocalDynamoConnection {
  const address = inject('localDynamo') as SharedDynamoAddress | undefined;
  if (address === undefined) {
    throw new Error('no shared dynalite: test/local-dynamo-setup.ts must be in globalSetup of vitest.config.ts');
  }
  return connectLocalDynamo(address);
}

// Per module instance, i.e. per test file (vitest isolates files), and new on every watch-mode rerun.
const fileToken = randomUUID().slice(0, 8);
let tables = 0;

/** A table name no other test file of the run uses, nor an earlier call in this one: `prefix-<file>-<n>`. */
export function uniqueTableName(prefix: string): string {
  return `${prefix}-${fileToken}-${++tables}`;
}
