import { lambda } from '@lambdakit/core';
import { dynamoDbStore, IdempotencyInProgressError, idempotentRecord } from '@lambdakit/idempotency';
import { kinesis, sqs } from '@lambdakit/parser';
import { createContext, sampleEvent } from '@lambdakit/testing';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { sharedDynamo, uniqueTableName } from '../../../test/shared-dynamo.js';
import { batch, type FailedRecord, processBatch } from '../src/index.js';
import { deferred, failures, idsOf, sqsEvent } from './support.js';

const Order = z.object({ orderId: z.string(), quantity: z.number().int().positive() });

const local = sharedDynamo();
const client = local.client({ maxAttempts: 1 });

afterAll(() => client.destroy());

async function newStore() {
  const tableName = uniqueTableName('batch-idempotency');
  await local.createIdempotencyTable(tableName);
  return dynamoDbStore({ client, tableName });
}

describe('per-record idempotency (idempotentRecord on dynalite)', () => {
  it("redelivering the same batch runs each record's business logic once", async () => {
    const store = await newStore();
    const shipped: string[] = [];
    let failOnce = true;
    const handler = lambda().handle(
      batch(
        idempotentRecord(
          async (record) => {
            if (record.body.orderId === 'order-2' && failOnce) {
              failOnce = false;
              throw new Error('carrier API timed out');
            }
            shipped.push(record.body.orderId);
            return { shipped: record.body.orderId };
          },
          { store, key: (record) => record.body.orderId },
        ),
        { schema: sqs(Order), log: false },
      ),
    );
    const event = sqsEvent(3);
    const context = createContext({ functionName: 'ship-orders' });

    // First delivery: order-2 fails and alone comes back.
    expect(await handler(event, context)).toEqual(failures(idsOf(event)[1]!));
    // Lambda redelivers (here: the whole batch again, as after a crash): only order-2 runs.
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    // A third delivery replays every record from the table.
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(shipped).toEqual(['order-1', 'order-3', 'order-2']);
  });

  it('fails only the record another invocation is still processing, and never runs a record twice', async () => {
    const store = await newStore();
    const shipped: string[] = [];
    const gate = deferred();
    const entered = deferred();
    const seen: FailedRecord[] = [];
    const handleRecord = idempotentRecord(
      async (record: { body: { orderId: string } }, _ctx: { functionName: string }) => {
        if (record.body.orderId === 'order-1' && shipped.length === 0) {
          entered.resolve();
          await gate.promise;
        }
        shipped.push(record.body.orderId);
      },
      { store, key: (record) => record.body.orderId },
    );
    const handler = lambda().handle(
      batch(handleRecord, { schema: sqs(Order), log: false, onRecordError: (f) => void seen.push(f) }),
    );
    const event = sqsEvent(3);
    const ids = idsOf(event);

    // A holds order-1 (and, one at a time, has not reached order-2 and order-3 yet).
    const first = handler(event, createContext({ functionName: 'ship-orders', requestId: 'A' }));
    await entered.promise;
    // B gets the same batch (SQS visibility timeout expired): order-1 is in progress elsewhere.
    const second = await handler(event, createContext({ functionName: 'ship-orders', requestId: 'B' }));
    expect(second).toEqual(failures(ids[0]!));
    expect(seen[0]!.error).toBeInstanceOf(IdempotencyInProgressError);
    gate.resolve();
    // A finishes order-1, then replays order-2 and order-3 that B completed.
    expect(await first).toEqual({ batchItemFailures: [] });
    expect(shipped.toSorted()).toEqual(['order-1', 'order-2', 'order-3']);
  });

  it('replays a Kinesis batch after a checkpoint retry without re-running the records before the failure', async () => {
    const store = await newStore();
    const processed: string[] = [];
    let broken = true;
    const handleRecord = idempotentRecord(
      async (record: { kinesis: { data: { orderId: string } } }) => {
        const { orderId } = record.kinesis.data;
        if (orderId === 'order-3' && broken) throw new Error('poison until fixed');
        processed.push(orderId);
      },
      { store, key: (record) => record.kinesis.data.orderId, keyPrefix: 'stream-consumer' },
    );
    const event = sampleEvent('kinesis', { records: 4 });
    const options = { schema: kinesis(Order), log: false as const };
    expect(await processBatch(event, {}, handleRecord, options)).toEqual(failures(idsOf(event)[2]!));
    broken = false;
    // Lambda retries from the checkpoint; an at-least-once retry may also resend earlier records.
    expect(await processBatch(event, {}, handleRecord, options)).toEqual({ batchItemFailures: [] });
    expect(processed).toEqual(['order-1', 'order-2', 'order-3', 'order-4']);
  });
});
