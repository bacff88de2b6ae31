import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { lambdaUrlEvents } from '../test/catalogue.js';
import { lambdaUrl } from './lambda-url.js';
import { parseEvent, safeParseEvent } from './parse-event.js';
import { problemResponse } from './problem-details.js';

const Order = z.object({ orderId: z.string(), quantity: z.number() });
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('lambdaUrl(Body)', () => {
  it('parses the JSON body of a request with auth type NONE', () => {
    const event = parseEvent(lambdaUrl(Order), wire(lambdaUrlEvents[0]));
    expect(event.body).toEqual({ orderId: 'o-1', quantity: 2 });
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.requestContext.routeKey).toBe('$default');
  });

  it('decodes the base64 body of an AWS_IAM request and keeps its IAM caller', () => {
    const event = parseEvent(lambdaUrl(Order), wire(lambdaUrlEvents[1]));
    expect(event.body).toEqual({ orderId: 'o-7', quantity: 8 });
    expect(event.isBase64Encoded).toBe(true);
    expect(event.cookies).toEqual(['cookie1', 'cookie2']);
    expect(event.requestContext.authorizer?.iam?.userArn).toBe('arn:aws:iam::111122223333:user/example-user');
  });

  it('reports a body failing Body at its path, as a function URL failure', () => {
    const event = { ...wire(lambdaUrlEvents[0]), body: JSON.stringify({ orderId: 'o-1' }) };
    const result = safeParseEvent(lambdaUrl(Order), event);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.source).toBe('lambda-url');
    expect(result.error.paths).toEqual(['body.quantity']);
    expect(problemResponse(result.error)).not.toHaveProperty('statusDescription');
  });

  it('rejects invalid base64 as an issue at body', () => {
    const event = { ...wire(lambdaUrlEvents[1]), body: 'not base64!' };
    const result = safeParseEvent(lambdaUrl(Order), event);
    expect(!result.success && result.error.issues).toEqual([
      { path: ['body'], code: 'custom', message: 'Invalid base64', reason: 'invalid_base64' },
    ]);
  });

  it('decodes a multi-megabyte base64 body without throwing', () => {
    const body = Buffer.from(JSON.stringify({ orderId: 'x'.repeat(4 * 1024 * 1024), quantity: 1 })).toString('base64');
    const event = parseEvent(lambdaUrl(Order), { ...wire(lambdaUrlEvents[1]), body });
    expect(event.body.orderId).toHaveLength(4 * 1024 * 1024);
  });
});
