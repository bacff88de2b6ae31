// parse() answering 400 with logger() in the chain: one bounded WARN line, through the real logger.
import { type LineDestination, lambda } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import { apigwHttp, parse } from '@lambdakit/parser';
import { createContext, sampleEvent } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';

const Order = z.object({ orderId: z.string(), quantity: z.number().int() });

function setup(options: { logInvalid?: boolean } = {}) {
  const lines: string[] = [];
  const destination: LineDestination = { write: (line: string) => void lines.push(line) };
  const handler = lambda()
    .use(logger({ destination, env: {} }))
    .use(parse(apigwHttp(Order), options))
    .handle(async (event) => ({ statusCode: 201, body: event.body.orderId }));
  return { handler, records: () => lines.map((line) => JSON.parse(line) as Record<string, any>), lines };
}

const request = (body: unknown) => ({ ...sampleEvent('apigw-http'), body: JSON.stringify(body) });

describe("parse()'s 400 leaves a WARN line in the function's log", () => {
  it('names the source and the first issues, with the invocation fields, never the values', async () => {
    const { handler, records } = setup();
    const response = await handler(
      request({ orderId: 42, quantity: 'secret-ish value' }),
      createContext({ requestId: 'req-4' }),
    );
    expect(response).toMatchObject({ statusCode: 400 });
    const [line, ...rest] = records();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      level: 'WARN',
      requestId: 'req-4',
      source: 'apigw-http',
      issueCount: 2,
      issues: [
        { path: 'body.orderId', message: expect.any(String) },
        { path: 'body.quantity', message: expect.any(String) },
      ],
      message: expect.stringMatching(/^invalid apigw-http request answered 400: body\.orderId: /),
    });
    expect(JSON.stringify(line)).not.toContain('secret-ish value');
    expect(line).not.toHaveProperty('eventLooksLike');
  });

  it('tells a wrong trigger apart from bad input: an SQS event sent to an HTTP function', async () => {
    const { handler, records } = setup();
    const response = await handler(sampleEvent('sqs', { records: 2 }), createContext());
    expect(response).toMatchObject({ statusCode: 400 });
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        source: 'apigw-http',
        eventLooksLike: 'sqs',
        message: 'a sqs event reached a function that takes apigw-http requests (a wrong trigger?): answered 400',
      }),
    ]);
  });

  // Building and first running a 10,000-field schema takes ~1.5 s here and several times that on a
  // loaded machine: the limit guards against a hang, it measures nothing.
  it('stays bounded: a body with 10,000 bad fields names 3 issues in one short line', { timeout: 60_000 }, async () => {
    const Wide = z.object(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`field${i}`, z.string()])));
    const lines: string[] = [];
    const handler = lambda()
      .use(logger({ destination: { write: (line: string) => void lines.push(line) }, env: {} }))
      .use(parse(apigwHttp(Wide)))
      .handle(async () => 'unreachable');
    await handler(request({}), createContext());
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { issueCount: number; issues: unknown[] };
    expect(line.issueCount).toBe(10_000);
    expect(line.issues).toHaveLength(3);
    expect(Buffer.byteLength(lines[0]!)).toBeLessThan(2_000);
  });

  it('is not written with logInvalid: false, and parse() needs no logger', async () => {
    const { handler, lines } = setup({ logInvalid: false });
    await expect(handler(request({}), createContext())).resolves.toMatchObject({ statusCode: 400 });
    expect(lines).toEqual([]);
    const bare = lambda()
      .use(parse(apigwHttp(Order)))
      .handle(async () => 'unreachable');
    await expect(bare(request({}), createContext())).resolves.toMatchObject({ statusCode: 400 });
  });
});
