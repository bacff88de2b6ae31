import { lambda } from '@lambdakit/core';
import { type Logger, logger } from '@lambdakit/logger';
import { apigwHttp, type HttpProblemResponse, parse } from '@lambdakit/parser';
import { describe, expectTypeOf, it } from 'vitest';
import { type handler, type JsonResponse, OrderRequest } from './handler.js';

describe('handler types', () => {
  it('gives the business logic the body typed from OrderRequest, next to the rest of the event', () => {
    lambda()
      .use(parse(apigwHttp(OrderRequest)))
      .handle((event) => {
        expectTypeOf(event.body).toEqualTypeOf<{
          customerId: string;
          items: { sku: string; quantity: number }[];
        }>();
        expectTypeOf(event.body).toEqualTypeOf<OrderRequest>();
        expectTypeOf(event.requestContext.requestId).toBeString();
        expectTypeOf(event.headers).toEqualTypeOf<Record<string, string> | undefined>();
      });
  });

  it('answers 201 from the business logic, 400 from parse() and 504 from timeout()', () => {
    type Response = Awaited<ReturnType<typeof handler>>;
    expectTypeOf<Response>().toEqualTypeOf<JsonResponse<201> | HttpProblemResponse | JsonResponse<504>>();
    expectTypeOf<Response['statusCode']>().toEqualTypeOf<201 | 400 | 504>();
  });

  it('puts an invocation logger at ctx.log once logger() is used, and not before', () => {
    lambda().handle((_event, ctx) => {
      expectTypeOf(ctx).not.toHaveProperty('log');
    });
    lambda()
      .use(logger())
      .handle((_event, ctx) => {
        expectTypeOf(ctx.log).toEqualTypeOf<Logger>();
      });
  });
});
