import { processBatch } from '@lambdakit/batch';
import { lambda } from '@lambdakit/core';
import { createLogger } from '@lambdakit/logger';
import { apigwHttp, ParseError, parse, safeParseEvent, sqs } from '@lambdakit/parser';
import { createContext, sampleEvent } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';

// A request body holding a 1 MB key and thousands of bad fields must not come back out through
// the error: not in the 400 response, not in ParseError's message, not in a log line that writes
// the error with its cause chain.
const hugeKey = 'k'.repeat(1_000_000);
const hostileBody = JSON.stringify({
  [hugeKey]: 1,
  ...Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`field${i}`, i])),
});

describe('a hostile payload that fails validation', () => {
  it('gives a ParseError whose log line stays small and does not quote the input', () => {
    const event = { ...sampleEvent('apigw-http'), body: hostileBody, isBase64Encoded: false };
    const result = safeParseEvent(apigwHttp(z.strictObject({ orderId: z.string() })), event);
    expect(result.success).toBe(false);
    const error = (result as { error: ParseError }).error;
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message.length).toBeLessThan(2_000);

    const lines: string[] = [];
    const log = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
    log.error({ err: error }, 'request rejected');
    expect(lines).toHaveLength(1);
    expect(Buffer.byteLength(lines[0]!)).toBeLessThan(64 * 1024);
    expect(lines[0]).not.toContain('k'.repeat(1_000));
  });

  it('answers a 400 that stays small through the parse() middleware', async () => {
    const handler = lambda()
      .use(parse(apigwHttp(z.strictObject({ orderId: z.string() }))))
      .handle(() => ({ statusCode: 201 }));
    const response = (await handler(
      { ...sampleEvent('apigw-http'), body: hostileBody, isBase64Encoded: false },
      createContext(),
    )) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(400);
    expect(response.body.length).toBeLessThan(16 * 1024);
    expect(response.body).not.toContain('k'.repeat(1_000));
  });

  it('is logged by processBatch as a small record failure', async () => {
    const event = sampleEvent('sqs', { records: 1 });
    event.Records[0]!.body = hostileBody;
    const lines: string[] = [];
    const log = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
    const result = await processBatch(event, {}, () => {}, {
      schema: sqs(z.strictObject({ orderId: z.string() })),
      log,
    });
    expect(result.batchItemFailures).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(Buffer.byteLength(line)).toBeLessThan(64 * 1024);
      expect(line).not.toContain('k'.repeat(1_000));
    }
  });
});
