import type { Context, Handler } from 'aws-lambda';
import { describe, expectTypeOf, it } from 'vitest';
import type { InvocationContext } from './invocation-context.js';
import { lambda } from './lambda.js';
import type { Middleware } from './middleware.js';
import { timeout } from './timeout.js';

interface Order {
  id: string;
  total: number;
}
declare const parseOrder: Middleware<unknown, Order>;
declare const addUser: Middleware<unknown, unknown, { user: { name: string } }>;
declare const needsOrder: Middleware<Order, Order, { orderSeen: true }>;
declare const badRequest: Middleware<unknown, unknown, {}, { statusCode: 400; body: string }>;

describe('lambda() builder types', () => {
  it('starts with an unknown event and the invocation context', () => {
    lambda().handle((event, ctx) => {
      expectTypeOf(event).toEqualTypeOf<unknown>();
      expectTypeOf(ctx).toEqualTypeOf<InvocationContext>();
      expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
      expectTypeOf(ctx.deadline).toEqualTypeOf<number>();
      expectTypeOf(ctx.coldStart).toEqualTypeOf<boolean>();
    });
  });

  it('narrows the event and adds context fields through .use() without written generics', () => {
    lambda()
      .use(parseOrder)
      .use(addUser)
      .use(timeout({ marginMs: 100 }))
      .handle(async (event, ctx) => {
        expectTypeOf(event).toEqualTypeOf<Order>();
        expectTypeOf(ctx.user).toEqualTypeOf<{ name: string }>();
        expectTypeOf(ctx.awsRequestId).toEqualTypeOf<string>();
        return event.total;
      });
  });

  it('returns a handler whose result includes responses middlewares produce', () => {
    const handler = lambda()
      .use(badRequest)
      .use(timeout({ onTimeout: () => ({ statusCode: 504 as const }) }))
      .handle(async () => ({ statusCode: 200 as const }));
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<
      { statusCode: 200 } | { statusCode: 400; body: string } | { statusCode: 504 }
    >();
  });

  it('accepts plain Middy middlewares without changing types', () => {
    lambda()
      .use(parseOrder)
      .use({ before: async () => {} })
      .handle((event) => {
        expectTypeOf(event).toEqualTypeOf<Order>();
      });
  });

  it('rejects a middleware whose input event the chain does not provide', () => {
    // @ts-expect-error needsOrder requires an Order event; the event is still unknown here
    lambda().use(needsOrder);
    lambda()
      .use(parseOrder)
      .use(needsOrder)
      .handle((_event, ctx) => {
        expectTypeOf(ctx.orderSeen).toEqualTypeOf<true>();
      });
  });

  it('types the event of a generic middleware factory from the chain, with no generics written', () => {
    const idempotentLike = <E>(options: { key: (event: E) => unknown }): Middleware<E> => ({
      name: 'idempotent-like',
      before: (request) => void options.key(request.event as E),
    });
    lambda()
      .use(parseOrder)
      .use(
        idempotentLike({
          key: (order) => {
            expectTypeOf(order).toEqualTypeOf<Order>();
            return order.id;
          },
        }),
      )
      .handle((event) => expectTypeOf(event).toEqualTypeOf<Order>());
  });

  it('rejects business logic that reads context fields no middleware added', () => {
    lambda().handle((_event, ctx) => {
      // @ts-expect-error no middleware added `user`
      ctx.user;
    });
  });

  it('is assignable to the aws-lambda Handler type and callable with its Context', () => {
    const handler = lambda().handle(async () => 'ok');
    const asHandler: Handler<unknown, string> = handler;
    expectTypeOf(asHandler).toBeFunction();
    expectTypeOf(handler).toBeCallableWith({ any: 'event' }, {} as Context);
  });
});
