import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { snsBody, snsEvents, sqsEvents } from '../test/catalogue.js';
import { parseEvent, safeParseEvent } from './parse-event.js';
import { sns } from './sns.js';
import { snsInSqs } from './sns-in-sqs.js';
import { sqs } from './sqs.js';

const Order = z.object({ orderId: z.string(), quantity: z.number().int().positive() });
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('sqs(Body)', () => {
  const schema = sqs(Order);

  it('returns the whole event with each record’s body parsed and validated', () => {
    const event = parseEvent(schema, wire(sqsEvents[1]));
    expect(event.Records.map((record) => record.body)).toEqual([
      { orderId: 'o-2', quantity: 1 },
      { orderId: 'o-3', quantity: 5 },
    ]);
    expect(event.Records[0]?.attributes.MessageGroupId).toBe('1');
    expect(event.Records[0]?.messageAttributes.tenant?.stringValue).toBe('acme');
  });

  it('reports a body that is not JSON at the body’s path, without quoting it', () => {
    const event = wire(sqsEvents[0]) as { Records: { body: string }[] };
    event.Records[0]!.body = '{"orderId": "secret-token",';
    const result = safeParseEvent(schema, event);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues).toEqual([
      { path: ['Records', 0, 'body'], code: 'custom', message: 'Invalid JSON', reason: 'invalid_json' },
    ]);
    expect(result.error.message).not.toContain('secret-token');
    expect(result.error.source).toBe('sqs');
  });

  it('reports a body that fails the schema with the path inside the body', () => {
    const event = wire(sqsEvents[1]) as { Records: { body: string }[] };
    event.Records[1]!.body = JSON.stringify({ orderId: 'o-3', quantity: -1 });
    const result = safeParseEvent(schema, event);
    expect(!result.success && result.error.paths).toEqual(['Records[1].body.quantity']);
    expect(!result.success && result.error.recordIndex).toBe(1);
  });

  it('refuses a body over the size limit before parsing it', () => {
    const small = sqs(Order, { limits: { maxBodyBytes: 16 } });
    const result = safeParseEvent(small, wire(sqsEvents[0]));
    expect(!result.success && result.error.issues[0]?.reason).toBe('too_large');
  });

  it('counts the size in UTF-8 bytes, not characters', () => {
    const Text = z.object({ t: z.string() });
    const body = JSON.stringify({ t: 'é'.repeat(20) }); // 28 characters, 48 bytes
    const event = wire(sqsEvents[0]) as { Records: { body: string }[] };
    event.Records[0]!.body = body;
    expect(safeParseEvent(sqs(Text, { limits: { maxBodyBytes: 47 } }), event).success).toBe(false);
    expect(safeParseEvent(sqs(Text, { limits: { maxBodyBytes: 48 } }), event).success).toBe(true);
  });

  it('refuses JSON nested deeper than the depth limit', () => {
    const event = wire(sqsEvents[0]) as { Records: { body: string }[] };
    event.Records[0]!.body = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const result = safeParseEvent(sqs(z.unknown()), event);
    expect(!result.success && result.error.issues[0]?.reason).toBe('too_deep');
    event.Records[0]!.body = JSON.stringify({ a: '[[[[[[[[[[[[[[[[[[[[' });
    expect(safeParseEvent(sqs(z.unknown(), { limits: { maxDepth: 2 } }), event).success).toBe(true);
  });

  it('refuses a JSON body exactly when its nesting exceeds the depth limit, brackets in strings not counting', () => {
    const depthOf = (value: unknown): number =>
      value !== null && typeof value === 'object'
        ? 1 + Math.max(0, ...Object.values(value as Record<string, unknown>).map(depthOf))
        : 0;
    const event = wire(sqsEvents[0]) as { Records: { body: string }[] };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 1, max: 5 }), (value, maxDepth) => {
        event.Records[0]!.body = JSON.stringify(value);
        const accepted = safeParseEvent(sqs(z.unknown(), { limits: { maxDepth } }), event).success;
        expect(accepted).toBe(depthOf(value) <= maxDepth);
      }),
    );
  });

  it('never lets __proto__ or constructor keys reach a prototype', () => {
    const event = wire(sqsEvents[0]) as { Records: { body: string }[] };
    event.Records[0]!.body =
      '{"orderId":"o-1","quantity":1,"__proto__":{"polluted":true},"\\u005f_proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
    const loose = parseEvent(sqs(z.record(z.string(), z.unknown())), event);
    const body = loose.Records[0]!.body;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect((body as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const copy = Object.assign({}, body);
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    const typed = parseEvent(sqs(Order), event).Records[0]!.body;
    expect(Object.getPrototypeOf(typed)).toBe(Object.prototype);
  });

  it('rejects invalid limits when the schema is built, with a TypeError naming the door and the limit', () => {
    expect(() => sqs(Order, { limits: { maxBodyBytes: 0 } })).toThrow(
      new TypeError('sqs({ limits }): expected limits.maxBodyBytes to be a positive integer, got 0'),
    );
    expect(() => sqs(Order, { limits: { maxDepth: 1.5 } })).toThrow(
      new TypeError('sqs({ limits }): expected limits.maxDepth to be a positive integer, got 1.5'),
    );
  });
});

describe('sns(Message)', () => {
  it('parses each Sns.Message and keeps the rest of the record', () => {
    const event = parseEvent(sns(Order), wire(snsEvents[1]));
    expect(event.Records[0]?.Sns.Message).toEqual({ orderId: 'o-4', quantity: 9 });
    expect(event.Records[0]?.Sns.Subject).toBeNull();
  });

  it('rejects an SQS event', () => {
    expect(safeParseEvent(sns(Order), wire(sqsEvents[0])).success).toBe(false);
  });
});

describe('snsInSqs(Message)', () => {
  it('parses the SNS notification in each SQS body, then its Message', () => {
    const event = parseEvent(snsInSqs(Order), wire(sqsEvents[2]));
    expect(event.Records[0]?.body.TopicArn).toBe(snsBody.TopicArn);
    expect(event.Records[0]?.body.Message).toEqual({ orderId: 'o-2', quantity: 3 });
  });

  it('rejects an SQS body that is not an SNS notification', () => {
    const result = safeParseEvent(snsInSqs(Order), wire(sqsEvents[0]));
    expect(!result.success && result.error.paths).toContain('Records[0].body.TopicArn');
  });

  it('reports a Message that fails the schema with the full path', () => {
    const event = wire(sqsEvents[2]) as { Records: { body: string }[] };
    event.Records[0]!.body = JSON.stringify({ ...snsBody, Message: JSON.stringify({ orderId: 5 }) });
    const result = safeParseEvent(snsInSqs(Order), event);
    expect(!result.success && result.error.paths).toEqual([
      'Records[0].body.Message.orderId',
      'Records[0].body.Message.quantity',
    ]);
  });
});
