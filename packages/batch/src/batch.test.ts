import { type InvocationContext, lambda, type Middleware, timeout } from '@lambdakit/core';
import { sqs } from '@lambdakit/parser';
import { createContext, sampleEvent } from '@lambdakit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { failures, fifoEvent, idsOf, memoryLogger, sqsEvent } from '../test/support.js';
import { BatchError, batch } from './index.js';

const Order = z.object({ orderId: z.string(), quantity: z.number().int().positive() });

const withLog = (log: ReturnType<typeof memoryLogger>): Middleware<unknown, unknown, { log: typeof log }> => ({
  name: 'test-log',
  before: (request) => {
    request.context.log = log;
  },
});
const withTenant: Middleware<unknown, unknown, { tenant: string }> = {
  name: 'tenant',
  before: (request) => {
    request.context.tenant = 'acme';
  },
};

afterEach(() => {
  vi.useRealTimers();
});

describe('batch() through lambda()', () => {
  it('returns the partial batch response: a poison record and a failing record reported, the rest handled', async () => {
    const log = memoryLogger();
    const handled: string[] = [];
    const handler = lambda()
      .use(withLog(log))
      .handle(
        batch(
          async (record) => {
            if (record.body.quantity === 4) throw new Error('out of stock');
            handled.push(record.body.orderId);
          },
          { schema: sqs(Order) },
        ),
      );
    const event = sqsEvent(5);
    event.Records[1]!.body = 'not json';
    const ids = idsOf(event);
    expect(await handler(event, createContext())).toEqual(failures(ids[1]!, ids[3]!));
    expect(handled).toEqual(['order-1', 'order-3', 'order-5']);
    expect(log.lines.map((line) => [line.recordId, line.msg, line.paths])).toEqual([
      [ids[1], 'Batch record failed to parse', ['Records[1].body']],
      [ids[3], 'Batch record failed', undefined],
    ]);
  });

  it("gives the record handler the chain's ctx (middleware fields, request id) with the record's own fields and log", async () => {
    const log = memoryLogger();
    const seen: unknown[] = [];
    const handler = lambda()
      .use(withLog(log))
      .use(withTenant)
      .handle(
        batch(
          (record, ctx) => {
            ctx.log.info({ orderId: JSON.parse(record.body).orderId }, 'handled');
            seen.push([
              ctx.tenant,
              ctx.awsRequestId,
              ctx.functionName,
              ctx.recordIndex,
              ctx.itemIdentifier,
              ctx.coldStart,
            ]);
          },
          { source: 'sqs' },
        ),
      );
    const event = sqsEvent(2);
    const ids = idsOf(event);
    await handler(event, createContext({ requestId: 'req-1', functionName: 'orders' }));
    expect(seen).toEqual([
      ['acme', 'req-1', 'orders', 0, ids[0], expect.any(Boolean)],
      ['acme', 'req-1', 'orders', 1, ids[1], expect.any(Boolean)],
    ]);
    expect(log.lines).toEqual([
      { level: 'info', recordId: ids[0], orderId: 'order-1', msg: 'handled' },
      { level: 'info', recordId: ids[1], orderId: 'order-2', msg: 'handled' },
    ]);
  });

  it('runs cleanup hooks a record handler registers when the invocation settles, on the invocation', async () => {
    const order: string[] = [];
    const handler = lambda().handle(
      batch((_record, ctx) => {
        order.push(`record ${ctx.recordIndex}`);
        ctx.cleanup((outcome) => void order.push(`cleanup ${ctx.recordIndex} ${outcome.status}`));
      }),
    );
    await handler(sqsEvent(2), createContext());
    expect(order).toEqual(['record 0', 'record 1', 'cleanup 1 success', 'cleanup 0 success']);
  });

  it("shares the invocation's signal with every record", async () => {
    const signals = new Set<AbortSignal>();
    let invocationSignal: AbortSignal | undefined;
    const handler = lambda()
      .use(timeout({ marginMs: 100 }))
      .use({
        name: 'grab-signal',
        before: (request: { context: InvocationContext }) => {
          invocationSignal = request.context.signal;
        },
      } as Middleware)
      .handle(batch((_record, ctx) => void signals.add(ctx.signal)));
    await handler(sqsEvent(3), createContext());
    expect([...signals]).toEqual([invocationSignal]);
  });

  it('stops starting records near the deadline under fake timers, reporting the ones not started', async () => {
    vi.useFakeTimers({ now: new Date('2025-01-15T12:00:00Z') });
    const started: number[] = [];
    const handler = lambda()
      .use(timeout({ marginMs: 500 }))
      .handle(
        batch(
          (_record, ctx) => {
            started.push(ctx.recordIndex);
            vi.setSystemTime(Date.now() + 2_000); // each record takes 2 s of the clock, no timer fires
          },
          { cutoffMs: 1_500, log: false },
        ),
      );
    const event = sqsEvent(4);
    // 5 s budget: starts with 5 s and 3 s left, then 1 s < 1.5 s: records 2 and 3 are reported.
    const result = await handler(event, createContext({ timeoutMs: 5_000 }));
    expect(started).toEqual([0, 1]);
    expect(result).toEqual(failures(...idsOf(event).slice(2)));
  });

  it('keeps FIFO order through lambda()', async () => {
    const event = fifoEvent(['a', 'a', 'b']);
    const handler = lambda().handle(
      batch(
        (_record, ctx) => {
          if (ctx.recordIndex === 0) throw new Error('no');
        },
        { log: false, concurrency: 3 },
      ),
    );
    expect(await handler(event, createContext())).toEqual(failures(...idsOf(event)));
  });

  it('fails the invocation with BatchError for an event that is not a batch, so Lambda retries it whole', async () => {
    const handler = lambda().handle(batch(() => {}));
    await expect(handler({ hello: 'world' }, createContext())).rejects.toBeInstanceOf(BatchError);
    await expect(handler(sampleEvent('s3'), createContext())).rejects.toMatchObject({ code: 'BATCH_UNKNOWN_SOURCE' });
  });

  it('throws from the handler with throwOnFullFailure when nothing succeeded', async () => {
    const handler = lambda().handle(
      batch(
        () => {
          throw new Error('db down');
        },
        { throwOnFullFailure: true, log: false },
      ),
    );
    await expect(handler(sqsEvent(2), createContext())).rejects.toMatchObject({ code: 'BATCH_ALL_FAILED' });
  });

  it('checks its options once, when the handler is built', () => {
    expect(() => batch(() => {}, { concurrency: 0 })).toThrow(TypeError);
    expect(() => batch(() => {}, { schema: z.object({ Records: z.array(z.string()) }) })).toThrow(/schema/);
    expect(() => batch('nope' as never)).toThrow(/recordHandler must be a function/);
  });

  it('keeps concurrent invocations apart: each record sees its own invocation', async () => {
    const seen: [string, string][] = [];
    const handler = lambda().handle(
      batch(
        async (record, ctx) => {
          await new Promise((resolve) => setImmediate(resolve));
          seen.push([ctx.awsRequestId, record.messageId]);
        },
        { source: 'sqs', concurrency: 2 },
      ),
    );
    const a = sqsEvent(3);
    const b = sampleEvent('sqs', { records: 3 });
    b.Records.forEach((record, i) => {
      record.messageId = `b-${i}`;
    });
    await Promise.all([handler(a, createContext({ requestId: 'A' })), handler(b, createContext({ requestId: 'B' }))]);
    expect(
      seen
        .filter(([id]) => id === 'A')
        .map(([, m]) => m)
        .sort(),
    ).toEqual(idsOf(a).sort());
    expect(
      seen
        .filter(([id]) => id === 'B')
        .map(([, m]) => m)
        .sort(),
    ).toEqual(['b-0', 'b-1', 'b-2']);
  });
});
