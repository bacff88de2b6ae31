import { createContext } from '@lambdakit/testing';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import * as z from 'zod';
import { requestEvent, sources } from '../test/requests.js';
import { http, json } from './index.js';

const app = http({ limits: { maxBodyBytes: 2048, maxDepth: 8 } })
  .get(
    '/orders/:id',
    { params: z.object({ id: z.string().max(20) }), query: z.object({ n: z.coerce.number().optional() }) },
    ({ params }) => json(200, params),
  )
  .post(
    '/orders',
    { body: z.object({ sku: z.string() }), headers: z.object({ 'x-key': z.string().optional() }) },
    ({ body }) => json(201, body),
  );

const segment = fc.string({
  unit: fc.constantFrom('a', '%', '2', 'F', '/', '~', 'é', ' ', '+', '?', '#', 'E', '0'),
  maxLength: 12,
});

// Whatever a client sends, the app answers with a status (never throws, never a 500): the
// request's parts are untrusted input.
it('answers any path, query, header and body with a 2xx or 4xx', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...sources),
      fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'OPTIONS', 'DELETE'),
      fc.array(segment, { maxLength: 4 }),
      fc.array(fc.tuple(segment, segment), { maxLength: 4 }),
      fc.option(fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 12 })), { nil: undefined }),
      fc.boolean(),
      async (source, method, path, query, body, base64) => {
        const url = `/${path.join('/')}${query.length === 0 ? '' : `?${query.map(([k, v]) => `${k}=${v}`).join('&')}`}`;
        const encoded = body !== undefined && base64 ? Buffer.from(body).toString('base64') : body;
        const event = requestEvent(source, {
          method,
          url,
          body: encoded,
          base64,
          headers: { 'X-Key': 'k', Origin: 'x' },
        });
        const result = await app(event, createContext() as never);
        expect(result.statusCode).toBeGreaterThanOrEqual(200);
        expect(result.statusCode).toBeLessThan(500);
        if (result.statusCode >= 400 && method !== 'HEAD')
          expect(JSON.parse(result.body)).toMatchObject({ status: result.statusCode });
      },
    ),
    { numRuns: 300 },
  );
});
