import { describe, expect, it, vi } from 'vitest';
import { capture } from '../test/capture.js';
import { type CreateLoggerOptions, createLogger, flushLogBuffer, invocationLogger } from './index.js';

const setup = (options: CreateLoggerOptions = {}) => {
  const out = capture();
  return { out, root: createLogger({ destination: out, env: {}, ...options }) };
};

/** A random source returning the given values in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('debug sampling', () => {
  it('logs DEBUG for the fraction of invocations whose draw falls under sampleRate, decided once per invocation', () => {
    const { out, root } = setup({ sampleRate: 0.25, random: sequence(0.1, 0.9, 0.2499, 0.25) });
    const logs = ['a', 'b', 'c', 'd'].map((id) => invocationLogger(root, undefined, { awsRequestId: id }));
    for (const log of logs) {
      log.debug('detail');
      log.debug('more detail');
    }
    expect(out.records().map((r) => `${r.requestId}:${r.level}`)).toEqual(['a:DEBUG', 'a:DEBUG', 'c:DEBUG', 'c:DEBUG']);
  });

  it('draws once per invocation and never when sampleRate is 0', () => {
    let draws = 0;
    const random = () => {
      draws++;
      return 0;
    };
    const { root } = setup({ sampleRate: 0.5, random });
    const log = invocationLogger(root);
    log.debug('x');
    log.child({ a: 1 }).debug('y');
    expect(draws).toBe(1);
    invocationLogger(setup({ random }).root).debug('z');
    expect(draws).toBe(1);
  });

  it('leaves the logger it derives from, and other invocations, at their level', () => {
    const { out, root } = setup({ sampleRate: 1 });
    const sampled = invocationLogger(root, undefined, { awsRequestId: 's' });
    root.debug('root debug');
    sampled.debug('sampled debug');
    expect(root.level).toBe('info');
    expect(sampled.level).toBe('debug');
    expect(out.messages()).toEqual(['sampled debug']);
  });

  it('never samples below Lambda’s application log level', () => {
    const env = { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'INFO' };
    const { out, root } = setup({ sampleRate: 1, env });
    invocationLogger(root).debug('would be dropped by Lambda');
    expect(out.lines).toHaveLength(0);
  });

  it('treats a throwing random source as “not sampled”', () => {
    const { out, root } = setup({
      sampleRate: 0.5,
      random: () => {
        throw new Error('entropy');
      },
    });
    const log = invocationLogger(root);
    log.debug('no');
    log.info('yes');
    expect(out.messages()).toEqual(['yes']);
  });
});

describe('buffering below-threshold lines', () => {
  it('holds DEBUG lines back and writes them, oldest first, just before the invocation’s first ERROR line', () => {
    const { out, root } = setup({ buffer: true });
    const log = invocationLogger(root, undefined, { awsRequestId: 'r-1' });
    log.debug('loaded cart');
    log.info('charging');
    log.debug({ attempt: 1 }, 'calling payment API');
    expect(out.messages()).toEqual(['charging']);
    log.error('payment failed');
    expect(out.records().map((r) => `${r.level} ${r.message}`)).toEqual([
      'INFO charging',
      'DEBUG loaded cart',
      'DEBUG calling payment API',
      'ERROR payment failed',
    ]);
    expect(out.records().every((r) => r.requestId === 'r-1')).toBe(true);
  });

  it('holds lines again after a flush, for a later error', () => {
    const { out, root } = setup({ buffer: true });
    const log = invocationLogger(root);
    log.debug('d1');
    log.error('e1');
    log.debug('d2');
    log.warn('w');
    log.fatal('f');
    expect(out.messages()).toEqual(['d1', 'e1', 'w', 'd2', 'f']);
  });

  it('writes nothing held back when the invocation logs no error', () => {
    const { out, root } = setup({ buffer: true });
    const log = invocationLogger(root);
    log.debug('a');
    log.warn('only this');
    expect(out.messages()).toEqual(['only this']);
  });

  it('writes held lines on flushLogBuffer(), from the invocation logger or any child of it', () => {
    const { out, root } = setup({ buffer: true });
    const log = invocationLogger(root);
    log.child({ recordId: 'm-1' }).debug('record detail');
    flushLogBuffer(log.child({ recordId: 'm-2' }));
    expect(out.records()).toEqual([
      expect.objectContaining({ level: 'DEBUG', recordId: 'm-1', message: 'record detail' }),
    ]);
    flushLogBuffer(log);
    flushLogBuffer(root);
    expect(out.lines).toHaveLength(1);
  });

  it('keeps at most maxLines, dropping the oldest, and says how many were dropped when it flushes', () => {
    const { out, root } = setup({ buffer: { maxLines: 3 } });
    const log = invocationLogger(root);
    for (let i = 1; i <= 7; i++) log.debug(`d${i}`);
    log.error('boom');
    const records = out.records();
    expect(records.map((r) => r.message)).toEqual([
      expect.stringContaining('4 older buffered line(s) dropped'),
      'd5',
      'd6',
      'd7',
      'boom',
    ]);
    expect(records[0]).toMatchObject({ level: 'WARN', droppedLines: 4 });
  });

  it('holds back from the configured level up to the threshold, and never serializes below it', () => {
    const { out, root } = setup({ level: 'warn', buffer: { level: 'info' } });
    const log = invocationLogger(root);
    let serialized = 0;
    log.debug({
      get costly() {
        serialized++;
        return 1;
      },
    });
    log.info('held');
    log.error('err');
    expect(serialized).toBe(0);
    expect(out.messages()).toEqual(['held', 'err']);
  });

  it('writes the dropped-lines marker even when the threshold is above WARN', () => {
    const { out, root } = setup({ level: 'fatal', buffer: { level: 'error', maxLines: 1 } });
    const log = invocationLogger(root);
    log.error('e1');
    log.error('e2');
    log.fatal('f');
    expect(out.records().map((r) => `${r.level} ${r.message}`)).toEqual([
      expect.stringMatching(/^ERROR .*1 older buffered line/),
      'ERROR e2',
      'FATAL f',
    ]);
  });

  it('does not buffer what a sampled invocation writes anyway', () => {
    const { out, root } = setup({ buffer: true, sampleRate: 1 });
    invocationLogger(root).debug('written now');
    expect(out.messages()).toEqual(['written now']);
  });

  it('does not buffer lines of the logger it derives from', () => {
    const { out, root } = setup({ buffer: true });
    root.debug('not held');
    root.error('e');
    expect(out.messages()).toEqual(['e']);
  });
});

describe('a silent logger', () => {
  it('writes nothing, sampled, buffered or failing', () => {
    const { out, root } = setup({ level: 'silent', sampleRate: 1, buffer: true });
    const log = invocationLogger(root);
    log.debug('d');
    log.error('e');
    flushLogBuffer(log);
    expect(out.lines).toHaveLength(0);
  });
});

describe('concurrent invocations in one process', () => {
  it('keep their own bindings, sampling decision and buffer', async () => {
    const { out, root } = setup({ buffer: true, sampleRate: 0.5, random: sequence(0.9, 0.1) });
    const a = invocationLogger(root, { requestContext: { requestId: 'corr-a' } }, { awsRequestId: 'a' });
    const b = invocationLogger(root, { requestContext: { requestId: 'corr-b' } }, { awsRequestId: 'b' });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await Promise.all([
      (async () => {
        a.debug('a held');
        await tick();
        a.info('a info');
        await tick();
        a.error('a failed');
      })(),
      (async () => {
        b.debug('b sampled');
        await tick();
        b.info('b info');
        await tick();
        b.info('b done');
      })(),
    ]);
    const records = out.records();
    expect(records.filter((r) => r.requestId === 'a').map((r) => r.message)).toEqual(['a info', 'a held', 'a failed']);
    expect(records.filter((r) => r.requestId === 'b').map((r) => r.message)).toEqual(['b sampled', 'b info', 'b done']);
    for (const r of records) expect(r.correlationId).toBe(`corr-${r.requestId}`);
  });
});

describe('invocationLogger()', () => {
  it('rejects a logger that createLogger() did not make', () => {
    expect(() => invocationLogger({} as never)).toThrow(TypeError);
  });

  it('reports a cold start for the first invocation only when the context does not say', async () => {
    // A fresh module instance: the process-wide "first invocation" fact starts over.
    vi.resetModules();
    const fresh = await import('./index.js');
    const out = capture();
    const root = fresh.createLogger({ destination: out, env: {} });
    fresh.invocationLogger(root).info('1');
    fresh.invocationLogger(root).info('2');
    fresh.invocationLogger(root, undefined, { coldStart: true }).info('3');
    expect(out.records().map((r) => r.coldStart)).toEqual([true, false, true]);
  });

  it('logs the event when asked, redacted and capped in size', () => {
    const { out, root } = setup({ logEvent: true, maxEventBytes: 256 });
    invocationLogger(root, { headers: { Authorization: 'Bearer x' }, body: 'ok' }, {}).info('after');
    invocationLogger(root, { body: 'y'.repeat(1000) }, {});
    const [small, after, big] = out.records();
    expect(small).toMatchObject({
      level: 'INFO',
      message: 'Lambda invocation event',
      event: { headers: { Authorization: '[REDACTED]' }, body: 'ok' },
    });
    expect(after!.message).toBe('after');
    const full = JSON.stringify({ body: 'y'.repeat(1000) });
    expect(big!.event).toBe(`${full.slice(0, 256)}…[event truncated: ${full.length} bytes]`);
    expect(Buffer.byteLength(big!.event)).toBeLessThan(256 + 40);
  });

  it('does not log the event unless asked', () => {
    const { out, root } = setup();
    invocationLogger(root, { secret: 'x' }, {});
    expect(out.lines).toHaveLength(0);
  });
});

describe('a durable function’s replay (ctx.replaying, ctx.logFields)', () => {
  it('writes nothing, nor holds anything back, while ctx says it is replaying', () => {
    const { out, root } = setup({ buffer: true });
    const ctx = { awsRequestId: 'r-1', replaying: true };
    const log = invocationLogger(root, undefined, ctx);
    log.info('ran in an earlier invocation');
    log.debug('held back in an earlier invocation');
    log.child({ step: 'a' }).warn('from a child, too');
    ctx.replaying = false;
    log.info('new work');
    flushLogBuffer(log);
    expect(out.records().map((r) => r.message)).toEqual(['new work']);
  });

  it('adds the fields ctx.logFields() gives for each line, the line’s own fields winning', () => {
    const { out, root } = setup();
    let operation: string | undefined = 'reserve';
    const ctx = {
      awsRequestId: 'r-1',
      logFields: () => (operation === undefined ? undefined : { operationName: operation, attempt: 1 }),
    };
    const log = invocationLogger(root, undefined, ctx);
    log.info('in the step');
    log.info({ attempt: 7 }, 'own attempt');
    operation = undefined;
    log.info('outside');
    expect(out.records().map(({ message, operationName, attempt }) => ({ message, operationName, attempt }))).toEqual([
      { message: 'in the step', operationName: 'reserve', attempt: 1 },
      { message: 'own attempt', operationName: 'reserve', attempt: 7 },
      { message: 'outside', operationName: undefined, attempt: undefined },
    ]);
  });

  it('never lets a throwing ctx.logFields() break a line', () => {
    const { out, root } = setup();
    const log = invocationLogger(root, undefined, {
      logFields: () => {
        throw new Error('hostile');
      },
    });
    log.info('still written');
    expect(out.records().map((r) => r.message)).toEqual(['still written']);
  });
});
