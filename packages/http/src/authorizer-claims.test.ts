import { lambda } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { requestEvent } from '../test/requests.js';
import { type HttpResult, http, json } from './index.js';

const Claims = z.object({ sub: z.string(), scope: z.string().regex(/\borders:write\b/) });
const base = lambda();
const handler = base.handle(
  http(base).post('/orders', { claims: Claims, body: z.object({}) }, (_request, ctx) =>
    json(201, { by: ctx.claims.sub }),
  ),
);

/** A POST /orders whose requestContext carries `authorizer`. */
function authorized(source: 'apigw-http' | 'apigw-rest', authorizer: unknown) {
  const event = requestEvent(source, { method: 'POST', url: '/orders', body: '{}' });
  (event.requestContext as Record<string, unknown>).authorizer = authorizer;
  return event;
}
const call = (event: unknown) => handler(event, createContext()) as Promise<HttpResult>;
const claims = { sub: 'user-1', scope: 'orders:read orders:write', iss: 'https://issuer.example' };

describe('claims from the authorizer', () => {
  it.each([
    ['an HTTP API JWT authorizer', 'apigw-http', { jwt: { claims, scopes: null } }],
    ['an HTTP API Lambda authorizer', 'apigw-http', { lambda: claims }],
    ['a REST API Cognito authorizer', 'apigw-rest', { claims }],
    ['a REST API Lambda authorizer', 'apigw-rest', { principalId: 'user-1', integrationLatency: 3, ...claims }],
  ] as const)('reads them from %s and gives them to the route as ctx.claims', async (_name, source, authorizer) => {
    const result = await call(authorized(source, authorizer));
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body)).toEqual({ by: 'user-1' });
  });

  it('answers 401 when no authorizer context reached the function', async () => {
    const result = await call(requestEvent('lambda-url', { method: 'POST', url: '/orders', body: '{}' }));
    expect(result.statusCode).toBe(401);
    expect(result.headers?.['www-authenticate']).toBe('Bearer');
  });

  it('answers 403 naming the claim the route needs, before reading the body', async () => {
    const event = authorized('apigw-http', { jwt: { claims: { sub: 'user-2', scope: 'orders:read' } } });
    event.body = '{not json';
    const result = await call(event);
    expect(result.statusCode).toBe(403);
    expect(JSON.parse(result.body).issues).toEqual([
      expect.objectContaining({ pointer: '/claims/scope', code: 'invalid_format' }),
    ]);
  });
});
