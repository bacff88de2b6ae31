import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { albEvents, apigwHttpEvents, apigwRestEvents, lambdaUrlEvents } from '../test/catalogue.js';
import { alb } from './alb.js';
import { apigwHttp } from './apigw-http.js';
import { apigwRest } from './apigw-rest.js';
import { lambdaUrl } from './lambda-url.js';
import { parseEvent, safeParseEvent } from './parse-event.js';

const Order = z.object({ orderId: z.string(), quantity: z.number() });
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe.each([
  ['apigwRest', apigwRest, apigwRestEvents],
  ['apigwHttp', apigwHttp, apigwHttpEvents],
  ['lambdaUrl', lambdaUrl, lambdaUrlEvents],
  ['alb', alb, albEvents],
] as const)('%s(Body)', (_, helper, fixtures) => {
  const schema = helper(Order);

  it('parses a JSON body', () => {
    const event = parseEvent(schema, wire(fixtures[0]));
    expect(event.body).toEqual({ orderId: 'o-1', quantity: 2 });
  });

  it('decodes a base64 body first when isBase64Encoded is true', () => {
    const encoded = fixtures.find((event) => event.isBase64Encoded)!;
    const event = parseEvent(schema, wire(encoded));
    expect(event.body).toMatchObject({ orderId: expect.any(String) });
    expect(event.isBase64Encoded).toBe(true);
  });

  it('rejects invalid base64 as an issue at body', () => {
    const result = safeParseEvent(schema, { ...wire(fixtures[0]), body: '***', isBase64Encoded: true });
    expect(!result.success && result.error.issues[0]).toMatchObject({ path: ['body'], reason: 'invalid_base64' });
  });

  it('passes a missing body to Body as undefined', () => {
    const event = { ...wire(fixtures[0]) } as Record<string, unknown>;
    delete event.body;
    expect(safeParseEvent(schema, event).success).toBe(false);
    expect(parseEvent(helper(Order.optional()), event).body).toBeUndefined();
  });

  it('reports a body field of the wrong type at its path', () => {
    const result = safeParseEvent(schema, { ...wire(fixtures[0]), body: JSON.stringify({ orderId: 1, quantity: 2 }) });
    expect(!result.success && result.error.paths).toEqual(['body.orderId']);
  });

  it('limits a base64 body by its decoded size', () => {
    const big = {
      ...wire(fixtures[0]),
      body: Buffer.from(JSON.stringify({ orderId: 'x'.repeat(200), quantity: 1 })).toString('base64'),
      isBase64Encoded: true,
    };
    const result = safeParseEvent(helper(Order, { limits: { maxBodyBytes: 100 } }), big);
    expect(!result.success && result.error.issues[0]?.reason).toBe('too_large');
  });
});

describe('apigwRest(Body)', () => {
  it('handles null headers and body of a GET with a Lambda authorizer', () => {
    const event = parseEvent(apigwRest(z.undefined()), wire(apigwRestEvents[2]));
    expect(event.headers).toBeNull();
    expect(event.body).toBeUndefined();
    expect(event.requestContext.authorizer?.principalId).toBe('user|a1b2c3d4');
  });
});
