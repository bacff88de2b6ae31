import { type InvocationContext, type LambdaContext, lambda, type Middleware } from '@lambdakit/core';
import { idempotentRecord, memoryStore } from '@lambdakit/idempotency';
import { apigwHttp, dynamodbStream, events, kinesis, parse, type SqsRecord, sqs } from '@lambdakit/parser';
import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { batch, type PartialBatchResponse, processBatch } from './index.js';

const Order = z.object({ orderId: z.string(), quantity: z.number() });
type Order = z.infer<typeof Order>;

interface Logger {
  child(bindings: Record<string, unknown>): Logger;
  info(message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
declare const withLog: Middleware<unknown, unknown, { log: Logger }>;
declare const withTenant: Middleware<unknown, unknown, { tenant: string }>;

describe('batch() with lambda()', () => {
  it('types the record from the schema and the ctx from the chain', () => {
    const handler = lambda()
      .use(withLog)
      .use(withTenant)
      .handle(
        batch(
          async (record, ctx) => {
            expectTypeOf(record.body).toEqualTypeOf<Order>();
            expectTypeOf(record.messageId).toEqualTypeOf<string>();
            expectTypeOf(ctx.log).toEqualTypeOf<Logger>();
            expectTypeOf(ctx.tenant).toEqualTypeOf<string>();
            expectTypeOf(ctx.recordIndex).toEqualTypeOf<number>();
            expectTypeOf(ctx.itemIdentifier).toEqualTypeOf<string>();
            expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
            expectTypeOf(ctx.deadline).toEqualTypeOf<number>();
            expectTypeOf(ctx.awsRequestId).toEqualTypeOf<string>();
          },
          { schema: sqs(Order) },
        ),
      );
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<PartialBatchResponse>();
  });

  it('gives each source its own record type', () => {
    batch(
      (record) => {
        expectTypeOf(record.kinesis.data).toEqualTypeOf<Order>();
        expectTypeOf(record.kinesis.sequenceNumber).toEqualTypeOf<string>();
      },
      { schema: kinesis(Order) },
    );
    batch(
      (record) => {
        expectTypeOf(record.dynamodb.NewImage).toEqualTypeOf<Order | undefined>();
      },
      { schema: dynamodbStream(Order) },
    );
  });

  it('gives the raw record of the named source without a schema, and of any source without either', () => {
    batch(
      (record) => {
        expectTypeOf(record).toEqualTypeOf<SqsRecord>();
      },
      { source: 'sqs' },
    );
    batch((record) => {
      expectTypeOf(record.eventSource).toEqualTypeOf<'aws:sqs' | 'aws:kinesis' | 'aws:dynamodb'>();
    });
  });

  it('accepts an idempotentRecord-wrapped handler, its types inferred from the batch', () => {
    const store = memoryStore();
    lambda().handle(
      batch(
        idempotentRecord(
          async (record, ctx) => {
            expectTypeOf(record.body).toEqualTypeOf<Order>();
            expectTypeOf(ctx.itemIdentifier).toEqualTypeOf<string>();
            return record.body.orderId;
          },
          { store, key: (record) => record.body.orderId },
        ),
        { schema: sqs(Order) },
      ),
    );
  });

  it('refuses options that do not exist or have the wrong type', () => {
    // @ts-expect-error: fifo is 'stop' or 'group'
    batch(() => {}, { fifo: 'parallel' });
    // @ts-expect-error: source is a batch source name
    batch(() => {}, { source: 'sns' });
    // @ts-expect-error: concurrency is a number
    batch(() => {}, { concurrency: '4' });
    // @ts-expect-error: the cutoff is cutoffMs (marginMs is ctx.signal's margin, in core)
    batch(() => {}, { marginMs: 1000 });
    // @ts-expect-error: the clock is now
    batch(() => {}, { clock: () => 0 });
  });
});

describe('processBatch', () => {
  it('types the record from the schema and the ctx from the invocation ctx it is given', () => {
    const ctx = {} as InvocationContext & { tenant: string };
    const result = processBatch(
      {},
      ctx,
      async (record, rctx) => {
        expectTypeOf(record.body).toEqualTypeOf<Order>();
        expectTypeOf(rctx.tenant).toEqualTypeOf<string>();
        expectTypeOf(rctx.functionName).toEqualTypeOf<string>();
        expectTypeOf(rctx.recordIndex).toEqualTypeOf<number>();
      },
      { schema: sqs(Order), onRecordError: (failure) => expectTypeOf(failure.index).toBeNumber() },
    );
    expectTypeOf(result).resolves.toEqualTypeOf<PartialBatchResponse>();
  });

  it("takes Lambda's own context as ctx", () => {
    const context = {} as LambdaContext;
    processBatch({}, context, (_record, ctx) => {
      expectTypeOf(ctx.awsRequestId).toEqualTypeOf<string>();
      expectTypeOf(ctx.getRemainingTimeInMillis).returns.toEqualTypeOf<number>();
      expectTypeOf(ctx.deadline).toEqualTypeOf<number>();
    });
  });

  it('works without options and with a bare ctx: the record is any batch record, the ctx only the record fields', () => {
    processBatch({}, {}, (record, ctx) => {
      expectTypeOf(record.awsRegion).toEqualTypeOf<string>();
      expectTypeOf(ctx.itemIdentifier).toEqualTypeOf<string>();
      // @ts-expect-error: the ctx given has no request id
      ctx.awsRequestId;
    });
  });

  it('takes ctx right after the event, and options last', () => {
    // @ts-expect-error: the ctx comes before the record handler
    processBatch({}, () => {}, {});
    // @ts-expect-error: the invocation ctx is no longer an option
    processBatch({}, {}, () => {}, { context: {} });
    // @ts-expect-error: a ctx is an object
    processBatch({}, undefined, () => {});
  });

  it('accepts options whose values may be undefined (exactOptionalPropertyTypes)', () => {
    const cutoffMs: number | undefined = undefined as number | undefined;
    processBatch({}, {}, () => {}, { cutoffMs, now: undefined, log: undefined, schema: undefined });
    batch(() => {}, { cutoffMs, concurrency: undefined });
  });
});

describe('batch() refuses a chain that gives it an event it cannot take', () => {
  it('after parse() of an HTTP source', () => {
    lambda()
      .use(parse(apigwHttp(Order)))
      // @ts-expect-error an API Gateway event is not an SQS batch
      .handle(batch(async () => undefined, { schema: sqs(Order) }));
    lambda()
      .use(parse(apigwHttp(Order)))
      // @ts-expect-error nor is it a batch of any source
      .handle(batch(async () => undefined));
  });

  it('after parse() of its payload (the bodies are no longer the text the schema parses)', () => {
    lambda()
      .use(parse(sqs(Order)))
      // @ts-expect-error the records' bodies are already objects
      .handle(batch(async () => undefined, { schema: sqs(Order) }));
    lambda()
      .use(parse(sqs(Order)))
      // @ts-expect-error the same, with the raw envelope schema
      .handle(batch(async () => undefined, { source: 'sqs' }));
  });

  it('after parse() of another batch source', () => {
    lambda()
      .use(parse(events.sqs))
      // @ts-expect-error an SQS event is not a Kinesis batch
      .handle(batch(async () => undefined, { schema: kinesis(Order) }));
  });

  it('and takes a chain whose event is still raw: none parsed, or the envelope only', () => {
    lambda().handle(batch(async () => undefined, { schema: sqs(Order) }));
    lambda()
      .use(parse(events.sqs))
      .handle(batch(async () => undefined, { schema: sqs(Order) }));
    lambda()
      .use(parse(events.kinesis))
      .handle(batch(async () => undefined, { source: 'kinesis' }));
    lambda()
      .use(withLog)
      .handle(batch(async () => undefined));
  });
});
