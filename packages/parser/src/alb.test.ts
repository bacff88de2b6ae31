import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { albEvents } from '../test/catalogue.js';
import { alb } from './alb.js';
import { parseEvent, safeParseEvent } from './parse-event.js';

const Order = z.object({ orderId: z.string(), quantity: z.number() });
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('alb(Body)', () => {
  it('decodes a base64 body from a target group with multi-value headers', () => {
    const event = parseEvent(alb(Order), wire(albEvents[1]));
    expect(event.body).toEqual({ orderId: 'o-6', quantity: 3 });
    expect(event.isBase64Encoded).toBe(true);
    expect(event.multiValueHeaders).toEqual({ 'content-type': ['application/json'] });
    expect(event.headers).toBeUndefined();
  });

  it('decodes UTF-8 text from the base64 body', () => {
    const body = Buffer.from(JSON.stringify({ orderId: 'café ☕', quantity: 1 })).toString('base64');
    expect(parseEvent(alb(Order), { ...wire(albEvents[1]), body }).body.orderId).toBe('café ☕');
  });

  it('hands an empty base64 body to Body as undefined', () => {
    const event = parseEvent(alb(Order.optional()), { ...wire(albEvents[1]), body: '' });
    expect(event.body).toBeUndefined();
  });

  it('reports invalid base64 at body, and a decoded body failing Body at its path', () => {
    const bad = safeParseEvent(alb(Order), { ...wire(albEvents[1]), body: 'eyJvcmRlcklkIjoib' });
    expect(!bad.success && bad.error).toMatchObject({
      source: 'alb',
      issues: [{ path: ['body'], reason: 'invalid_base64' }],
    });
    const body = Buffer.from(JSON.stringify({ orderId: 'o-6' })).toString('base64');
    const wrong = safeParseEvent(alb(Order), { ...wire(albEvents[1]), body });
    expect(!wrong.success && wrong.error.paths).toEqual(['body.quantity']);
  });

  it('does not base64-decode a body sent with isBase64Encoded false', () => {
    const body = Buffer.from(JSON.stringify({ orderId: 'o-6', quantity: 3 })).toString('base64');
    const result = safeParseEvent(alb(Order), { ...wire(albEvents[0]), body });
    expect(!result.success && result.error.issues[0]?.reason).toBe('invalid_json');
  });
});
