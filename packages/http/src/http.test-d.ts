import { type InvocationContext, type LambdaHandler, lambda } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { type HttpResult, http, json, type PathParams, problem } from './index.js';

describe('http() types', () => {
  it('infers path parameters from the pattern when no params schema is given', () => {
    expectTypeOf<PathParams<'/orders/:id/items/:item'>>().toEqualTypeOf<{ id: string; item: string }>();
    expectTypeOf<PathParams<'/files/:name?'>>().toEqualTypeOf<{ name?: string }>();
    expectTypeOf<PathParams<'/posts/:id{[0-9]+}'>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<PathParams<'/health'>>().toEqualTypeOf<{}>();
    http().get('/orders/:id', ({ params }) => {
      expectTypeOf(params).toEqualTypeOf<{ id: string }>();
      return undefined;
    });
  });

  it('types each part from its schema, with no annotations', () => {
    const Order = z.object({ sku: z.string(), quantity: z.number() });
    http().post(
      '/orders/:id',
      {
        params: z.object({ id: z.coerce.number() }),
        query: z.object({ dryRun: z.stringbool().optional() }),
        headers: z.object({ 'idempotency-key': z.string() }),
        body: Order,
      },
      ({ params, query, headers, body, text }) => {
        expectTypeOf(params).toEqualTypeOf<{ id: number }>();
        expectTypeOf(query).toEqualTypeOf<{ dryRun?: boolean | undefined }>();
        expectTypeOf(headers).toEqualTypeOf<{ 'idempotency-key': string }>();
        expectTypeOf(body).toEqualTypeOf<{ sku: string; quantity: number }>();
        expectTypeOf(text).toEqualTypeOf<string | undefined>();
        return json(201, body);
      },
    );
  });

  it('leaves parts without a schema as sent, and no body', () => {
    http().get('/search', ({ query, headers, body }) => {
      expectTypeOf(query).toEqualTypeOf<Readonly<Record<string, string | string[] | undefined>>>();
      expectTypeOf(headers).toEqualTypeOf<Readonly<Record<string, string | undefined>>>();
      expectTypeOf(body).toEqualTypeOf<undefined>();
      return undefined;
    });
  });

  it('gives routes the ctx of the builder it is given', () => {
    const base = lambda().use(logger());
    const app = http(base).get('/x', (_request, ctx) => {
      expectTypeOf(ctx.log.info).toBeFunction();
      expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
      return undefined;
    });
    expectTypeOf(base.handle(app)).toEqualTypeOf<LambdaHandler<unknown, HttpResult>>();
    http().get('/y', (_request, ctx) => {
      expectTypeOf(ctx).toEqualTypeOf<InvocationContext>();
      // @ts-expect-error: without the builder, routes see no logger on ctx
      ctx.log;
      return undefined;
    });
  });

  it('keeps the status and body type of a JSON response', () => {
    expectTypeOf(json(201, { id: 'o-1' }).status).toEqualTypeOf<201>();
  });

  it('refuses a handler that is not given the request’s parts as typed', () => {
    // @ts-expect-error: the body is an Order, not a string
    http().post('/orders', { body: z.object({ sku: z.string() }) }, ({ body }: { body: string }) => body);
  });
});

describe('declared responses', () => {
  const Order = z.object({ id: z.string(), sku: z.string() });
  it('let a route return only a declared status with a fitting body, or problem details', () => {
    http().get('/orders/:id', { responses: { 200: Order, 404: undefined } }, ({ params }) =>
      params.id === 'x' ? json(200, { id: 'x', sku: 'A' }) : problem(404),
    );
    // @ts-expect-error: 201 is not declared
    http().get('/a', { responses: { 200: Order } }, () => json(201, { id: 'x', sku: 'A' }));
    // @ts-expect-error: the body lacks sku
    http().get('/b', { responses: { 200: Order } }, () => json(200, { id: 'x' }));
  });
});

describe('idempotentRoute()', () => {
  it('keeps the route’s typed request through the wrapper', async () => {
    const { idempotentRoute } = await import('./entry/idempotency.js');
    const { memoryStore } = await import('@lambdakit/idempotency');
    http().post(
      '/orders/:id',
      { body: z.object({ sku: z.string() }) },
      idempotentRoute({ store: memoryStore() }, ({ body, params }) => {
        expectTypeOf(body).toEqualTypeOf<{ sku: string }>();
        expectTypeOf(params).toEqualTypeOf<{ id: string }>();
        return json(201, body);
      }),
    );
  });
});

describe('claims', () => {
  it('narrow ctx to the claims the route’s schema gives', () => {
    const base = lambda().use(logger());
    http(base).get(
      '/me',
      { claims: z.object({ sub: z.string(), groups: z.array(z.string()).optional() }) },
      (_r, ctx) => {
        expectTypeOf(ctx.claims).toEqualTypeOf<{ sub: string; groups?: string[] | undefined }>();
        expectTypeOf(ctx.log.info).toBeFunction();
        return undefined;
      },
    );
    http(base).get('/open', (_r, ctx) => {
      // @ts-expect-error: a route without a claims schema has no ctx.claims
      ctx.claims;
      return undefined;
    });
  });
});

describe('limitedRoute()', () => {
  it('keeps the route’s typed request and its declared responses through the wrapper', async () => {
    const { limitedRoute } = await import('./entry/resilience.js');
    const { createConcurrencyLimiter, memoryStateStore } = await import('@lambdakit/resilience');
    const limiter = createConcurrencyLimiter({ name: 'l', max: 1, store: memoryStateStore() });
    http().post(
      '/pay/:id',
      { body: z.object({ amount: z.number() }), responses: { 200: z.object({ id: z.string() }) } },
      limitedRoute(limiter, ({ body, params }) => {
        expectTypeOf(body).toEqualTypeOf<{ amount: number }>();
        return json(200, { id: params.id });
      }),
    );
  });
});
