// No secret in a log line: what the logger writes, read back from its real output.
import { lambda } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { capture } from '../test/capture.js';
import { createLogger, DEFAULT_REDACT_KEYS, logger } from './index.js';

const SECRET = 's3cr3t-value';

describe('the default key pattern', () => {
  it.each([
    'cookies',
    'X-Forwarded-Authorization',
    'pwd',
    'dbPwd',
    'pass',
    'passphrase',
    'bearer',
    'jwt',
    'connectionString',
    'DATABASE_URL',
    'x-amz-signature',
    'signature',
    'sid',
    'x-amzn-oidc-data',
    'identitySource',
    'Authorization',
    'proxy-authorization',
    'Set-Cookie',
    'apiKey',
    'clientSecret',
  ])('redacts a field named %s', (name) => {
    expect(DEFAULT_REDACT_KEYS.test(name)).toBe(true);
    const out = capture();
    createLogger({ destination: out, env: {} }).info({ [name]: SECRET }, 'line');
    expect(out.lines.join('')).not.toContain(SECRET);
  });

  it.each(['passenger', 'inside', 'side', 'compass', 'orderId', 'description', 'assignment'])(
    'leaves an ordinary field named %s alone',
    (name) => {
      expect(DEFAULT_REDACT_KEYS.test(name)).toBe(false);
    },
  );
});

describe('values that hide their fields', () => {
  it('scans what toJSON() returns', () => {
    const out = capture();
    const login = { toJSON: () => ({ user: 'ada', password: SECRET }) };
    createLogger({ destination: out, env: {} }).info({ login }, 'line');
    expect(out.records()[0]).toMatchObject({ login: { user: 'ada', password: '[REDACTED]' } });
  });

  it('writes a Buffer or typed array as its size, never its bytes', () => {
    const out = capture();
    createLogger({ destination: out, env: {} }).info(
      { key: 'k', blob: Buffer.from(SECRET), view: new Uint8Array(3) },
      'line',
    );
    expect(out.records()[0]).toMatchObject({ blob: '[Binary: 12 bytes]', view: '[Binary: 3 bytes]' });
    expect(out.lines.join('')).not.toContain(SECRET);
  });

  it('survives a toJSON() that throws, or returns itself', () => {
    const out = capture();
    const self = { name: 'x', token: SECRET, toJSON: () => self };
    const broken = {
      toJSON: () => {
        throw new Error('no');
      },
    };
    createLogger({ destination: out, env: {} }).info({ self, broken }, 'line');
    expect(out.records()[0]).toMatchObject({
      self: { name: 'x', token: '[REDACTED]' },
      broken: '[Unreadable: Error: no]',
    });
  });
});

describe('logEvent: the event redacted the same way, inside its JSON strings too', () => {
  const logged = async (event: unknown) => {
    const out = capture();
    await lambda()
      .use(logger({ destination: out, env: {}, logEvent: true }))
      .handle(async () => 'ok')(event, createContext());
    const line = out.lines.find((text) => text.includes('Lambda invocation event'));
    expect(line).toBeDefined();
    return { line: line!, record: JSON.parse(line!) as { event: Record<string, any> } };
  };

  it('an HTTP body with a password, the cookies array and the authorizer identity source', async () => {
    const { line, record } = await logged({
      version: '2.0',
      cookies: [`session=${SECRET}`],
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      requestContext: { authorizer: { lambda: { user: 'ada' } }, identitySource: [`Bearer ${SECRET}`] },
      body: JSON.stringify({ user: 'ada', password: SECRET, nested: { apiKey: SECRET } }),
    });
    expect(line).not.toContain(SECRET);
    expect(record.event.cookies).toBe('[REDACTED]');
    expect(JSON.parse(record.event.body)).toEqual({
      user: 'ada',
      password: '[REDACTED]',
      nested: { apiKey: '[REDACTED]' },
    });
  });

  it('an SQS body and an SNS message', async () => {
    const { line, record } = await logged({
      Records: [
        { messageId: 'm-1', body: JSON.stringify({ orderId: 'o-1', card: { token: SECRET } }) },
        { Sns: { Message: JSON.stringify([{ secret: SECRET }]) } },
      ],
    });
    expect(line).not.toContain(SECRET);
    expect(JSON.parse(record.event.Records[0].body)).toEqual({ orderId: 'o-1', card: { token: '[REDACTED]' } });
    expect(JSON.parse(record.event.Records[1].Sns.Message)).toEqual([{ secret: '[REDACTED]' }]);
  });

  it('leaves a body with nothing to redact byte for byte, and text that is not JSON as it is', async () => {
    const body = '{ "orderId" : "o-1",\n "total": 5 }';
    const { record } = await logged({ body, other: '{not json', plain: 'hello' });
    expect(record.event).toMatchObject({ body, other: '{not json', plain: 'hello' });
  });
});

describe('an error that leaves the function (Lambda logs its own fields in full)', () => {
  class HttpError extends Error {
    override name = 'HttpError';
    constructor(
      message: string,
      readonly status: number,
      readonly config: object,
    ) {
      super(message);
    }
  }

  it('leaves as a twin of the same class with its secret-bearing fields redacted', async () => {
    const thrown = new HttpError('request failed with status 403', 403, {
      url: 'https://api.example.com/orders',
      headers: { Authorization: `Bearer ${SECRET}`, accept: 'application/json' },
    });
    const handler = lambda()
      .use(logger({ destination: capture(), env: {} }))
      .handle(async () => {
        throw thrown;
      });
    const error = (await handler({}, createContext()).catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error).not.toBe(thrown);
    expect({ name: error.name, message: error.message, stack: error.stack, status: error.status }).toEqual({
      name: 'HttpError',
      message: 'request failed with status 403',
      stack: thrown.stack,
      status: 403,
    });
    expect(error.config).toEqual({
      url: 'https://api.example.com/orders',
      headers: { Authorization: '[REDACTED]', accept: 'application/json' },
    });
    expect(JSON.stringify({ ...error })).not.toContain(SECRET);
  });

  it('leaves as itself when it has nothing to redact, and with redactThrown: false', async () => {
    const plain = Object.assign(new Error('boom'), { code: 'E_BOOM' });
    const withSecret = Object.assign(new Error('boom'), { token: SECRET });
    const run = (thrown: Error, redactThrown?: boolean) =>
      lambda()
        .use(logger({ destination: capture(), env: {}, ...(redactThrown === undefined ? {} : { redactThrown }) }))
        .handle(async () => {
          throw thrown;
        })({}, createContext())
        .catch((e: unknown) => e);
    expect(await run(plain)).toBe(plain);
    expect(await run(withSecret, false)).toBe(withSecret);
  });
});
