import { lambda } from '@lambdakit/core';
import { type HttpResult, http, json, type RouteInfo } from '@lambdakit/http';
import { type Logger, logger } from '@lambdakit/logger';
import { describe, expectTypeOf, it } from 'vitest';
import { createApp, type handler, type Order, OrderRequest } from './handler.js';

describe('handler types', () => {
  it('gives a route its body typed from OrderRequest and the chain’s ctx', () => {
    const base = lambda().use(logger());
    http(base).post('/orders', { body: OrderRequest }, ({ body }, ctx) => {
      expectTypeOf(body).toEqualTypeOf<{ customerId: string; items: { sku: string; quantity: number }[] }>();
      expectTypeOf(body).toEqualTypeOf<OrderRequest>();
      expectTypeOf(ctx.log).toEqualTypeOf<Logger>();
      return json(201, body);
    });
  });

  it('answers with the HTTP result of the request’s source (504 from gatewayTimeout included)', () => {
    expectTypeOf<Awaited<ReturnType<typeof handler>>>().toEqualTypeOf<HttpResult>();
    expectTypeOf(createApp().app.routes).toEqualTypeOf<readonly RouteInfo[]>();
  });

  it('refuses a route that answers a status or body its responses do not declare', () => {
    const Declared = { responses: { 200: OrderRequest } };
    http().get('/orders/:id', Declared, () => json(200, { customerId: 'c', items: [] }));
    // @ts-expect-error: 201 is not declared
    http().get('/orders/:id', Declared, () => json(201, { customerId: 'c', items: [] }));
    // @ts-expect-error: a string is not an order request
    http().get('/orders/:id', Declared, () => json(200, 'not an order'));
    expectTypeOf<Order['status']>().toEqualTypeOf<'confirmed'>();
  });
});
