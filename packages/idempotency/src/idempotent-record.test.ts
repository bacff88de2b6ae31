import { type InvocationContext, lambda, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { deferred, expectedKey } from '../test/support.js';
import { IdempotencyInProgressError, idempotentRecord, memoryStore } from './index.js';

interface QueueRecord {
  messageId: string;
  body: string;
}
interface BatchEvent {
  Records: QueueRecord[];
}

/** What @lambdakit/batch does with a record handler: call it per record, collect the failures. */
function batchOf(handleRecord: (record: QueueRecord, ctx: InvocationContext) => Promise<unknown>) {
  return async (event: BatchEvent, ctx: InvocationContext) => {
    const batchItemFailures: Array<{ itemIdentifier: string }> = [];
    for (const record of event.Records) {
      try {
        await handleRecord(record, ctx);
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

describe('idempotentRecord', () => {
  it('processes each record once across redeliveries of the batch', async () => {
    const store = memoryStore();
    const processed: string[] = [];
    const handleRecord = idempotentRecord(
      async (record: QueueRecord, _ctx: InvocationContext) => {
        processed.push(record.messageId);
        return record.body.length;
      },
      { store, key: (record) => record.messageId },
    );
    const handler = lambda().handle((event, ctx) => batchOf(handleRecord)(event as BatchEvent, ctx));
    const context = createContext({ functionName: 'consumer' });
    const batch = {
      Records: [
        { messageId: 'm-1', body: 'a' },
        { messageId: 'm-2', body: 'bb' },
      ],
    };
    expect(await handler(batch, context)).toEqual({ batchItemFailures: [] });
    expect(await handler({ Records: [...batch.Records, { messageId: 'm-3', body: 'c' }] }, context)).toEqual({
      batchItemFailures: [],
    });
    expect(processed).toEqual(['m-1', 'm-2', 'm-3']);
  });

  it('fails only the record whose key another invocation holds, so only it is redelivered', async () => {
    const store = memoryStore();
    const gate = deferred();
    const handleRecord = idempotentRecord(
      async (record: QueueRecord, _ctx: InvocationContext) => {
        if (record.body === 'slow') await gate.promise;
      },
      { store, key: (record) => record.messageId },
    );
    const context = createContext({ functionName: 'consumer' });
    const handler = lambda().handle((event, ctx) => batchOf(handleRecord)(event as BatchEvent, ctx));
    const holder = handler({ Records: [{ messageId: 'm-1', body: 'slow' }] }, context);
    await expect.poll(() => store.records().length).toBe(1);
    const result = await handler(
      {
        Records: [
          { messageId: 'm-0', body: 'x' },
          { messageId: 'm-1', body: 'slow' },
          { messageId: 'm-2', body: 'y' },
        ],
      },
      context,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    const error = await handleRecord({ messageId: 'm-1', body: 'slow' }, context as never).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(IdempotencyInProgressError);
    gate.resolve();
    await holder;
  });

  it('on a batch timeout, releases the lock of the record still running and keeps the completed ones', async () => {
    const store = memoryStore();
    const never = new Promise<void>(() => {});
    const handleRecord = idempotentRecord(
      async (record: QueueRecord, _ctx: InvocationContext) => {
        if (record.body === 'hang') await never;
        return 'done';
      },
      { store, key: (record) => record.messageId },
    );
    const handler = lambda()
      .use(timeout({ marginMs: 50 }))
      .handle((event, ctx) => batchOf(handleRecord)(event as BatchEvent, ctx));
    const outcome = await handler(
      {
        Records: [
          { messageId: 'm-1', body: 'ok' },
          { messageId: 'm-2', body: 'hang' },
          { messageId: 'm-3', body: 'ok' },
        ],
      },
      createContext({ functionName: 'consumer', timeoutMs: 250 }),
    ).catch((error: unknown) => error);
    expect(outcome).toMatchObject({ name: 'TimeoutError' });
    expect(store.records()).toEqual([
      expect.objectContaining({ id: expectedKey('consumer', '"m-1"'), status: 'COMPLETED' }),
    ]);
  });
});
