import { LambdakitError } from '@lambdakit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { catalogue as fixtures, sqsEvents } from '../test/catalogue.js';
import { alb } from './alb.js';
import { apigwHttp } from './apigw-http.js';
import { apigwRest } from './apigw-rest.js';
import { cloudwatchLogs } from './cloudwatch-logs.js';
import { dynamodbStream } from './dynamodb-stream.js';
import { eventbridge } from './eventbridge.js';
import { events } from './events.js';
import { firehose } from './firehose.js';
import { kinesis } from './kinesis.js';
import { lambdaUrl } from './lambda-url.js';
import { ParseError } from './parse-error.js';
import { parseEvent, type SafeParseEventResult, safeParseEvent } from './parse-event.js';
import { s3 } from './s3.js';
import { sns } from './sns.js';
import { snsInSqs } from './sns-in-sqs.js';
import { sqs } from './sqs.js';

const Order = z.object({ orderId: z.string() });
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('parseEvent(schema, input)', () => {
  it('returns the typed event', () => {
    expect(parseEvent(events.sqs, wire(sqsEvents[0])).Records[0]?.messageId).toBe(
      '059f36b4-87a3-44ab-83d2-661975830a7d',
    );
  });

  it('throws a ParseError, a LambdakitError with code PARSER_INVALID_EVENT', () => {
    const error = (() => {
      try {
        parseEvent(events.sqs, {});
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toBeInstanceOf(LambdakitError);
    expect(error).toMatchObject({
      name: 'ParseError',
      code: 'PARSER_INVALID_EVENT',
      source: 'sqs',
      recordIndex: undefined,
    });
    expect((error as ParseError).message).toBe(
      'Invalid sqs event: Records: Invalid input: expected array, received undefined',
    );
  });

  it('works with any zod schema, without a source', () => {
    const result = safeParseEvent(z.object({ id: z.string() }), { id: 1 });
    expect(!result.success && result.error).toMatchObject({
      source: undefined,
      issues: [{ path: ['id'], code: 'invalid_type' }],
    });
  });

  it('turns a schema that throws into a ParseError, keeping the thrown error as cause', () => {
    const boom = new Error('bug in a refinement');
    const schema = z.string().refine(() => {
      throw boom;
    });
    const result = safeParseEvent(schema, 'x');
    expect(!result.success && result.error.cause).toBe(boom);
    expect(!result.success && result.error.issues[0]?.code).toBe('exception');
  });

  it('turns an async schema used synchronously into a ParseError', () => {
    const result = safeParseEvent(
      z.string().refine(async () => true),
      'x',
    );
    expect(result.success).toBe(false);
  });

  it('lists at most three issues in the message and counts the rest', () => {
    const result = safeParseEvent(
      z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string(), e: z.string() }),
      {},
    );
    expect(!result.success && result.error.message).toMatch(/\(\+2 more\)$/);
    expect(!result.success && result.error.issues).toHaveLength(5);
  });
});

/**
 * A result is either success or a failure made only of validation issues: safeParseEvent turns a
 * schema that throws into a ParseError too, so "never throws" alone would pass a crashing schema.
 */
const expectReportedNotCrashed = (result: SafeParseEventResult<unknown>) => {
  if (result.success) return;
  expect(result.error).toBeInstanceOf(ParseError);
  expect(result.error.issues.length).toBeGreaterThan(0);
  const crashes = result.error.issues.filter((issue) => issue.code === 'exception');
  expect(crashes, `the schema threw: ${String(result.error.cause)}`).toEqual([]);
};

describe('hostile input', () => {
  const schemas = [
    ...Object.values(events),
    sqs(Order),
    snsInSqs(Order),
    sns(Order),
    kinesis(Order),
    firehose(Order),
    dynamodbStream(Order),
    cloudwatchLogs(Order),
    cloudwatchLogs(),
    apigwRest(Order),
    apigwHttp(Order),
    alb(Order),
    lambdaUrl(Order),
    eventbridge(Order),
    s3(),
  ];

  it('tells a schema that crashed from one that reported issues', () => {
    const crashing = z.string().refine(() => {
      throw new TypeError('bug');
    });
    expect(() => expectReportedNotCrashed(safeParseEvent(crashing, 'x'))).toThrow(/the schema threw/);
    expect(() => expectReportedNotCrashed(safeParseEvent(z.string(), 1))).not.toThrow();
  });

  it('no input makes safeParseEvent throw, for any schema', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        fc.nat(schemas.length - 1),
        (input, i) => {
          expectReportedNotCrashed(safeParseEvent(schemas[i]!, input));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('no mutation of a valid event makes safeParseEvent throw', () => {
    const all = Object.entries(fixtures).flatMap(([source, list]) => list.map((event) => [source, event] as const));
    const mutate = (value: unknown, replacement: unknown, at: number): unknown => {
      if (value === null || typeof value !== 'object') return replacement;
      const entries = Object.entries(value);
      if (entries.length === 0) return replacement;
      const [key, child] = entries[at % entries.length]!;
      const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>;
      copy[key] = at % 3 === 0 ? replacement : mutate(child, replacement, Math.floor(at / 3));
      return copy;
    };
    fc.assert(
      fc.property(fc.nat(all.length - 1), fc.anything(), fc.nat(), (i, replacement, at) => {
        const [source, event] = all[i]!;
        expectReportedNotCrashed(
          safeParseEvent(events[source as keyof typeof events], mutate(wire(event), replacement, at)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary strings as payloads are reported, never thrown', () => {
    const base = wire(sqsEvents[0]) as { Records: { body: string }[] };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (body) => {
        base.Records[0]!.body = body;
        expectReportedNotCrashed(safeParseEvent(sqs(z.unknown()), base));
      }),
    );
  });

  it('arbitrary HTTP bodies, marked base64 or not, are reported, never crash', () => {
    const base = wire(fixtures['lambda-url'][0]) as Record<string, unknown>;
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.base64String()), fc.boolean(), (body, isBase64Encoded) => {
        const event = { ...base, body, isBase64Encoded };
        expectReportedNotCrashed(safeParseEvent(lambdaUrl(z.unknown()), event));
        expectReportedNotCrashed(safeParseEvent(events['lambda-url'], event));
      }),
    );
  });
});
