import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { requestEvent, sources } from '../test/requests.js';
import { HttpError, type HttpResult, http, json, problem, text } from './index.js';

const Order = z.object({ sku: z.string().min(1), quantity: z.int().positive() });

const app = http()
  .get('/orders/export', () => text(200, 'all orders'))
  .get('/orders/:id', { params: z.object({ id: z.string().regex(/^o-\d+$/) }) }, ({ params }) =>
    json(200, { id: params.id }),
  )
  .get('/orders', { query: z.object({ limit: z.coerce.number().int().max(100).default(10) }) }, ({ query }) =>
    json(200, { limit: query.limit }),
  )
  .post('/orders', { body: Order }, ({ body }) => json(201, { ...body, id: 'o-1' }))
  .delete('/orders/:id', () => undefined);

const call = (handler: (event: unknown, ctx: never) => Promise<HttpResult>, event: unknown) =>
  handler(event, createContext() as never);

const bodyOf = (result: HttpResult) => JSON.parse(result.body) as Record<string, unknown>;

describe.each(sources)('http() on %s', (source) => {
  it('routes by method and path, with path parameters, and answers in the source’s format', async () => {
    const result = await call(app, requestEvent(source, { url: '/orders/o-42' }));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ id: 'o-42' });
    expect(result.headers?.['content-type'] ?? result.multiValueHeaders?.['content-type']?.[0]).toBe(
      'application/json',
    );
    expect(result.isBase64Encoded).toBe(false);
    if (source === 'alb') expect(result.statusDescription).toBe('200 OK');
    else expect(result).not.toHaveProperty('statusDescription');
  });

  it('serves the first route added that matches', async () => {
    const result = await call(app, requestEvent(source, { url: '/orders/export' }));
    expect(result.body).toBe('all orders');
  });

  it('validates the body and answers 201', async () => {
    const body = JSON.stringify({ sku: 'A-1', quantity: 2 });
    const result = await call(app, requestEvent(source, { method: 'POST', url: '/orders', body }));
    expect(result.statusCode).toBe(201);
    expect(bodyOf(result)).toEqual({ sku: 'A-1', quantity: 2, id: 'o-1' });
  });

  it('answers 400 problem details listing every invalid part by JSON Pointer', async () => {
    const body = JSON.stringify({ sku: '', quantity: -1 });
    const result = await call(app, requestEvent(source, { method: 'POST', url: '/orders', body }));
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type'] ?? result.multiValueHeaders?.['content-type']?.[0]).toBe(
      'application/problem+json',
    );
    const problemBody = bodyOf(result);
    expect(problemBody).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
    expect((problemBody.issues as { pointer: string }[]).map((i) => i.pointer)).toEqual([
      '/body/sku',
      '/body/quantity',
    ]);
  });

  it('answers 400 for invalid path parameters and query values, and coerces valid ones', async () => {
    const badParam = await call(app, requestEvent(source, { url: '/orders/nope' }));
    expect(badParam.statusCode).toBe(400);
    expect(bodyOf(badParam).issues).toMatchObject([{ pointer: '/params/id' }]);
    const badQuery = await call(app, requestEvent(source, { url: '/orders?limit=1000' }));
    expect(bodyOf(badQuery).issues).toMatchObject([{ pointer: '/query/limit', code: 'too_big' }]);
    const good = await call(app, requestEvent(source, { url: '/orders?limit=5' }));
    expect(bodyOf(good)).toEqual({ limit: 5 });
    expect(bodyOf(await call(app, requestEvent(source, { url: '/orders' })))).toEqual({ limit: 10 });
  });

  it('answers 400 for a missing or malformed JSON body', async () => {
    const missing = await call(app, requestEvent(source, { method: 'POST', url: '/orders' }));
    expect(bodyOf(missing).issues).toMatchObject([{ pointer: '/body' }]);
    const malformed = await call(app, requestEvent(source, { method: 'POST', url: '/orders', body: '{"sku":' }));
    expect(malformed.statusCode).toBe(400);
    expect(bodyOf(malformed).issues).toMatchObject([{ pointer: '/body' }]);
  });

  it('answers 404 when no route matches, 405 with Allow when the path lacks the method', async () => {
    const none = await call(app, requestEvent(source, { url: '/customers' }));
    expect(none.statusCode).toBe(404);
    expect(bodyOf(none)).toMatchObject({ status: 404, title: 'Not Found' });
    const wrong = await call(app, requestEvent(source, { method: 'PUT', url: '/orders/o-1' }));
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers?.allow ?? wrong.multiValueHeaders?.allow?.[0]).toBe('GET, HEAD, DELETE, OPTIONS');
  });

  it('answers OPTIONS with 204 and Allow, HEAD from the GET route without a body', async () => {
    const options = await call(app, requestEvent(source, { method: 'OPTIONS', url: '/orders' }));
    expect(options.statusCode).toBe(204);
    expect(options.headers?.allow ?? options.multiValueHeaders?.allow?.[0]).toBe('GET, HEAD, POST, OPTIONS');
    const head = await call(app, requestEvent(source, { method: 'HEAD', url: '/orders/o-7' }));
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('answers 204 for a route that returns nothing, and 200 JSON for a plain value', async () => {
    expect((await call(app, requestEvent(source, { method: 'DELETE', url: '/orders/o-1' }))).statusCode).toBe(204);
    const plain = http().get('/ping', () => ({ ok: true }));
    expect(bodyOf(await call(plain, requestEvent(source, { url: '/ping' })))).toEqual({ ok: true });
  });

  it('decodes a base64 body, and answers 400 for one that is not base64', async () => {
    const body = Buffer.from(JSON.stringify({ sku: 'B', quantity: 1 })).toString('base64');
    const ok = await call(app, requestEvent(source, { method: 'POST', url: '/orders', body, base64: true }));
    expect(ok.statusCode).toBe(201);
    const bad = await call(app, requestEvent(source, { method: 'POST', url: '/orders', body: 'a$b=', base64: true }));
    expect(bad.statusCode).toBe(400);
    expect(bodyOf(bad).issues).toMatchObject([{ pointer: '/body', code: 'invalid_base64' }]);
  });

  it('answers 413 for a body over the size limit, text or base64', async () => {
    const small = http({ limits: { maxBodyBytes: 64 } }).post('/orders', { body: Order }, () => undefined);
    const body = JSON.stringify({ sku: 'x'.repeat(100), quantity: 1 });
    const plain = await call(small, requestEvent(source, { method: 'POST', url: '/orders', body }));
    expect(plain.statusCode).toBe(413);
    expect(bodyOf(plain)).toMatchObject({ status: 413, issues: [{ pointer: '/body', code: 'too_large' }] });
    const encoded = Buffer.from(body).toString('base64');
    const b64 = await call(
      small,
      requestEvent(source, { method: 'POST', url: '/orders', body: encoded, base64: true }),
    );
    expect(b64.statusCode).toBe(413);
  });

  it('reads repeated query keys as arrays, decoded, and the request’s cookies', async () => {
    const echo = http().get('/echo', ({ query, cookies, headers }) => ({ query, cookies, agent: headers['x-agent'] }));
    const event = requestEvent(source, {
      url: '/echo?tag=a&tag=b%20c&name=J%C3%BCrgen',
      headers: { 'X-Agent': 'test' },
      cookies: ['session=abc', 'theme=dark'],
      multiValue: true, // an ALB target group without it passes only a repeated key's last value
    });
    expect(bodyOf(await call(echo, event))).toEqual({
      query: { tag: ['a', 'b c'], name: 'Jürgen' },
      cookies: { session: 'abc', theme: 'dark' },
      agent: 'test',
    });
  });

  it('sends a route’s HttpError as its problem, and any other error as the invocation’s', async () => {
    const failing = http()
      .get('/gone', () => {
        throw new HttpError(410, { detail: 'the order was archived' });
      })
      .get('/teapot', () => problem(418, { detail: 'short and stout', headers: { 'retry-after': '5' } }))
      .get('/broken', () => {
        throw new RangeError('bug');
      });
    const gone = await call(failing, requestEvent(source, { url: '/gone' }));
    expect(gone.statusCode).toBe(410);
    expect(bodyOf(gone)).toEqual({ type: 'about:blank', title: 'Gone', status: 410, detail: 'the order was archived' });
    const teapot = await call(failing, requestEvent(source, { url: '/teapot' }));
    expect(teapot.statusCode).toBe(418);
    expect(teapot.headers?.['retry-after'] ?? teapot.multiValueHeaders?.['retry-after']?.[0]).toBe('5');
    await expect(call(failing, requestEvent(source, { url: '/broken' }))).rejects.toThrow(RangeError);
  });
});

describe('many routes', () => {
  it('routes 30 resources the same way past the size where the trie takes over', async () => {
    const many = http();
    for (let i = 0; i < 30; i++) {
      many.get(`/r${i}/:id`, ({ params }) => ({ route: i, id: params.id }));
      many.post(`/r${i}`, () => json(201, { route: i }));
    }
    for (const i of [0, 17, 29]) {
      const got = await call(many, requestEvent('apigw-http', { url: `/r${i}/x%20y` }));
      expect(bodyOf(got)).toEqual({ route: i, id: 'x y' });
      expect((await call(many, requestEvent('alb', { method: 'POST', url: `/r${i}` }))).statusCode).toBe(201);
    }
    const wrong = await call(many, requestEvent('apigw-rest', { method: 'DELETE', url: '/r3/1' }));
    expect(wrong.statusCode).toBe(405);
    expect((await call(many, requestEvent('lambda-url', { url: '/r30/1' }))).statusCode).toBe(404);
  });

  it('answers 400 for a malformed escape in a path parameter or the query', async () => {
    const bad = await call(app, requestEvent('apigw-http', { url: '/orders/%E0%A4%A' }));
    expect(bad.statusCode).toBe(400);
    expect(bodyOf(bad).issues).toMatchObject([{ pointer: '/params/id', code: 'malformed' }]);
    const badQuery = await call(app, requestEvent('apigw-http', { url: '/orders?limit=%ZZ' }));
    expect(bodyOf(badQuery).issues).toMatchObject([{ pointer: '/query/limit', code: 'malformed' }]);
    const long = await call(app, requestEvent('apigw-http', { url: `/orders?${'k'.repeat(5000)}=%ZZ` }));
    expect(long.body.length).toBeLessThan(600);
  });
});
