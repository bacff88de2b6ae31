import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { apigwHttpEvents, sqsEvents } from '../test/catalogue.js';
import { apigwHttp } from './apigw-http.js';
import { ParseError, parseError } from './parse-error.js';
import { safeParseEvent } from './parse-event.js';
import { MAX_PROBLEM_ISSUES, problemDetails, problemResponse } from './problem-details.js';
import { sqs } from './sqs.js';

const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const megabyteKey = 'k'.repeat(1024 * 1024);
const request = (body: unknown) => ({ ...wire(apigwHttpEvents[0]), body: JSON.stringify(body) });
const failure = (schema: z.ZodType, input: unknown): ParseError => {
  const result = safeParseEvent(schema, input);
  if (result.success) throw new Error('expected a failure');
  return result.error;
};
// A lone high or low surrogate: what cutting a string in the middle of a pair leaves.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('errors for large and hostile input', () => {
  it('cuts a 1 MB key in an issue path, in the error and in the 400 response', () => {
    const error = failure(apigwHttp(z.record(z.string(), z.number())), request({ [megabyteKey]: 'x' }));
    const [issue] = error.issues;
    expect(issue?.path).toEqual(['body', `${'k'.repeat(63)}…`]);
    expect(error.message.length).toBeLessThan(400);
    expect(error.paths[0]).toBe(`body.${'k'.repeat(63)}…`);
    const response = problemResponse(error);
    expect(response.body.length).toBeLessThan(1024);
    expect(JSON.parse(response.body).issues[0].pointer).toBe(`/body/${'k'.repeat(63)}…`);
  });

  it('cuts a message that quotes a 1 MB unknown key (strictObject)', () => {
    const error = failure(
      apigwHttp(z.strictObject({ orderId: z.string() })),
      request({ orderId: 'o', [megabyteKey]: 1 }),
    );
    expect(error.issues[0]).toMatchObject({ path: ['body'], code: 'unrecognized_keys' });
    expect(error.issues[0]?.message).toHaveLength(200);
    expect(error.issues[0]?.message.endsWith('…')).toBe(true);
    expect(error.message.length).toBeLessThan(400);
    expect(problemResponse(error).body.length).toBeLessThan(1024);
  });

  it('keeps every issue of a body with 10,000 bad fields, but lists 3 in the message and 20 in the response', () => {
    const body = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`field-${i}-${'x'.repeat(100)}`, 'x']));
    const error = failure(apigwHttp(z.record(z.string(), z.number())), request(body));
    expect(error.issues).toHaveLength(10_000);
    expect(error.message).toMatch(/\(\+9997 more\)$/);
    expect(error.message.length).toBeLessThan(1024);
    const details = problemDetails(error);
    expect(details.issues).toHaveLength(MAX_PROBLEM_ISSUES);
    expect(details.detail).toBe('The request is invalid: 10000 issues.');
    expect(problemResponse(error).body.length).toBeLessThan(MAX_PROBLEM_ISSUES * 200);
  });

  it('bounds a path made of many long keys, in paths and pointers', () => {
    let Deep: z.ZodType = z.number();
    let value: unknown = 'x';
    for (let i = 0; i < 20; i++) {
      const key = `${i}${'y'.repeat(300)}`;
      Deep = z.object({ [key]: Deep });
      value = { [key]: value };
    }
    const error = failure(apigwHttp(Deep), request(value));
    expect(error.issues[0]?.path).toHaveLength(21);
    expect(error.paths[0]!.length).toBeLessThanOrEqual(256);
    expect(error.paths[0]!.endsWith('…')).toBe(true);
    const pointer = problemDetails(error).issues[0]!.pointer;
    expect(pointer.length).toBeLessThanOrEqual(256);
    expect(pointer.endsWith('…')).toBe(true);
  });

  it('never cuts a key in the middle of a surrogate pair', () => {
    for (const pad of ['', 'a']) {
      const key = pad + '😀'.repeat(100);
      const error = failure(sqs(z.record(z.string(), z.number())), {
        Records: [{ ...wire(sqsEvents[0]!.Records[0]), body: JSON.stringify({ [key]: 'x' }) }],
      });
      const segment = error.issues[0]!.path.at(-1) as string;
      expect(segment.length).toBeLessThanOrEqual(64);
      expect(segment).not.toMatch(loneSurrogate);
      expect(JSON.stringify(problemDetails(error))).not.toMatch(/\\ud[89ab]/);
    }
  });

  it('bounds the message and issues of a ParseError built by parseError', () => {
    const error = parseError({ issues: [{ path: [megabyteKey], code: 'custom', message: megabyteKey }] });
    expect(error.issues[0]?.path[0]).toHaveLength(64);
    expect(error.issues[0]?.message).toHaveLength(200);
    expect(error.message.length).toBeLessThan(400);
  });

  it('bounds the issues of a ParseError built by hand, too', () => {
    const issues = [{ path: [megabyteKey], code: 'custom', message: megabyteKey }];
    const error = new ParseError('PARSER_INVALID_EVENT', 'Invalid event', { issues });
    expect(error.issues[0]?.path[0]).toHaveLength(64);
    expect(error.issues[0]?.message).toHaveLength(200);
  });

  it('leaves short paths and messages as they are', () => {
    const error = failure(apigwHttp(z.object({ orderId: z.string() })), request({ orderId: 1 }));
    expect(error.issues).toEqual([
      { path: ['body', 'orderId'], code: 'invalid_type', message: 'Invalid input: expected string, received number' },
    ]);
    expect(error.message).toBe(
      'Invalid apigw-http event: body.orderId: Invalid input: expected string, received number',
    );
  });
});
