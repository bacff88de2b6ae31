import { createContext } from '@lambdakit/testing';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { requestEvent } from '../test/requests.js';
import { http, json, problem } from './index.js';
import { openApiPaths } from './openapi.js';

const Order = z.object({ id: z.string(), sku: z.string().min(1), quantity: z.int().positive() });
const NewOrder = Order.omit({ id: true });

const app = http()
  .get(
    '/orders',
    {
      summary: 'List orders',
      tags: ['orders'],
      query: z.object({
        limit: z.coerce.number().int().max(100).default(20),
        status: z.enum(['open', 'shipped']).optional(),
      }),
      responses: { 200: z.array(Order) },
    },
    () => json(200, []),
  )
  .get(
    '/orders/:id',
    { params: z.object({ id: z.string().min(3) }), responses: { 200: Order, 404: undefined } },
    ({ params }) => (params.id === 'o-1' ? json(200, { id: 'o-1', sku: 'A', quantity: 1 }) : problem(404)),
  )
  .post(
    '/orders',
    { headers: z.object({ 'idempotency-key': z.string().optional() }), body: NewOrder, responses: { 201: Order } },
    ({ body }) => json(201, { ...body, id: 'o-2' }),
  )
  .delete('/orders/:id', { claims: z.object({ sub: z.string() }) }, () => undefined)
  .get('/files/:name?', () => undefined)
  .get('/posts/:id{[0-9]+}', () => undefined)
  .get('/static/*', () => undefined);

describe('app.openapi()', () => {
  const document = app.openapi({ title: 'Orders', version: '1.0.0', servers: [{ url: 'https://api.example.com' }] });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(document) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('writes each route’s parameters, body and responses from its schemas', () => {
    const list = document.paths['/orders']!.get as Record<string, any>;
    expect(list).toMatchObject({ operationId: 'getOrders', summary: 'List orders', tags: ['orders'] });
    expect(list.parameters).toEqual([
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ type: 'integer', maximum: 100, default: 20 }),
      },
      { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['open', 'shipped'] } },
    ]);
    expect(list.responses['200'].content['application/json'].schema).toMatchObject({ type: 'array' });
    expect(list.responses['400']).toEqual({ $ref: '#/components/responses/BadRequest' });
    const create = document.paths['/orders']!.post as Record<string, any>;
    expect(create.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { required: ['sku', 'quantity'] } } },
    });
    expect(create.parameters).toEqual([
      { name: 'idempotency-key', in: 'header', required: false, schema: { type: 'string' } },
    ]);
    expect(Object.keys(create.responses)).toEqual(['201', '400', '413']);
    const get = document.paths['/orders/{id}']!.get as Record<string, any>;
    expect(get.operationId).toBe('getOrdersById');
    expect(get.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 3 } },
    ]);
    expect(get.responses['404']).toEqual({ description: 'Not Found' });
    const del = document.paths['/orders/{id}']!.delete as Record<string, any>;
    expect(del.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    expect(del.responses).toEqual({
      default: { description: 'The route’s response' },
      '401': { $ref: '#/components/responses/Unauthorized' },
      '403': { $ref: '#/components/responses/Forbidden' },
    });
  });

  it('writes optional parameters as two paths, a regex as a pattern, and leaves wildcards out', () => {
    expect(Object.keys(document.paths)).toEqual(['/orders', '/orders/{id}', '/files', '/files/{name}', '/posts/{id}']);
    expect((document.paths['/posts/{id}']!.get as any).parameters[0].schema).toEqual({
      type: 'string',
      pattern: '^(?:[0-9]+)$',
    });
    expect(openApiPaths('/static/*')).toBeUndefined();
    expect(openApiPaths('/')).toEqual([{ path: '/', names: [] }]);
  });

  it('refuses info without a title or version', () => {
    expect(() => app.openapi({ title: 'x' } as never)).toThrow(/info.title and info.version/);
  });
});

describe('declared responses', () => {
  it('are checked at run time with checkResponses', async () => {
    const checked = http({ checkResponses: true })
      .get('/ok', { responses: { 200: Order } }, () => json(200, { id: 'o', sku: 'A', quantity: 1 }))
      .get('/wrong', { responses: { 200: Order } }, () => json(200, { id: 'o', sku: '', quantity: 1 }))
      .get('/undeclared', { responses: { 200: Order } }, () => json(202 as 200, { id: 'o', sku: 'A', quantity: 1 }))
      .get('/problem', { responses: { 200: Order } }, () => problem(409));
    const call = (url: string) => checked(requestEvent('apigw-http', { url }), createContext() as never);
    expect((await call('/ok')).statusCode).toBe(200);
    await expect(call('/wrong')).rejects.toThrow(/GET \/wrong answered 200 with a body its schema refuses: sku/);
    await expect(call('/undeclared')).rejects.toThrow(/answered 202, which its responses do not declare/);
    expect((await call('/problem')).statusCode).toBe(409);
  });

  it('are refused when malformed, when the route is added', () => {
    expect(() => http().get('/x', { responses: { 99: Order } }, () => undefined as never)).toThrow(
      /not an HTTP status/,
    );
    expect(() => http().get('/x', { responses: { 200: 'no' as never } }, () => undefined as never)).toThrow(
      /must be a zod schema/,
    );
    expect(() => http().get('/x', { tags: 'a' as never }, () => undefined)).toThrow(/tags must be a list/);
  });
});
