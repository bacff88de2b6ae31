import { type InvocationContext, lambda, TimeoutError, timeout } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import middy, { type MiddlewareObj } from '@middy/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { capture } from '../test/capture.js';
import { type CreateLoggerOptions, createLogger, logger } from './index.js';

const never = () => new Promise<never>(() => {});
const tick = () => new Promise((resolve) => setImmediate(resolve));

const setup = (options: CreateLoggerOptions = {}) => {
  const out = capture();
  return { out, mw: logger({ destination: out, env: {}, ...options }) };
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('logger() middleware', () => {
  it('puts at ctx.log a logger whose lines carry the invocation’s fields', async () => {
    vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    const { out, mw } = setup({ persistentKeys: { service: 'orders' } });
    let seen: InvocationContext | undefined;
    const handler = lambda()
      .use(mw)
      .handle(async (_event, ctx) => {
        seen = ctx;
        ctx.log.info({ orderId: 'o-1' }, 'order placed');
        return 'ok';
      });
    const context = createContext({ functionName: 'orders', qualifier: '3', requestId: 'req-1' });
    await expect(handler({ headers: { 'x-correlation-id': 'corr-1' } }, context)).resolves.toBe('ok');
    expect(out.records()).toEqual([
      {
        level: 'INFO',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: 'orders',
        requestId: 'req-1',
        functionName: 'orders',
        functionVersion: '3',
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:3',
        coldStart: seen!.coldStart,
        xrayTraceId: '1-5759e988-bd862e3fe1be46a994272793',
        correlationId: 'corr-1',
        orderId: 'o-1',
        message: 'order placed',
      },
    ]);
  });

  it('gives each invocation its own logger', async () => {
    const { out, mw } = setup();
    const handler = lambda()
      .use(mw)
      .handle((_event, ctx) => ctx.log.info('hi'));
    await handler({}, createContext({ requestId: 'one' }));
    await handler({}, createContext({ requestId: 'two' }));
    expect(out.records().map((r) => r.requestId)).toEqual(['one', 'two']);
  });

  it('uses a logger made with createLogger() when given one', async () => {
    const out = capture();
    const log = createLogger({ destination: out, env: {}, persistentKeys: { shared: true } });
    const handler = lambda()
      .use(logger({ logger: log }))
      .handle((_event, ctx) => ctx.log.info('from handler'));
    log.info('at init');
    await handler({}, createContext({ requestId: 'r' }));
    expect(out.records()).toEqual([
      expect.objectContaining({ shared: true, message: 'at init' }),
      expect.objectContaining({ shared: true, requestId: 'r', message: 'from handler' }),
    ]);
    expect(out.records()[0]).not.toHaveProperty('requestId');
  });

  it('rejects a logger that createLogger() did not make', () => {
    expect(() => logger({ logger: {} as never })).toThrow(TypeError);
  });

  it.each([
    [{ sampleRate: 2 }, 'logger({ sampleRate }): expected a number from 0 to 1, got 2'],
    [{ level: 'loud' }, 'logger({ level }): "loud" is not a log level'],
    [{ outcomes: 'no' }, 'logger({ outcomes }): expected a boolean, got no'],
    [{ redactThrown: 0 }, 'logger({ redactThrown }): expected a boolean, got 0'],
  ])('rejects %o at .use() with a TypeError naming logger() and the option', (bad, message) => {
    expect(() => logger({ destination: capture(), ...(bad as object) })).toThrow(
      expect.objectContaining({ name: 'TypeError', message }),
    );
  });
});

describe('logger() buffering across the invocation', () => {
  it('writes held-back lines when the invocation fails, before its promise rejects', async () => {
    const { out, mw } = setup({ buffer: true });
    const handler = lambda()
      .use(mw)
      .handle(async (_event, ctx) => {
        ctx.log.debug('step 1');
        ctx.log.child({ recordId: 'msg-1' }).debug('step 2');
        throw new Error('boom');
      });
    await expect(handler({}, createContext())).rejects.toThrow('boom');
    // Held back lines first, then the failure's own line.
    expect(out.records().map((r) => [r.level, r.message, r.recordId])).toEqual([
      ['DEBUG', 'step 1', undefined],
      ['DEBUG', 'step 2', 'msg-1'],
      ['ERROR', 'invocation failed: Error: boom', undefined],
    ]);
  });

  it('writes held-back lines when the invocation times out', async () => {
    const { out, mw } = setup({ buffer: true });
    const handler = lambda()
      .use(mw)
      .use(timeout({ marginMs: 50 }))
      .handle(async (_event, ctx) => {
        ctx.log.debug('waiting on a slow dependency');
        return never();
      });
    await expect(handler({}, createContext({ timeoutMs: 120 }))).rejects.toBeInstanceOf(TimeoutError);
    expect(out.messages()).toEqual([
      'waiting on a slow dependency',
      expect.stringMatching(/^invocation timed out in handler with \d+ ms left before Lambda's deadline$/),
    ]);
  });

  it('writes nothing held back when the invocation succeeds, even if a line comes late', async () => {
    const { out, mw } = setup({ buffer: true });
    let late: (() => void) | undefined;
    const handler = lambda()
      .use(mw)
      .handle(async (_event, ctx) => {
        ctx.log.debug('not needed');
        ctx.log.info('done');
        late = () => {
          ctx.log.debug('after the end');
          ctx.log.error('late error');
        };
        return 'ok';
      });
    await expect(handler({}, createContext())).resolves.toBe('ok');
    late!();
    expect(out.messages()).toEqual(['done', 'late error']);
  });

  it('treats a middleware’s early response as success', async () => {
    const { out, mw } = setup({ buffer: true });
    const handler = lambda()
      .use(mw)
      .use({
        name: 'cache',
        before: (request: { context: { log: { debug(m: string): void } } }) => {
          request.context.log.debug('cache hit');
          return { cached: true };
        },
      })
      .handle(() => ({ cached: false }));
    await expect(handler({}, createContext())).resolves.toEqual({ cached: true });
    expect(out.lines).toHaveLength(0);
  });

  it('flushes on Middy’s error path when used without lambda() (no ctx.cleanup)', async () => {
    const { out, mw } = setup({ buffer: true });
    const handler = middy(async (_event: unknown, context: object) => {
      (context as { log: { debug(m: string): void } }).log.debug('plain middy');
      throw new Error('x');
    }).use(mw as MiddlewareObj);
    await expect(handler({}, createContext() as never)).rejects.toThrow('x');
    expect(out.messages()).toEqual(['plain middy']);
  });
});

describe('logger() with concurrent invocations of one handler', () => {
  it('gives each its own bindings, sampling decision and buffer', async () => {
    const draws = [0.1, 0.9];
    const { out, mw } = setup({ buffer: true, sampleRate: 0.5, random: () => draws.shift() ?? 1 });
    const handler = lambda()
      .use(mw)
      .handle(async (event: unknown, ctx) => {
        const { fail } = event as { fail: boolean };
        ctx.log.debug('started');
        await tick();
        ctx.log.info('working');
        await tick();
        ctx.log.debug('finishing');
        if (fail) throw new Error('failed');
        return 'ok';
      });
    const results = await Promise.allSettled([
      handler({ fail: false, requestContext: { requestId: 'corr-sampled' } }, createContext({ requestId: 'sampled' })),
      handler({ fail: true, requestContext: { requestId: 'corr-failing' } }, createContext({ requestId: 'failing' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    const records = out.records();
    const of = (id: string) => records.filter((r) => r.requestId === id).map((r) => `${r.level} ${r.message}`);
    // Sampled: DEBUG written as it happens. Not sampled but failing: DEBUG held back, written at the end.
    expect(of('sampled')).toEqual(['DEBUG started', 'INFO working', 'DEBUG finishing']);
    expect(of('failing')).toEqual([
      'INFO working',
      'DEBUG started',
      'DEBUG finishing',
      'ERROR invocation failed: Error: failed',
    ]);
    for (const r of records) expect(r.correlationId).toBe(`corr-${r.requestId}`);
    expect(records).toHaveLength(7);
  });
});
