import { type InvocationContext, lambda, type Middleware } from '@lambdakit/core';
import type { Context, SQSRecord } from 'aws-lambda';
import { describe, expectTypeOf, it } from 'vitest';
import type { IdempotencyErrorCode } from './idempotency-error.js';
import { IdempotencyError, IdempotencyInProgressError } from './idempotency-error.js';
import { idempotent } from './idempotent.js';
import type { IdempotentOptions } from './idempotent-options.js';
import { idempotentRecord } from './idempotent-record.js';
import { makeIdempotent } from './make-idempotent.js';
import { memoryStore } from './memory-store.js';

interface Order {
  id: string;
  total: number;
}
interface Refund {
  refundId: string;
}
declare const parseOrder: Middleware<unknown, Order>;
const store = memoryStore();

describe('idempotency types', () => {
  it('infers the key function’s event from the chain, with no type written', () => {
    lambda()
      .use(parseOrder)
      .use(
        idempotent({
          store,
          key: (event) => {
            expectTypeOf(event).toEqualTypeOf<Order>();
            return event.id;
          },
          validatePayload: (event) => event.total,
        }),
      )
      .handle(async (event) => {
        expectTypeOf(event).toEqualTypeOf<Order>();
        return event.total;
      });
  });

  it('types the key function from the event type the middleware is given', () => {
    const middleware = idempotent<Order>({
      store,
      key: (event) => {
        expectTypeOf(event).toEqualTypeOf<Order>();
        return event.id;
      },
      validatePayload: (event) => {
        expectTypeOf(event).toEqualTypeOf<Order>();
        return event.total;
      },
    });
    expectTypeOf(middleware).toEqualTypeOf<Middleware<Order, unknown, {}>>();
    lambda()
      .use(parseOrder)
      .use(middleware)
      .handle(async (event, ctx) => {
        expectTypeOf(event).toEqualTypeOf<Order>();
        expectTypeOf(ctx).toEqualTypeOf<InvocationContext>();
        return event.total;
      });
  });

  it('infers the event type from an annotated key function and keeps the chain event', () => {
    lambda()
      .use(parseOrder)
      .use(idempotent({ store, key: (event: Order) => event.id }))
      .handle(async (event) => {
        expectTypeOf(event).toEqualTypeOf<Order>();
      });
  });

  it('rejects a middleware keyed on an event the chain does not provide', () => {
    const refundKeyed = idempotent<Refund>({ store, key: (event) => event.refundId });
    // @ts-expect-error the chain's event is an Order, the key function expects a Refund
    lambda().use(parseOrder).use(refundKeyed);
    // @ts-expect-error the event is still unknown: nothing parsed it into a Refund
    lambda().use(refundKeyed);
  });

  it('keeps the key of an unparsed event unknown, so it must be narrowed before use', () => {
    lambda().use(
      idempotent({
        store,
        key: (event) => {
          expectTypeOf(event).toEqualTypeOf<unknown>();
          return event;
        },
      }),
    );
  });

  it('types makeIdempotent’s key from the wrapped function and keeps its signature', () => {
    const wrapped = makeIdempotent(async (order: Order, _context: Context) => ({ charged: order.total }), {
      store,
      key: (order) => {
        expectTypeOf(order).toEqualTypeOf<Order>();
        return order.id;
      },
    });
    expectTypeOf(wrapped).parameters.toEqualTypeOf<[order: Order, _context: Context]>();
    expectTypeOf(wrapped).returns.resolves.toEqualTypeOf<{ charged: number }>();
    const contextFree = makeIdempotent((order: Order) => order.total, { store, key: (order) => order.id });
    expectTypeOf(contextFree).returns.resolves.toEqualTypeOf<number>();
    // A function that takes no context still accepts one, for the deadline and function name.
    expectTypeOf(contextFree).toBeCallableWith({ id: 'o', total: 1 }, {} as Context);
    expectTypeOf(contextFree).toBeCallableWith({ id: 'o', total: 1 }, {} as InvocationContext);
    expectTypeOf(contextFree).toBeCallableWith({ id: 'o', total: 1 });
    // @ts-expect-error the key function reads a field Order does not have
    makeIdempotent(async (order: Order) => order, { store, key: (order) => order.missing });
  });

  it('types idempotentRecord for a batch record handler called with (record, ctx)', () => {
    const handler = idempotentRecord(
      async (record: SQSRecord, ctx: InvocationContext) => ctx.awsRequestId + record.body,
      {
        store,
        key: (record) => {
          expectTypeOf(record).toEqualTypeOf<SQSRecord>();
          return record.messageId;
        },
      },
    );
    expectTypeOf(handler).toEqualTypeOf<(record: SQSRecord, ctx: InvocationContext) => Promise<string>>();
  });

  it('accepts options that may be undefined, as a caller under exactOptionalPropertyTypes passes them', () => {
    const fromEnv = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);
    const options: IdempotentOptions<Order> = {
      store,
      key: (order) => order.id,
      keyPrefix: process.env.PREFIX,
      expiresAfterSeconds: fromEnv('TTL'),
      localCache: { maxItems: fromEnv('CACHE') },
      now: undefined,
    };
    makeIdempotent(async (order: Order) => order.total, options);
  });

  it('narrows an error to its code union, and the in-progress case to its one code and key', () => {
    const error: unknown = undefined;
    if (error instanceof IdempotencyError) {
      expectTypeOf(error.code).toEqualTypeOf<IdempotencyErrorCode>();
      expectTypeOf(error.key).toEqualTypeOf<string | undefined>();
    }
    if (error instanceof IdempotencyInProgressError) {
      expectTypeOf(error.code).toEqualTypeOf<'IDEMPOTENCY_IN_PROGRESS'>();
      expectTypeOf(error.key).toEqualTypeOf<string>();
    }
  });
});
