import { describe, expect, it } from 'vitest';
import { capture } from '../test/capture.js';
import { createLogger, invocationLogger } from './index.js';

const NOW = Date.UTC(2026, 0, 15, 9, 12, 30, 123);
const now = () => NOW;

const context = {
  awsRequestId: 'c0ffee00-1111-2222-3333-444455556666',
  functionName: 'orders',
  functionVersion: '7',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders:live',
  coldStart: true,
  traceId: 'Root=1-65a4f1b2-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1',
};

describe('createLogger() line format', () => {
  it('writes one JSON object per line: level label, ISO timestamp, persistent keys, per-call fields, message', () => {
    const out = capture();
    const log = createLogger({ destination: out, env: {}, now, persistentKeys: { service: 'orders', team: 'shop' } });
    log.info({ orderId: 'o-1', total: 12.5 }, 'order placed');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toBe(
      '{"level":"INFO","timestamp":"2026-01-15T09:12:30.123Z","service":"orders","team":"shop","orderId":"o-1","total":12.5,"message":"order placed"}\n',
    );
  });

  it('labels every level the way Lambda’s JSON log format does', () => {
    const out = capture();
    const log = createLogger({ destination: out, env: {}, now, level: 'trace' });
    log.trace('t');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    log.fatal('f');
    expect(out.records().map((r) => r.level)).toEqual(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
  });

  it('has no pid or hostname, and no message field when none is given', () => {
    const out = capture();
    createLogger({ destination: out, env: {}, now }).info({ a: 1 });
    expect(out.records()[0]).toEqual({ level: 'INFO', timestamp: '2026-01-15T09:12:30.123Z', a: 1 });
  });

  it('adds the invocation fields, computed once, to every line of an invocation logger', () => {
    const out = capture();
    const log = invocationLogger(
      createLogger({ destination: out, env: {}, now, persistentKeys: { service: 'orders' } }),
      {
        requestContext: { requestId: 'api-req-9' },
      },
      context,
    );
    log.info({ step: 1 }, 'first');
    log.warn('second');
    const [first, second] = out.records();
    expect(Object.keys(first!)).toEqual([
      'level',
      'timestamp',
      'service',
      'requestId',
      'functionName',
      'functionVersion',
      'functionArn',
      'coldStart',
      'xrayTraceId',
      'correlationId',
      'step',
      'message',
    ]);
    expect(first).toEqual({
      level: 'INFO',
      timestamp: '2026-01-15T09:12:30.123Z',
      service: 'orders',
      requestId: 'c0ffee00-1111-2222-3333-444455556666',
      functionName: 'orders',
      functionVersion: '7',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders:live',
      coldStart: true,
      xrayTraceId: '1-65a4f1b2-0123456789abcdef01234567',
      correlationId: 'api-req-9',
      step: 1,
      message: 'first',
    });
    expect(second).toMatchObject({ level: 'WARN', requestId: context.awsRequestId, message: 'second' });
  });

  it('leaves out invocation fields the context does not have instead of writing empty values', () => {
    const out = capture();
    invocationLogger(createLogger({ destination: out, env: {}, now }), undefined, {
      awsRequestId: 'r-1',
      functionName: '',
      coldStart: false,
    }).info('x');
    expect(out.records()[0]).toEqual({
      level: 'INFO',
      timestamp: '2026-01-15T09:12:30.123Z',
      requestId: 'r-1',
      coldStart: false,
      message: 'x',
    });
  });

  it('reads the X-Ray trace id from _X_AMZN_TRACE_ID when the context is Lambda’s raw one', () => {
    const out = capture();
    const env = { _X_AMZN_TRACE_ID: 'Root=1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb;Parent=1;Sampled=0' };
    const { traceId: _omitted, ...raw } = context;
    invocationLogger(createLogger({ destination: out, env, now }), undefined, raw).info('x');
    expect(out.records()[0]!.xrayTraceId).toBe('1-aaaaaaaa-bbbbbbbbbbbbbbbbbbbbbbbb');
  });

  it('writes an Error passed alone under "error", its message as the message', () => {
    const out = capture();
    createLogger({ destination: out, env: {}, now }).error(new RangeError('too far'));
    const [record] = out.records();
    expect(record).toMatchObject({
      level: 'ERROR',
      message: 'too far',
      error: { name: 'RangeError', message: 'too far' },
    });
    expect(record!.error.stack).toContain('RangeError: too far');
  });

  it('writes non-string messages as strings', () => {
    const out = capture();
    const log = createLogger({ destination: out, env: {}, now });
    log.info(42 as never);
    log.info({}, true as never);
    log.info(Symbol('s') as never);
    log.info(10n as never);
    expect(out.messages()).toEqual(['42', 'true', 'Symbol(s)', '10']);
  });
});

describe('createLogger() level', () => {
  const levelOf = (options: Parameters<typeof createLogger>[0]) =>
    createLogger({ destination: capture(), ...options }).level;

  it('takes the level option first, then LOG_LEVEL, then AWS_LAMBDA_LOG_LEVEL, then info', () => {
    const env = { LOG_LEVEL: 'warn', AWS_LAMBDA_LOG_LEVEL: 'ERROR' };
    expect(levelOf({ level: 'debug', env })).toBe('debug');
    expect(levelOf({ env })).toBe('warn');
    expect(levelOf({ env: { AWS_LAMBDA_LOG_LEVEL: 'ERROR' } })).toBe('error');
    expect(levelOf({ env: {} })).toBe('info');
  });

  it('accepts level names in any case, and WARNING for warn', () => {
    expect(levelOf({ level: 'DEBUG', env: {} })).toBe('debug');
    expect(levelOf({ env: { LOG_LEVEL: 'Warning' } })).toBe('warn');
    expect(levelOf({ env: { LOG_LEVEL: ' fatal ' } })).toBe('fatal');
    expect(levelOf({ env: { LOG_LEVEL: 'silent' } })).toBe('silent');
  });

  it('skips an environment value that is not a level, and says so in one WARN line', () => {
    const out = capture();
    const log = createLogger({ destination: out, env: { LOG_LEVEL: 'verbose', AWS_LAMBDA_LOG_LEVEL: 'DEBUG' }, now });
    expect(log.level).toBe('debug');
    expect(out.records()).toEqual([
      expect.objectContaining({
        level: 'WARN',
        LOG_LEVEL: 'verbose',
        message: expect.stringContaining('LOG_LEVEL is not a log level'),
      }),
    ]);
  });

  it('says so even when the level is above WARN', () => {
    const out = capture();
    createLogger({ destination: out, env: { LOG_LEVEL: 'loud', AWS_LAMBDA_LOG_LEVEL: 'error' }, now });
    expect(out.records()).toEqual([expect.objectContaining({ level: 'ERROR', LOG_LEVEL: 'loud' })]);
  });

  it('throws at creation on a level option that is not a level', () => {
    expect(() => createLogger({ level: 'loud' as never, destination: capture() })).toThrow(
      expect.objectContaining({ name: 'TypeError', message: 'createLogger({ level }): "loud" is not a log level' }),
    );
  });

  it('never goes below Lambda’s application log level with the JSON log format, since Lambda drops those lines', () => {
    const out = capture();
    const env = { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'WARN' };
    const log = createLogger({ level: 'debug', destination: out, env, now });
    expect(log.level).toBe('warn');
    expect(out.records()[0]).toMatchObject({ level: 'WARN', requestedLevel: 'debug', AWS_LAMBDA_LOG_LEVEL: 'WARN' });
    log.info('dropped by Lambda anyway');
    expect(out.lines).toHaveLength(1);
  });

  it('keeps a level below AWS_LAMBDA_LOG_LEVEL with the Text log format, where Lambda filters nothing', () => {
    const env = { AWS_LAMBDA_LOG_FORMAT: 'Text', AWS_LAMBDA_LOG_LEVEL: 'WARN' };
    expect(levelOf({ level: 'debug', env })).toBe('debug');
    expect(levelOf({ env })).toBe('warn');
  });
});

describe('createLogger() output mode', () => {
  it('writes human-readable lines with LAMBDAKIT_LOG_PRETTY=1 (pino-pretty installed)', () => {
    const out = capture();
    createLogger({ destination: out, env: { LAMBDAKIT_LOG_PRETTY: '1' }, now }).warn({ orderId: 'o-1' }, 'low stock');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(/WARN: low stock/);
    expect(out.lines[0]).toContain('orderId: "o-1"');
    expect(() => JSON.parse(out.lines[0]!)).toThrow();
  });

  it('writes JSON when LAMBDAKIT_LOG_PRETTY=0 or pretty: false, even on a TTY', () => {
    const out = capture();
    createLogger({ destination: out, env: { LAMBDAKIT_LOG_PRETTY: '0' } }).info('a');
    createLogger({ destination: out, env: { LAMBDAKIT_LOG_PRETTY: '1' }, pretty: false }).info('b');
    expect(out.messages()).toEqual(['a', 'b']);
  });

  it('writes JSON to a given destination by default, whatever stdout is', () => {
    const out = capture();
    createLogger({ destination: out, env: {} }).info('plain');
    expect(out.messages()).toEqual(['plain']);
  });
});

describe('createLogger() options', () => {
  it.each([
    [{ sampleRate: 1.5 }, 'createLogger({ sampleRate }): expected a number from 0 to 1, got 1.5'],
    [{ sampleRate: Number.NaN }, 'createLogger({ sampleRate }): expected a number from 0 to 1, got NaN'],
    [{ buffer: { maxLines: 0 } }, 'createLogger({ buffer: { maxLines } }): expected an integer of at least 1, got 0'],
    [{ buffer: { level: 'silent' } }, 'createLogger({ buffer: { level } }): "silent" is not a log level'],
    [{ maxLineBytes: 10 }, 'createLogger({ maxLineBytes }): expected an integer of at least 1024, got 10'],
    [{ random: 1 }, 'createLogger({ random }): expected a function'],
    [{ destination: {} }, 'createLogger({ destination }): expected an object with a write(line) method'],
    [{ redact: { keys: 'password' } }, 'createLogger({ redact: { keys } }): expected a RegExp or false'],
    [{ logEvent: 'yes' }, 'createLogger({ logEvent }): expected a boolean, got yes'],
    [{ pretty: 1 }, 'createLogger({ pretty }): expected a boolean, got 1'],
  ])('rejects %o at creation with a TypeError naming the option', (bad, message) => {
    expect(() => createLogger({ destination: capture(), ...(bad as object) })).toThrow(
      expect.objectContaining({ name: 'TypeError', message }),
    );
  });
});
