import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capture } from '../test/capture.js';
import { type CreateLoggerOptions, createLogger, DEFAULT_REDACT_KEYS } from './index.js';

const make = (options: CreateLoggerOptions = {}) => {
  const out = capture();
  return { out, log: createLogger({ destination: out, env: {}, ...options }) };
};

describe('redaction', () => {
  it('redacts authorization and cookie headers in any case, at any depth, by default', () => {
    const { out, log } = make();
    log.info({
      event: {
        headers: {
          AuThOrIzAtIoN: 'Bearer abc',
          cookie: 'sid=1',
          'Set-Cookie': 'sid=2',
          'x-api-key': 'k',
          accept: '*/*',
        },
        multiValueHeaders: { Authorization: ['Bearer abc'], Cookie: ['a=1', 'b=2'] },
      },
    });
    expect(out.records()[0]!.event).toEqual({
      headers: {
        AuThOrIzAtIoN: '[REDACTED]',
        cookie: '[REDACTED]',
        'Set-Cookie': '[REDACTED]',
        'x-api-key': '[REDACTED]',
        accept: '*/*',
      },
      multiValueHeaders: { Authorization: '[REDACTED]', Cookie: '[REDACTED]' },
    });
  });

  it('redacts fields named like passwords, secrets, tokens and API keys, in arrays and at the top level too', () => {
    const { out, log } = make();
    log.info({
      password: 'p',
      users: [{ name: 'ann', Passwd: 'x', clientSecret: 's', refresh_token: 't', apiKey: 'a', API_KEY: 'b' }],
      db: { privateKey: 'pk', awsCredentials: { id: 1 } },
    });
    expect(out.records()[0]).toMatchObject({
      password: '[REDACTED]',
      users: [
        {
          name: 'ann',
          Passwd: '[REDACTED]',
          clientSecret: '[REDACTED]',
          refresh_token: '[REDACTED]',
          apiKey: '[REDACTED]',
          API_KEY: '[REDACTED]',
        },
      ],
      db: { privateKey: '[REDACTED]', awsCredentials: '[REDACTED]' },
    });
  });

  it('redacts persistent keys and child bindings as well', () => {
    const { out, log } = make({ persistentKeys: { service: 's', dbPassword: 'p' } });
    log.child({ token: 't', user: 'u' }).info('x');
    expect(out.records()[0]).toMatchObject({ service: 's', dbPassword: '[REDACTED]', token: '[REDACTED]', user: 'u' });
  });

  it('never changes the object the caller logged', () => {
    const { log } = make();
    const fields = { user: { password: 'p' }, list: [10n] };
    log.info(fields);
    expect(fields).toEqual({ user: { password: 'p' }, list: [10n] });
  });

  it('redacts configured paths, with a configured censor', () => {
    const { out, log } = make({ redact: { paths: ['customer.ssn', 'cards[*].number'], censor: '***' } });
    log.info({ customer: { ssn: '123', name: 'ann' }, cards: [{ number: '4111', brand: 'visa' }] });
    expect(out.records()[0]).toMatchObject({
      customer: { ssn: '***', name: 'ann' },
      cards: [{ number: '***', brand: 'visa' }],
    });
  });

  it('uses a configured key pattern instead of the default one, or none with keys: false', () => {
    const custom = make({ redact: { keys: /^ssn$/gi } });
    custom.log.info({ SSN: '1', ssn: '2', password: 'p' });
    custom.log.info({ ssn: '3' });
    expect(custom.out.records()).toEqual([
      expect.objectContaining({ SSN: '[REDACTED]', ssn: '[REDACTED]', password: 'p' }),
      expect.objectContaining({ ssn: '[REDACTED]' }),
    ]);
    const none = make({ redact: { keys: false } });
    none.log.info({ password: 'p' });
    expect(none.out.records()[0]!.password).toBe('p');
  });

  it('offers the default pattern for extension', () => {
    expect(DEFAULT_REDACT_KEYS.test('Authorization')).toBe(true);
    expect(DEFAULT_REDACT_KEYS.test('accept')).toBe(false);
    expect(DEFAULT_REDACT_KEYS.test('orderId')).toBe(false);
  });
});

describe('hostile values', () => {
  it('writes circular structures with "[Circular]" in place of the cycle', () => {
    const { out, log } = make();
    const order: Record<string, unknown> = { id: 'o-1' };
    order.self = order;
    order.items = [{ order }];
    log.info({ order }, 'cyclic');
    expect(out.records()[0]!.order).toEqual({ id: 'o-1', self: '[Circular]', items: [{ order: '[Circular]' }] });
  });

  it('writes the same object twice in one line in full (shared is not circular)', () => {
    const { out, log } = make();
    const shared = { a: 1 };
    log.info({ x: shared, y: shared, z: [shared, shared] });
    expect(out.records()[0]).toMatchObject({ x: { a: 1 }, y: { a: 1 }, z: [{ a: 1 }, { a: 1 }] });
  });

  it('writes BigInt as a string keeping every digit, and Symbols as their description', () => {
    const { out, log } = make();
    log.info({ big: 2n ** 70n, nested: { list: [1n] }, sym: Symbol('tag'), symbols: [Symbol.iterator] });
    expect(out.records()[0]).toMatchObject({
      big: '1180591620717411303424',
      nested: { list: ['1'] },
      sym: 'Symbol(tag)',
      symbols: ['Symbol(Symbol.iterator)'],
    });
  });

  it('writes Errors anywhere with name, message, stack, own fields and the cause chain', () => {
    const { out, log } = make();
    const root = new Error('socket hang up');
    const middle = new TypeError('fetch failed', { cause: root });
    const top = Object.assign(new Error('order not saved', { cause: middle }), { code: 'E_SAVE', orderId: 'o-1' });
    log.error({ error: top, context: { previous: new RangeError('earlier') } }, 'save failed');
    const record = out.records()[0]!;
    expect(record.error).toMatchObject({
      name: 'Error',
      message: 'order not saved',
      code: 'E_SAVE',
      orderId: 'o-1',
      cause: { name: 'TypeError', message: 'fetch failed', cause: { name: 'Error', message: 'socket hang up' } },
    });
    expect(record.error.stack).toMatch(/^Error: order not saved\n/);
    expect(record.error.cause.cause.stack).toMatch(/^Error: socket hang up\n/);
    expect(record.context.previous).toMatchObject({ name: 'RangeError', message: 'earlier' });
  });

  it('writes an AWS SDK v3 error’s $metadata and $fault, not its raw $response', () => {
    const { out, log } = make();
    class ConditionalCheckFailedException extends Error {
      override name = 'ConditionalCheckFailedException';
      $fault = 'client';
      $metadata = { httpStatusCode: 400, requestId: 'QWERTY', attempts: 1, totalRetryDelay: 0 };
      $response = { statusCode: 400, headers: { 'x-amzn-requestid': 'QWERTY' }, body: 'stream' };
    }
    log.error(new ConditionalCheckFailedException('The conditional request failed'));
    const { error } = out.records()[0]!;
    expect(error).toMatchObject({
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'QWERTY', attempts: 1 },
    });
    expect(error).not.toHaveProperty('$response');
  });

  it('ends a cause chain that loops, and AggregateError lists its errors', () => {
    const { out, log } = make();
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    log.error({ error: a, many: new AggregateError([new Error('one'), 'two'], 'several') });
    const record = out.records()[0]!;
    expect(record.error).toMatchObject({ message: 'a', cause: { message: 'b', cause: '[Circular]' } });
    expect(record.many).toMatchObject({ message: 'several', errors: [{ message: 'one' }, 'two'] });
  });

  it('writes a field whose getter throws as a marker, and the rest of the line', () => {
    const { out, log } = make();
    const hostile = {
      ok: 1,
      get broken(): never {
        throw new Error('no access');
      },
    };
    expect(() => log.info({ hostile }, 'still here')).not.toThrow();
    expect(out.records()[0]).toMatchObject({
      hostile: { ok: 1, broken: '[Unreadable: Error: no access]' },
      message: 'still here',
    });
  });

  it('never throws into the caller, writing a line that says a value could not be logged', () => {
    const { out, log } = make();
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const throwingJson = {
      toJSON: () => {
        throw new Error('toJSON failed');
      },
    };
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys trap');
        },
      },
    );
    expect(() => log.info(revoked.proxy)).not.toThrow();
    expect(() => log.info({ throwingJson })).not.toThrow();
    expect(() => log.info(trap)).not.toThrow();
    expect(() => log.info('%d items', Symbol('not a number') as never)).not.toThrow();
    const records = out.records();
    expect(records).toHaveLength(4);
    for (const record of records) expect(record.level).toBe('INFO');
    expect(
      records.filter((r) => r.message === 'lambdakit logger: a log line could not be serialized').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('never throws when the destination throws', () => {
    const log = createLogger({
      env: {},
      destination: {
        write: () => {
          throw new Error('EBADF');
        },
      },
    });
    expect(() => log.error(new Error('x'))).not.toThrow();
    expect(() => log.child({ a: 1 }).info('y')).not.toThrow();
  });

  it('writes Maps and Sets as their contents, Dates as JSON does, and bytes as their size only', () => {
    const { out, log } = make();
    log.info({
      map: new Map<unknown, unknown>([
        ['a', 1],
        [2, { token: 't' }],
      ]),
      set: new Set([1, 2]),
      at: new Date(0),
      buf: Buffer.from('hi'),
    });
    expect(out.records()[0]).toMatchObject({
      map: { a: 1, 2: { token: '[REDACTED]' } },
      set: [1, 2],
      at: '1970-01-01T00:00:00.000Z',
      buf: '[Binary: 2 bytes]',
    });
  });

  it('keeps a key named __proto__ a plain field', () => {
    const { out, log } = make();
    log.info(JSON.parse('{"__proto__":{"password":"p"},"a":1}'));
    expect(out.lines[0]).toContain('"__proto__":{"password":"[REDACTED]"}');
  });

  it('cuts structures nested deeper than the walk follows, so nothing below escapes redaction', () => {
    const { out, log } = make();
    let deep: Record<string, unknown> = { password: 'p' };
    for (let i = 0; i < 30; i++) deep = { next: deep };
    log.info({ deep });
    expect(out.lines[0]).not.toContain('"p"');
    expect(out.lines[0]).toContain('[Object]');
  });

  it('writes one valid JSON line for any value, and never throws (property)', () => {
    const { out, log } = make();
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withMap: true,
          withSet: true,
          withDate: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
        }),
        fc.string(),
        (value, message) => {
          out.lines.length = 0;
          log.info({ value }, message);
          log.warn(value as never);
          expect(out.lines).toHaveLength(2);
          for (const record of out.records()) expect(typeof record.level).toBe('string');
        },
      ),
    );
  });
});

describe('hostile bindings', () => {
  it('accepts null-prototype and hostile child bindings without throwing', () => {
    const { out, log } = make();
    const bindings = Object.assign(Object.create(null) as Record<string, unknown>, { tenant: 'acme' });
    expect(() => log.child(bindings).info('a')).not.toThrow();
    const hostile = {
      get boom(): never {
        throw new Error('x');
      },
    };
    expect(() => log.child(hostile).info('b')).not.toThrow();
    expect(out.records()).toEqual([
      expect.objectContaining({ tenant: 'acme', message: 'a' }),
      expect.objectContaining({ boom: '[Unreadable: Error: x]', message: 'b' }),
    ]);
  });
});
