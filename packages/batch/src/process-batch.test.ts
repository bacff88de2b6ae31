import { LambdakitError } from '@lambdakit/core';
import { dynamodbStream, events, kinesis, ParseError, sqs } from '@lambdakit/parser';
import { createContext, sampleEvent } from '@lambdakit/testing';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { deferred, failures, fifoEvent, idsOf, memoryLogger, sqsEvent } from '../test/support.js';
import {
  BatchError,
  type FailedRecord,
  type ProcessBatchOptions,
  processBatch,
  type RecordSkippedError,
} from './index.js';

const Order = z.object({ orderId: z.string(), quantity: z.number().int().positive() });
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
const quiet = { log: false } as const;

/** Runs the batch with a handler that notes each record it starts and throws for those `fails` picks. */
async function runRecording(
  event: unknown,
  fails: (index: number) => boolean,
  options: ProcessBatchOptions<any> = quiet,
) {
  const started: number[] = [];
  const result = await processBatch(
    event,
    {},
    (_record, ctx) => {
      started.push(ctx.recordIndex);
      if (fails(ctx.recordIndex)) throw new Error('no');
    },
    options,
  );
  return { result, started };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('processBatch on standard SQS', () => {
  it('returns no failures when every record succeeds, having handled each record once with its typed body', async () => {
    const event = sqsEvent(3);
    const seen: string[] = [];
    const result = await processBatch(event, {}, (record) => void seen.push(record.body.orderId), {
      schema: sqs(Order),
    });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(['order-1', 'order-2', 'order-3']);
  });

  it('reports only the records whose handler threw, by messageId, and handles the others', async () => {
    const event = sqsEvent(5);
    const ids = idsOf(event);
    const handled: number[] = [];
    const result = await processBatch(
      event,
      {},
      async (record, ctx) => {
        if (record.body.quantity % 2 === 0) throw new Error(`cannot ship ${record.body.orderId}`);
        handled.push(ctx.recordIndex);
      },
      { schema: sqs(Order), ...quiet },
    );
    expect(result).toEqual(failures(ids[1]!, ids[3]!));
    expect(handled).toEqual([0, 2, 4]);
  });

  it('fails a poison record alone: the one whose body does not parse never reaches the handler', async () => {
    const event = sqsEvent(4);
    event.Records[2]!.body = '{"orderId": "order-3", "quantity": "lots"}';
    const logger = memoryLogger();
    const handled: string[] = [];
    const result = await processBatch(event, {}, (record) => void handled.push(record.body.orderId), {
      schema: sqs(Order),
      log: logger,
    });
    expect(result).toEqual(failures(idsOf(event)[2]!));
    expect(handled).toEqual(['order-1', 'order-2', 'order-4']);
    expect(logger.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        recordId: idsOf(event)[2],
        recordIndex: 2,
        paths: ['Records[2].body.quantity'],
        err: expect.any(ParseError),
      }),
    ]);
  });

  it('fails a record that is not valid JSON or misses envelope fields alone, logged with its path', async () => {
    const event = sqsEvent(3);
    event.Records[0]!.body = 'not json';
    delete (event.Records[1] as { receiptHandle?: string }).receiptHandle;
    const logger = memoryLogger();
    const result = await processBatch(event, {}, () => {}, { schema: sqs(Order), log: logger });
    expect(result).toEqual(failures(idsOf(event)[0]!, idsOf(event)[1]!));
    expect(logger.lines.map((line) => line.paths)).toEqual([['Records[0].body'], ['Records[1].receiptHandle']]);
  });

  it('returns an empty list for an empty batch without calling the handler', async () => {
    const handler = vi.fn();
    expect(await processBatch({ Records: [] }, {}, handler)).toEqual({ batchItemFailures: [] });
    expect(handler).not.toHaveBeenCalled();
  });

  it('lists every record when every record fails, so Lambda returns each message to the queue', async () => {
    const event = sqsEvent(3);
    const { result } = await runRecording(event, () => true);
    expect(result).toEqual(failures(...idsOf(event)));
  });

  it('throws BatchError BATCH_ALL_FAILED instead when throwOnFullFailure is set, carrying every failure', async () => {
    const event = sqsEvent(2);
    const cause = new Error('downstream is down');
    const error = await processBatch(
      event,
      {},
      () => {
        throw cause;
      },
      { throwOnFullFailure: true, ...quiet },
    ).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(BatchError);
    expect(error).toBeInstanceOf(LambdakitError);
    expect(error).toMatchObject({
      name: 'BatchError',
      code: 'BATCH_ALL_FAILED',
      response: failures(...idsOf(event)),
      failures: [
        { index: 0, itemIdentifier: idsOf(event)[0], error: cause, reported: true, source: 'sqs' },
        { index: 1, itemIdentifier: idsOf(event)[1], error: cause, reported: true, source: 'sqs' },
      ],
    });
  });

  it('does not throw with throwOnFullFailure when one record succeeded', async () => {
    const event = sqsEvent(2);
    const result = await processBatch(
      event,
      {},
      (_record, ctx) => {
        if (ctx.recordIndex === 0) throw new Error('no');
      },
      { throwOnFullFailure: true, ...quiet },
    );
    expect(result).toEqual(failures(idsOf(event)[0]!));
  });

  it('reports a message id once even when the batch delivers the message twice and both copies fail', async () => {
    const event = sqsEvent(2);
    event.Records[1]!.messageId = event.Records[0]!.messageId;
    const { result } = await runRecording(event, () => true);
    expect(result).toEqual(failures(idsOf(event)[0]!));
  });

  it('handles records one at a time by default', async () => {
    const event = sqsEvent(4);
    let inFlight = 0;
    let most = 0;
    await processBatch(event, {}, async () => {
      most = Math.max(most, ++inFlight);
      await flush();
      inFlight--;
    });
    expect(most).toBe(1);
  });

  it('never has more than `concurrency` records in flight, and starts the next one as soon as one settles', async () => {
    const event = sqsEvent(10);
    const gates = event.Records.map(() => deferred());
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    const done = processBatch(
      event,
      {},
      async (_record, ctx) => {
        started.push(ctx.recordIndex);
        most = Math.max(most, ++inFlight);
        await gates[ctx.recordIndex]!.promise;
        inFlight--;
        if (ctx.recordIndex === 5) throw new Error('record 5 fails');
      },
      { concurrency: 3, ...quiet },
    );
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates[1]!.resolve();
    await flush();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates) gate.resolve();
    expect(await done).toEqual(failures(idsOf(event)[5]!));
    expect(started.toSorted((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
  });
});

describe('processBatch on SQS FIFO', () => {
  it('handles records in batch order, one at a time, even with concurrency set', async () => {
    const event = fifoEvent(['a', 'b', 'a', 'c', 'b']);
    const order: number[] = [];
    let inFlight = 0;
    let most = 0;
    const result = await processBatch(
      event,
      {},
      async (_record, ctx) => {
        most = Math.max(most, ++inFlight);
        await flush();
        order.push(ctx.recordIndex);
        inFlight--;
      },
      { concurrency: 4 },
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(1);
  });

  it('at the first failure reports that record and every later one, and never starts the later ones', async () => {
    const event = fifoEvent(['a', 'b', 'a', 'c', 'b']);
    const ids = idsOf(event);
    const seen: FailedRecord[] = [];
    const { result, started } = await runRecording(event, (index) => index === 1, {
      onRecordError: (failure) => void seen.push(failure),
      ...quiet,
    });
    expect(result).toEqual(failures(ids[1]!, ids[2]!, ids[3]!, ids[4]!));
    expect(started).toEqual([0, 1]);
    expect(seen.map((f) => [f.index, (f.error as Error).constructor.name])).toEqual([
      [1, 'Error'],
      [2, 'RecordSkippedError'],
      [3, 'RecordSkippedError'],
      [4, 'RecordSkippedError'],
    ]);
    expect(seen[1]!.error).toMatchObject({ code: 'BATCH_RECORD_SKIPPED', reason: 'fifo-order', failedIndex: 1 });
  });

  it('treats a parse failure like any failure: nothing after it starts', async () => {
    const event = fifoEvent(['a', 'a', 'a']);
    event.Records[1]!.body = '{';
    const { result, started } = await runRecording(event, () => false, { schema: sqs(Order), ...quiet });
    expect(result).toEqual(failures(...idsOf(event).slice(1)));
    expect(started).toEqual([0]);
  });

  it('recognises FIFO from a .fifo queue ARN, and from MessageGroupId only in a record without an ARN', async () => {
    const byArn = fifoEvent(['a', 'b']);
    for (const record of byArn.Records) delete record.attributes.MessageGroupId;
    const byGroup = fifoEvent(['a', 'b']) as { Records: { eventSourceARN?: string }[] };
    for (const record of byGroup.Records) delete record.eventSourceARN;
    for (const event of [byArn, byGroup]) {
      const { result } = await runRecording(event, () => true, { ...quiet, source: 'sqs' });
      expect(result).toEqual(failures(...idsOf(event)));
    }
  });

  it('keeps processing a standard queue whose messages carry a MessageGroupId (fair queues keep no order)', async () => {
    const event = fifoEvent(['a', 'a', 'a']);
    for (const record of event.Records) record.eventSourceARN = record.eventSourceARN.replace('.fifo', '');
    const { result, started } = await runRecording(event, (index) => index === 0);
    expect(result).toEqual(failures(idsOf(event)[0]!));
    expect(started).toEqual([0, 1, 2]);
  });

  it("with fifo: 'group', fails only the failing message group and keeps processing the other groups", async () => {
    const event = fifoEvent(['a', 'b', 'a', 'c', 'b', 'a']);
    const ids = idsOf(event);
    const { result, started } = await runRecording(event, (index) => index === 2, { fifo: 'group', ...quiet });
    // Group a: 0 ok, 2 fails, 5 waits. Groups b and c all succeed.
    expect(result).toEqual(failures(ids[2]!, ids[5]!));
    expect(started.toSorted((x, y) => x - y)).toEqual([0, 1, 2, 3, 4]);
  });

  it("with fifo: 'group', keeps each group's order while groups run concurrently up to the bound", async () => {
    const groups = ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'd'];
    const event = fifoEvent(groups);
    const order = new Map<string, number[]>();
    let inFlight = 0;
    let most = 0;
    await processBatch(
      event,
      {},
      async (record, ctx) => {
        most = Math.max(most, ++inFlight);
        await flush();
        const group = record.attributes.MessageGroupId!;
        order.set(group, [...(order.get(group) ?? []), ctx.recordIndex]);
        inFlight--;
      },
      { source: 'sqs', fifo: 'group', concurrency: 2 },
    );
    expect(Object.fromEntries(order)).toEqual({ a: [0, 3, 6], b: [1, 4, 7], c: [2, 5, 8], d: [9] });
    expect(most).toBe(2);
  });
});

describe('processBatch on streams', () => {
  it('Kinesis: handles records in order and at the first failure reports only its sequence number and stops', async () => {
    const event = sampleEvent('kinesis', { records: 5 });
    const started: number[] = [];
    const seen: FailedRecord[] = [];
    const result = await processBatch(
      event,
      {},
      (record, ctx) => {
        started.push(ctx.recordIndex);
        if (record.kinesis.data.quantity === 3) throw new Error('no');
      },
      { schema: kinesis(Order), onRecordError: (f) => void seen.push(f), ...quiet },
    );
    // Lambda resumes the shard from the lowest reported sequence number: the rest come back anyway.
    expect(result).toEqual(failures(idsOf(event)[2]!));
    expect(started).toEqual([0, 1, 2]);
    expect(seen.map((f) => [f.index, f.reported])).toEqual([
      [2, true],
      [3, false],
      [4, false],
    ]);
    expect(seen[1]!.error).toMatchObject({ reason: 'stream-order', failedIndex: 2 });
  });

  it('Kinesis: a record whose data does not decode stops the shard there', async () => {
    const event = sampleEvent('kinesis', { records: 3 });
    event.Records[1]!.kinesis.data = Buffer.from('{"orderId": 1}').toString('base64');
    const { result, started } = await runRecording(event, () => false, { schema: kinesis(Order), ...quiet });
    expect(result).toEqual(failures(idsOf(event)[1]!));
    expect(started).toEqual([0]);
  });

  it('Kinesis with onInvalidRecord: a record that cannot parse is handed over and the shard goes on past it', async () => {
    const event = sampleEvent('kinesis', { records: 4 });
    event.Records[1]!.kinesis.data = Buffer.from('{"orderId": 1}').toString('base64');
    const started: number[] = [];
    const diverted: { index: number; itemIdentifier: string; paths: string[]; record: unknown }[] = [];
    const log = memoryLogger();
    const result = await processBatch(event, {}, (_r, ctx) => void started.push(ctx.recordIndex), {
      schema: kinesis(Order),
      log,
      onInvalidRecord: async (invalid) => {
        await Promise.resolve(); // awaited before the batch goes on
        diverted.push({
          index: invalid.index,
          itemIdentifier: invalid.itemIdentifier,
          paths: invalid.error.paths,
          record: invalid.record,
        });
      },
    });
    expect(result).toEqual(failures());
    expect(started).toEqual([0, 2, 3]);
    expect(diverted).toEqual([
      {
        index: 1,
        itemIdentifier: idsOf(event)[1]!,
        paths: expect.arrayContaining([expect.stringMatching(/^Records\[1\]\.kinesis\.data/)]),
        record: event.Records[1],
      },
    ]);
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'Batch record failed to parse; handed to onInvalidRecord and not retried',
      }),
    ]);
  });

  it('Kinesis with onInvalidRecord that fails: the record is reported as usual, nothing is lost', async () => {
    const event = sampleEvent('kinesis', { records: 3 });
    event.Records[1]!.kinesis.data = 'not base64!';
    const started: number[] = [];
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const result = await processBatch(event, {}, (_r, ctx) => void started.push(ctx.recordIndex), {
        schema: kinesis(Order),
        ...quiet,
        onInvalidRecord: () => {
          throw new Error('dead-letter store down');
        },
      });
      expect(result).toEqual(failures(idsOf(event)[1]!));
      expect(started).toEqual([0]);
    } finally {
      warnings.mockRestore();
    }
  });

  it('SQS with onInvalidRecord: only records that do not parse are handed over; a handler failure still fails', async () => {
    const event = sqsEvent(3);
    event.Records[0]!.body = '{';
    const diverted: number[] = [];
    const result = await processBatch(
      event,
      {},
      (_r, ctx) => {
        if (ctx.recordIndex === 2) throw new Error('no');
      },
      { schema: sqs(Order), ...quiet, onInvalidRecord: (invalid) => void diverted.push(invalid.index) },
    );
    expect(diverted).toEqual([0]);
    expect(result).toEqual(failures(idsOf(event)[2]!));
  });

  it('DynamoDB streams: typed images, in order, first failure reported by SequenceNumber', async () => {
    const event = sampleEvent('dynamodb-stream', { records: 4 });
    const seen: string[] = [];
    const result = await processBatch(
      event,
      {},
      (record) => {
        seen.push(record.dynamodb.NewImage!.orderId);
        if (record.dynamodb.NewImage!.quantity === 2) throw new Error('no');
      },
      { schema: dynamodbStream(Order), ...quiet },
    );
    expect(result).toEqual(failures(idsOf(event)[1]!));
    expect(seen).toEqual(['order-1', 'order-2']);
  });

  it('DynamoDB streams: returns no failures when every record succeeds', async () => {
    const event = sampleEvent('dynamodb-stream', { records: 3 });
    const ctxs: [number, string, string][] = [];
    const result = await processBatch(
      event,
      {},
      (_record, ctx) => void ctxs.push([ctx.recordIndex, ctx.itemIdentifier, ctx.batchSource]),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ctxs).toEqual(idsOf(event).map((id, i) => [i, id, 'dynamodb-stream']));
  });

  it('streams ignore concurrency: one record at a time', async () => {
    let inFlight = 0;
    let most = 0;
    await processBatch(
      sampleEvent('kinesis', { records: 5 }),
      {},
      async () => {
        most = Math.max(most, ++inFlight);
        await flush();
        inFlight--;
      },
      { concurrency: 5 },
    );
    expect(most).toBe(1);
  });

  it('reports the first record when every record of a stream batch would fail', async () => {
    const event = sampleEvent('kinesis', { records: 3 });
    const { result } = await runRecording(event, () => true);
    expect(result).toEqual(failures(idsOf(event)[0]!));
  });
});

describe('processBatch near the deadline', () => {
  it('stops starting records when the time left is under cutoffMs and reports every record not started', async () => {
    let time = 1_700_000_000_000;
    const now = () => time;
    const context = createContext({ now, timeoutMs: 10_000 });
    const event = sqsEvent(6);
    const started: number[] = [];
    const seen: FailedRecord[] = [];
    const result = await processBatch(
      event,
      context,
      (_record, ctx) => {
        started.push(ctx.recordIndex);
        time += 3_000; // each record takes 3 s of the function's 10 s
      },
      { now, cutoffMs: 2_000, onRecordError: (f) => void seen.push(f), ...quiet },
    );
    // Time left before each start: 10 s, 7 s, 4 s, then 1 s < 2 s: records 3, 4 and 5 never start.
    expect(started).toEqual([0, 1, 2]);
    expect(result).toEqual(failures(...idsOf(event).slice(3)));
    expect(seen.map((f) => (f.error as RecordSkippedError).reason)).toEqual(['deadline', 'deadline', 'deadline']);
  });

  it('starts nothing when the batch arrives with less than cutoffMs left, and says so in the log', async () => {
    const time = 1_700_000_000_000;
    const context = createContext({ now: () => time, timeoutMs: 900 });
    const event = sqsEvent(3);
    const handler = vi.fn();
    const logger = memoryLogger();
    const result = await processBatch(event, context, handler, { now: () => time, log: logger });
    expect(handler).not.toHaveBeenCalled();
    expect(result).toEqual(failures(...idsOf(event)));
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        reason: 'deadline',
        count: 3,
        source: 'sqs',
        msg: 'Batch records not started; reported for redelivery',
      },
    ]);
  });

  it('stops in every lane at once with concurrency, and reports every record not started', async () => {
    let time = 0;
    const event = sqsEvent(8);
    const started: number[] = [];
    const result = await processBatch(
      event,
      { deadline: 4_500 },
      async (_record, ctx) => {
        started.push(ctx.recordIndex);
        time += 1_000; // each record takes 1 s
        await flush();
      },
      { now: () => time, cutoffMs: 1_000, concurrency: 2, ...quiet },
    );
    // Starts at t=0, 1000, 2000, 3000 (1.5 s left), then 500 ms left: 4..7 never start.
    expect(started.toSorted()).toEqual([0, 1, 2, 3]);
    expect(result).toEqual(failures(...idsOf(event).slice(4)));
  });

  it('reports only the first record not started on a stream, since Lambda resumes from it', async () => {
    let time = 0;
    const event = sampleEvent('kinesis', { records: 4 });
    const result = await processBatch(
      event,
      { deadline: 2_500 },
      () => {
        time += 1_000;
      },
      { now: () => time, cutoffMs: 1_000, ...quiet },
    );
    expect(result).toEqual(failures(idsOf(event)[2]!));
  });

  it('stops starting records once the invocation signal has aborted', async () => {
    const controller = new AbortController();
    const event = sqsEvent(4);
    const started: number[] = [];
    const result = await processBatch(
      event,
      { signal: controller.signal },
      (_record, ctx) => {
        started.push(ctx.recordIndex);
        if (ctx.recordIndex === 1) controller.abort(new Error('timed out'));
      },
      quiet,
    );
    expect(started).toEqual([0, 1]);
    expect(result).toEqual(failures(...idsOf(event).slice(2)));
  });

  it("takes the deadline from Lambda's own context when it has no deadline field", async () => {
    let time = 0;
    const lambdaContext = { getRemainingTimeInMillis: () => 1_500 - time };
    const event = sqsEvent(3);
    const result = await processBatch(
      event,
      lambdaContext,
      () => {
        time += 1_000;
      },
      { now: () => time, cutoffMs: 1_000, ...quiet },
    );
    expect(result).toEqual(failures(...idsOf(event).slice(1)));
  });
});

describe('processBatch on malformed events', () => {
  it.each([
    ['null', null],
    ['a string', 'Records'],
    ['an array', [{ messageId: 'm' }]],
    ['an object without Records', { records: [] }],
    ['Records that is not an array', { Records: { 0: {} } }],
  ])('throws BatchError BATCH_INVALID_EVENT for %s', async (_name, event) => {
    const handler = vi.fn();
    await expect(processBatch(event, {}, handler)).rejects.toMatchObject({
      name: 'BatchError',
      code: 'BATCH_INVALID_EVENT',
      message: expect.stringContaining('Records array'),
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('throws BATCH_UNKNOWN_SOURCE when no record names a batch source, unless the source is given', async () => {
    const event = { Records: [{ eventSource: 'aws:sns' }, {}] };
    await expect(processBatch(event, {}, () => {})).rejects.toMatchObject({ code: 'BATCH_UNKNOWN_SOURCE' });
  });

  it('throws BATCH_UNKNOWN_SOURCE for a batch that mixes sources', async () => {
    const event = { Records: [...sqsEvent(1).Records, ...sampleEvent('kinesis').Records] };
    await expect(processBatch(event, {}, () => {})).rejects.toMatchObject({
      code: 'BATCH_UNKNOWN_SOURCE',
      message: 'The batch mixes records from sqs and kinesis',
    });
  });

  it('fails alone a record whose eventSource is garbage among valid ones', async () => {
    const event = sqsEvent(3);
    (event.Records[1] as { eventSource: string }).eventSource = 'aws:evil';
    const result = await processBatch(event, {}, () => {}, quiet);
    expect(result).toEqual(failures(idsOf(event)[1]!));
  });

  it('throws BATCH_INVALID_EVENT, with the ParseError as cause, when a failing record has no id to report', async () => {
    const event = sqsEvent(2);
    delete (event.Records[1] as { messageId?: string }).messageId;
    const error = await processBatch(event, {}, () => {}).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'BATCH_INVALID_EVENT' });
    expect((error as BatchError).cause).toBeInstanceOf(ParseError);
  });

  it('throws BATCH_INVALID_EVENT when a record whose handler failed has an empty id (Lambda would fail the batch)', async () => {
    const event = sqsEvent(2);
    event.Records[0]!.messageId = '';
    const cause = new Error('no');
    const error = await processBatch(
      event,
      {},
      () => {
        throw cause;
      },
      quiet,
    ).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'BATCH_INVALID_EVENT', cause });
  });

  it('parses with the registry schema of the detected source when no schema is given', async () => {
    const event = sqsEvent(2);
    (event.Records[0] as { md5OfBody: unknown }).md5OfBody = 42;
    const bodies: string[] = [];
    const result = await processBatch(
      event,
      {},
      (record) => {
        // Without a schema or source the record is a union of the three sources' records.
        if (record.eventSource === 'aws:sqs') bodies.push(record.body);
      },
      quiet,
    );
    expect(result).toEqual(failures(idsOf(event)[0]!));
    expect(bodies).toEqual([event.Records[1]!.body]);
  });

  it('with a given source, parses every record as that source', async () => {
    const event = sampleEvent('kinesis', { records: 2 });
    await expect(processBatch(event, {}, () => {}, { source: 'sqs' })).rejects.toMatchObject({
      code: 'BATCH_INVALID_EVENT',
    });
    expect(await processBatch(event, {}, () => {}, { source: 'kinesis' })).toEqual({ batchItemFailures: [] });
  });
});

describe('processBatch per-record ctx', () => {
  it("carries the invocation ctx's fields, methods and signal, plus the record's index, id and source", async () => {
    const context = createContext({ functionName: 'orders' });
    const controller = new AbortController();
    const ctx = { ...context, deadline: context.deadline, signal: controller.signal, tenant: 't-1' };
    const event = sqsEvent(2);
    const seen: unknown[] = [];
    await processBatch(event, ctx, (_record, rctx) => {
      seen.push({
        functionName: rctx.functionName,
        tenant: rctx.tenant,
        recordIndex: rctx.recordIndex,
        itemIdentifier: rctx.itemIdentifier,
        batchSource: rctx.batchSource,
        signal: rctx.signal === controller.signal,
        deadline: rctx.deadline,
        remaining: typeof rctx.getRemainingTimeInMillis(),
      });
    });
    expect(seen).toEqual(
      idsOf(event).map((id, i) => ({
        functionName: 'orders',
        tenant: 't-1',
        recordIndex: i,
        itemIdentifier: id,
        batchSource: 'sqs',
        signal: true,
        deadline: context.deadline,
        remaining: 'number',
      })),
    );
  });

  it('keeps a write to one record ctx away from the invocation ctx and from other records', async () => {
    const ctx = { tenant: 'shared' };
    const seen: string[] = [];
    await processBatch(sqsEvent(2), ctx, (_record, rctx) => {
      seen.push(rctx.tenant);
      (rctx as { tenant: string }).tenant = `changed by ${rctx.recordIndex}`;
      seen.push(rctx.tenant);
    });
    expect(seen).toEqual(['shared', 'changed by 0', 'shared', 'changed by 1']);
    expect(ctx.tenant).toBe('shared');
  });

  it('gives each record a child of ctx.log bound to its recordId, and logs its failure there', async () => {
    const log = memoryLogger({ requestId: 'r-1' });
    const event = sqsEvent(2);
    const ids = idsOf(event);
    await processBatch(event, { log }, (_record, ctx) => {
      ctx.log.info({ step: 'start' }, 'handling');
      if (ctx.recordIndex === 1) throw new Error('no');
    });
    expect(log.lines).toEqual([
      { level: 'info', requestId: 'r-1', recordId: ids[0], step: 'start', msg: 'handling' },
      { level: 'info', requestId: 'r-1', recordId: ids[1], step: 'start', msg: 'handling' },
      expect.objectContaining({
        level: 'error',
        requestId: 'r-1',
        recordId: ids[1],
        recordIndex: 1,
        msg: 'Batch record failed',
      }),
    ]);
  });

  it('works with no context at all: infinite deadline and a signal that never aborts', async () => {
    const seen: [number, boolean][] = [];
    await processBatch(sqsEvent(1), {}, (_record, ctx) => void seen.push([ctx.deadline, ctx.signal.aborted]));
    expect(seen).toEqual([[Number.POSITIVE_INFINITY, false]]);
  });
});

describe('processBatch reporting', () => {
  const warningsOf = (spy: { mock: { calls: unknown[][] } }) =>
    spy.mock.calls.map(([message, options]) => [(options as { code: string }).code, String(message)]);

  it('without a logger, emits one bounded LambdakitWarning per failed record, with the record id and the error', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const event = sqsEvent(3);
    event.Records[0]!.body = '[]';
    const ids = idsOf(event);
    await processBatch(
      event,
      {},
      (_record, ctx) => {
        throw new Error(ctx.recordIndex === 1 ? 'carrier down' : 'x'.repeat(100_000));
      },
      { schema: sqs(Order) },
    );
    expect(warning.mock.calls.map(([, options]) => options)).toEqual(
      Array(3).fill({ type: 'LambdakitWarning', code: 'LAMBDAKIT_BATCH_RECORD_FAILED' }),
    );
    const [parse, handler, long] = warning.mock.calls.map(([message]) => String(message));
    expect(parse).toMatch(`sqs record 0 (${ids[0]}) failed to parse: `);
    expect(parse).toContain('Records[0].body');
    expect(handler).toBe(`lambdakit batch: sqs record 1 (${ids[1]}) failed: carrier down`);
    expect(long).toContain(`sqs record 2 (${ids[2]}) failed: xxx`);
    expect(long!.length).toBeLessThanOrEqual(500);
  });

  it('without a logger, warns once per reason for records not started, and once per record handed to onInvalidRecord', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const event = sampleEvent('kinesis', { records: 4 });
    event.Records[0]!.kinesis.data = 'not base64!';
    const ids = idsOf(event);
    await processBatch(
      event,
      {},
      (_record, ctx) => {
        if (ctx.recordIndex === 1) throw new Error('no');
      },
      { schema: kinesis(Order), onInvalidRecord: () => {} },
    );
    expect(warningsOf(warning)).toEqual([
      [
        'LAMBDAKIT_BATCH_RECORD_DIVERTED',
        expect.stringContaining(`kinesis record 0 (${ids[0]}) failed to parse; handed to onInvalidRecord`),
      ],
      ['LAMBDAKIT_BATCH_RECORD_FAILED', `lambdakit batch: kinesis record 1 (${ids[1]}) failed: no`],
      [
        'LAMBDAKIT_BATCH_RECORDS_NOT_STARTED',
        'lambdakit batch: 2 kinesis records not started (stream-order); reported for redelivery',
      ],
    ]);
  });

  it('with log: false, neither logs nor warns about records', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const event = sqsEvent(2);
    const { result } = await runRecording(event, () => true);
    expect(result).toEqual(failures(...idsOf(event)));
    expect(warning).not.toHaveBeenCalled();
  });

  it('keeps its result when onRecordError or the logger throws, and warns instead', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const broken = {
      warn: () => {},
      error: () => {
        throw new Error('log sink down');
      },
    };
    const event = sqsEvent(2);
    const result = await processBatch(
      event,
      {},
      (_r, ctx) => {
        if (ctx.recordIndex === 0) throw new Error('no');
      },
      {
        log: broken,
        onRecordError: () => {
          throw new Error('metrics down');
        },
      },
    );
    expect(result).toEqual(failures(idsOf(event)[0]!));
    expect(warningsOf(warning)).toEqual([
      ['LAMBDAKIT_BATCH_LOG_FAILED', expect.stringContaining('log sink down')],
      ['LAMBDAKIT_BATCH_HOOK_FAILED', expect.stringContaining('metrics down')],
    ]);
  });

  it.each([
    [{ concurrency: 0 }, 'concurrency'],
    [{ concurrency: 1.5 }, 'concurrency'],
    [{ fifo: 'parallel' }, 'fifo'],
    [{ cutoffMs: -1 }, 'cutoffMs'],
    [{ cutoffMs: Number.NaN }, 'cutoffMs'],
    [{ source: 'sns' }, 'source'],
    [{ schema: events.sns }, 'schema'],
    [{ schema: events.firehose }, 'schema'],
    [{ schema: sqs(Order), source: 'kinesis' }, 'source'],
    [{ schema: z.object({ Records: z.array(z.unknown()) }) }, 'schema'],
    [{ log: 'console' }, 'log'],
    [{ now: 1_700_000_000_000 }, 'now'],
    [{ onRecordError: 'metrics' }, 'onRecordError'],
    [{ throwOnFullFailure: 'yes' }, 'throwOnFullFailure'],
  ] as const)('refuses bad options with a TypeError naming the door and the option: %o', async (options, name) => {
    await expect(processBatch(sqsEvent(1), {}, () => {}, options as never)).rejects.toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringContaining(`processBatch({ ${name}`) }),
    );
  });

  it.each([
    ['a handler that is not a function', [{}, 'handler'], /recordHandler must be a function/],
    ['no ctx', [undefined, () => {}], /ctx must be/],
    ['the handler where ctx goes (the old signature)', [() => {}, {}], /ctx must be/],
  ])('refuses %s with a TypeError', async (_name, [ctx, handler], message) => {
    await expect(processBatch(sqsEvent(1), ctx as never, handler as never)).rejects.toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) }),
    );
  });
});

describe('processBatch properties', () => {
  const outcomes = fc.array(fc.boolean(), { minLength: 0, maxLength: 12 });

  it('standard SQS: reports exactly the records that failed, each handled once, for any concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(outcomes, fc.integer({ min: 1, max: 6 }), async (fails, concurrency) => {
        const event = sqsEvent(fails.length);
        const ids = idsOf(event);
        const calls = new Map<number, number>();
        const result = await processBatch(
          event,
          {},
          async (_record, ctx) => {
            calls.set(ctx.recordIndex, (calls.get(ctx.recordIndex) ?? 0) + 1);
            await flush();
            if (fails[ctx.recordIndex]) throw new Error('no');
          },
          { concurrency, ...quiet },
        );
        expect(result).toEqual(failures(...ids.filter((_, i) => fails[i])));
        expect([...calls.values()].every((n) => n === 1) && calls.size === fails.length).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('SQS FIFO: reports the suffix from the first failure, and started exactly the records up to it', async () => {
    await fc.assert(
      fc.asyncProperty(outcomes, async (fails) => {
        const event = fifoEvent(fails.map((_, i) => `g${i % 3}`));
        const ids = idsOf(event);
        const { result, started } = await runRecording(event, (index) => fails[index] === true);
        const first = fails.indexOf(true);
        expect(result).toEqual(failures(...(first === -1 ? [] : ids.slice(first))));
        expect(started).toEqual(ids.map((_, i) => i).slice(0, first === -1 ? undefined : first + 1));
      }),
      { numRuns: 50 },
    );
  });

  it('SQS FIFO group mode: never starts a record after a failure of its own group, and reports exactly those', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.boolean()), { maxLength: 12 }),
        async (spec) => {
          const event = fifoEvent(spec.map(([group]) => group));
          const ids = idsOf(event);
          const { result, started } = await runRecording(event, (index) => spec[index]![1], {
            fifo: 'group',
            ...quiet,
          });
          const broken = new Set<string>();
          const expectedStarted: number[] = [];
          const expectedFailed: string[] = [];
          spec.forEach(([group, fails], i) => {
            if (broken.has(group)) {
              expectedFailed.push(ids[i]!);
              return;
            }
            expectedStarted.push(i);
            if (fails) {
              broken.add(group);
              expectedFailed.push(ids[i]!);
            }
          });
          expect(result).toEqual(failures(...expectedFailed));
          expect(started.toSorted((x, y) => x - y)).toEqual(expectedStarted);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('streams: report at most one sequence number, the first failure, having started only the records up to it', async () => {
    await fc.assert(
      fc.asyncProperty(
        outcomes,
        fc.constantFrom('kinesis' as const, 'dynamodb-stream' as const),
        async (fails, source) => {
          const event = sampleEvent(source, { records: fails.length });
          const ids = idsOf(event);
          const { result, started } = await runRecording(event, (index) => fails[index] === true);
          const first = fails.indexOf(true);
          expect(result).toEqual(first === -1 ? failures() : failures(ids[first]!));
          expect(started.length).toBe(first === -1 ? fails.length : first + 1);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('any input at all either resolves to failures naming records of the batch, or rejects with BatchError', async () => {
    const junkRecord = fc.oneof(
      fc.anything(),
      fc.record(
        {
          eventSource: fc.constantFrom('aws:sqs', 'aws:kinesis', 'aws:dynamodb', 'aws:sns', ''),
          messageId: fc.oneof(fc.string(), fc.constant(undefined)),
          body: fc.oneof(fc.json(), fc.string(), fc.anything()),
          kinesis: fc.record({ sequenceNumber: fc.string(), data: fc.base64String() }, { requiredKeys: [] }),
          dynamodb: fc.record({ SequenceNumber: fc.string(), NewImage: fc.anything() }, { requiredKeys: [] }),
          attributes: fc.record({ MessageGroupId: fc.string() }, { requiredKeys: [] }),
          eventSourceARN: fc.constantFrom('arn:aws:sqs:us-east-1:1:q', 'arn:aws:sqs:us-east-1:1:q.fifo'),
        },
        { requiredKeys: [] },
      ),
      fc.constantFrom(...sqsEvent(2).Records, ...sampleEvent('kinesis', { records: 2 }).Records),
    );
    const input = fc.oneof(fc.anything(), fc.record({ Records: fc.array(junkRecord, { maxLength: 6 }) }));
    await fc.assert(
      fc.asyncProperty(input, fc.boolean(), async (event, failAll) => {
        try {
          const result = await processBatch(
            event,
            {},
            () => {
              if (failAll) throw new Error('no');
            },
            quiet,
          );
          const ids = new Set(
            (event as { Records: Record<string, any>[] }).Records.flatMap((r) => [
              r?.messageId,
              r?.kinesis?.sequenceNumber,
              r?.dynamodb?.SequenceNumber,
            ]),
          );
          for (const { itemIdentifier } of result.batchItemFailures) {
            expect(itemIdentifier).not.toBe('');
            expect(ids.has(itemIdentifier)).toBe(true);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(BatchError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
