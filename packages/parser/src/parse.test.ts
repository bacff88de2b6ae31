import { lambda } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { albEvents, apigwHttpEvents, apigwRestEvents, sqsEvents } from '../test/catalogue.js';
import { alb } from './alb.js';
import { apigwHttp } from './apigw-http.js';
import { apigwRest } from './apigw-rest.js';
import { events } from './events.js';
import { type ParseOptions, parse } from './parse.js';
import { ParseError } from './parse-error.js';
import { MAX_PROBLEM_ISSUES } from './problem-details.js';
import { sqs } from './sqs.js';

const Order = z.object({ orderId: z.string(), quantity: z.number().int().positive() });
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('parse(schema) middleware', () => {
  it('hands the handler the parsed event', async () => {
    const handler = lambda()
      .use(parse(sqs(Order)))
      .handle(async (event) => event.Records.map((record) => record.body.orderId));
    await expect(handler(wire(sqsEvents[1]), createContext())).resolves.toEqual(['o-2', 'o-3']);
  });

  it('throws the ParseError for a non-HTTP source, so Lambda retries and the DLQ apply', async () => {
    let called = false;
    const handler = lambda()
      .use(parse(events.sqs))
      .handle(async () => {
        called = true;
      });
    await expect(handler({ Records: [{}] }, createContext())).rejects.toBeInstanceOf(ParseError);
    expect(called).toBe(false);
  });

  it('answers an invalid HTTP API request with a 400 problem details response', async () => {
    let called = false;
    const handler = lambda()
      .use(parse(apigwHttp(Order)))
      .handle(async (event) => {
        called = true;
        return { statusCode: 201, body: event.body.orderId };
      });
    const event = {
      ...wire(apigwHttpEvents[0]),
      body: JSON.stringify({ orderId: 7, quantity: 0, password: 'hunter2' }),
    };
    const response = await handler(event, createContext());
    expect(called).toBe(false);
    expect(response).toMatchObject({
      statusCode: 400,
      headers: { 'content-type': 'application/problem+json' },
      isBase64Encoded: false,
    });
    const body = JSON.parse((response as { body: string }).body);
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is invalid: 2 issues.',
      issues: [
        { pointer: '/body/orderId', code: 'invalid_type', message: expect.any(String) },
        { pointer: '/body/quantity', code: 'too_small', message: expect.any(String) },
      ],
    });
    expect((response as { body: string }).body).not.toMatch(/hunter2|at .*\.ts/);
    expect(response).not.toHaveProperty('statusDescription');
  });

  it('answers a request whose body is not JSON with a 400, not a crash', async () => {
    const handler = lambda()
      .use(parse(apigwRest(Order)))
      .handle(async () => ({ statusCode: 200, body: '' }));
    const response = await handler({ ...wire(apigwRestEvents[0]), body: '{"orderId":' }, createContext());
    expect(response).toMatchObject({ statusCode: 400 });
    expect(JSON.parse((response as { body: string }).body).issues).toEqual([
      { pointer: '/body', code: 'custom', message: 'Invalid JSON' },
    ]);
  });

  it('adds the status description an ALB expects', async () => {
    const handler = lambda()
      .use(parse(alb(Order)))
      .handle(async () => ({ statusCode: 200, body: '' }));
    const response = await handler({ ...wire(albEvents[0]), body: '{}' }, createContext());
    expect(response).toMatchObject({ statusCode: 400, statusDescription: '400 Bad Request' });
  });

  it('caps the issues listed in a problem response', async () => {
    const Wide = z.object(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, z.string()])));
    const handler = lambda()
      .use(parse(apigwHttp(Wide)))
      .handle(async () => ({ statusCode: 200, body: '' }));
    const response = await handler({ ...wire(apigwHttpEvents[0]), body: '{}' }, createContext());
    const body = JSON.parse((response as { body: string }).body);
    expect(body.issues).toHaveLength(MAX_PROBLEM_ISSUES);
    expect(body.detail).toBe('The request is invalid: 50 issues.');
  });

  it('answers the valid request through the handler', async () => {
    const handler = lambda()
      .use(parse(apigwRest(Order)))
      .handle(async (event) => ({ statusCode: 201, body: JSON.stringify({ id: event.body.orderId }) }));
    await expect(handler(wire(apigwRestEvents[1]), createContext())).resolves.toEqual({
      statusCode: 201,
      body: '{"id":"o-5"}',
    });
  });

  it.each([
    ['a string', 'no', 'string'],
    ['a number', 0, 'number'],
    ['null', null, 'object'],
  ])('refuses %s as logInvalid with a TypeError when called', (_, logInvalid, type) => {
    expect(() => parse(events.sqs, { logInvalid } as unknown as ParseOptions)).toThrow(
      new TypeError(`parse({ logInvalid }): expected a boolean, got ${type}`),
    );
  });

  it('takes logInvalid left undefined', () => {
    expect(parse(events.sqs, { logInvalid: undefined }).name).toBe('parse');
  });
});
