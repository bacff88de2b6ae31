import { lambda, type Middleware, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { capture } from '../test/capture.js';
import { logger } from './index.js';

const never = () => new Promise<never>(() => {});
const setup = (options: { outcomes?: boolean } = {}) => {
  const out = capture();
  return { out, mw: logger({ destination: out, env: {}, ...options }) };
};

describe('the line of an invocation that failed (logger() in the chain)', () => {
  it('says what was thrown, at ERROR, with the invocation fields, the code and the first stack lines', async () => {
    const { out, mw } = setup();
    class OrderRejected extends Error {
      readonly code = 'ORDER_REJECTED';
      override name = 'OrderRejected';
    }
    const handler = lambda()
      .use(mw)
      .handle(async () => {
        throw new OrderRejected('order o-9 over the limit');
      });
    await expect(handler({}, createContext({ requestId: 'req-7', functionName: 'orders' }))).rejects.toThrow();
    const [line, ...rest] = out.records();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      level: 'ERROR',
      requestId: 'req-7',
      functionName: 'orders',
      message: 'invocation failed: OrderRejected: order o-9 over the limit',
      err: {
        type: 'OrderRejected',
        message: 'order o-9 over the limit',
        code: 'ORDER_REJECTED',
        stack: expect.arrayContaining([expect.stringMatching(/^at .*outcome-line\.test\.ts/)]),
      },
    });
  });

  it('stays bounded whatever is thrown: a 1 MB message, a 1,000-frame stack, a thrown object', async () => {
    const { out, mw } = setup();
    const huge = new Error('x'.repeat(1_000_000));
    huge.stack = [
      'Error: …',
      ...Array.from({ length: 1000 }, (_, i) => `    at frame${i} (${'/deep'.repeat(200)}.js:1:1)`),
    ].join('\n');
    const thrownValues: unknown[] = [huge, { reason: 'y'.repeat(100_000) }, 'a string', null];
    for (const thrown of thrownValues) {
      const handler = lambda()
        .use(mw)
        .handle(async () => {
          throw thrown;
        });
      await expect(handler({}, createContext())).rejects.toBe(thrown);
    }
    const lines = out.lines;
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThan(12_000);
    expect(out.records().map((record) => (record as { err: { type: string } }).err.type)).toEqual([
      'Error',
      'object',
      'string',
      'null',
    ]);
    expect((out.records()[0] as { err: { stack: string[] } }).err.stack).toHaveLength(20);
  });

  it('says a timeout happened, how much time was left and where the pipeline stood, even when onTimeout answers', async () => {
    const { out, mw } = setup();
    const slowConfig: Middleware = { name: 'config', before: () => never() };
    const handler = lambda()
      .use(mw)
      .use(timeout({ marginMs: 50, onTimeout: () => ({ statusCode: 504 }) }))
      .use(slowConfig)
      .handle(async () => 'unreachable');
    await expect(handler({}, createContext({ timeoutMs: 150, requestId: 'req-9' }))).resolves.toEqual({
      statusCode: 504,
    });
    expect(out.records()).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        requestId: 'req-9',
        message: expect.stringMatching(
          /^invocation timed out in config: before with \d+ ms left before Lambda's deadline$/,
        ),
        timeout: { remainingTimeMs: expect.any(Number), marginMs: 50, stage: 'config: before' },
      }),
    ]);
  });

  it('names the handler as where a timeout caught the pipeline in the business logic', async () => {
    const { out, mw } = setup();
    const handler = lambda()
      .use(mw)
      .use(timeout({ marginMs: 50 }))
      .handle(async () => never());
    await expect(handler({}, createContext({ timeoutMs: 150 }))).rejects.toThrow();
    expect(out.records()[0]).toMatchObject({ timeout: { stage: 'handler' } });
  });

  it('writes nothing for a success, and nothing at all with outcomes: false', async () => {
    const quiet = setup({ outcomes: false });
    const failing = lambda()
      .use(quiet.mw)
      .handle(async () => {
        throw new Error('boom');
      });
    await expect(failing({}, createContext())).rejects.toThrow('boom');
    expect(quiet.out.lines).toEqual([]);
    const { out, mw } = setup();
    await lambda()
      .use(mw)
      .handle(async () => 'ok')({}, createContext());
    expect(out.lines).toEqual([]);
  });
});
