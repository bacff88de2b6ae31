import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clearSecretValues, lambda, WARNING_TYPE } from '@lambdakit/core';
import { createContext, type LocalSecretsManager, startLocalSecretsManager } from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { config } from './config.js';
import { isAuthFailure, refreshOnAuthFailure } from './refresh-on-auth-failure.js';
import { secrets } from './secrets.js';

// A database password rotated under a warm sandbox: the downstream refuses the one the config
// holds, refreshOnAuthFailure reads the secret again and retries once.
let sm: LocalSecretsManager;
let fnCount = 0;

beforeAll(async () => {
  sm = await startLocalSecretsManager();
});
afterAll(async () => {
  clearSecretValues();
  await sm.close();
});
afterEach(() => vi.restoreAllMocks());

const Settings = z.object({ db: z.object({ password: z.string() }) });
const reads = (fn: string) =>
  sm.requests.filter(
    (r) =>
      r.operation === 'BatchGetSecretValue' &&
      (r.body as { Filters?: { Values?: string[] }[] })?.Filters?.[0]?.Values?.[0] === `/lambdakit/${fn}`,
  ).length;

/** A database that accepts one password, refusing any other as PostgreSQL does (28P01). */
function database(password: string) {
  const db = {
    password,
    calls: 0,
    query(config: { db: { password: string } }) {
      db.calls++;
      if (config.db.password !== db.password) {
        throw Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' });
      }
      return 'rows';
    },
  };
  return db;
}

/** A handler whose config holds the function's secret, and a clock `now` the test moves. */
function setup(password: string) {
  const fn = `rfn-${++fnCount}`;
  sm.put(`/lambdakit/${fn}`, { db: { password } });
  const clock = { now: 1_000_000 };
  const db = database(password);
  const handler = lambda()
    .use(
      config({
        schema: Settings,
        sources: [secrets({ client: new SecretsManagerClient({ ...sm.clientConfig, maxAttempts: 1 }) })],
        maxAgeSeconds: Number.POSITIVE_INFINITY,
        now: () => clock.now,
        prefetch: false,
      }),
    )
    .handle(async (_event: unknown, ctx) => {
      const rows = await refreshOnAuthFailure(ctx, (settings) => db.query(settings));
      return { rows, password: ctx.config.db.password };
    });
  const invoke = () => handler({}, createContext({ functionName: fn }));
  return { fn, db, clock, invoke };
}

describe('refreshOnAuthFailure', () => {
  it('reads the secret again once the downstream refuses the rotated password, and retries with the new one', async () => {
    const { fn, db, invoke } = setup('old-password');
    expect(await invoke()).toEqual({ rows: 'rows', password: 'old-password' });
    // The rotation: the secret and the database move to the new password; the sandbox still holds the old.
    sm.put(`/lambdakit/${fn}`, { db: { password: 'new-password' } });
    db.password = 'new-password';
    expect(await invoke()).toEqual({ rows: 'rows', password: 'new-password' });
    expect(reads(fn)).toBe(2);
    // The next invocation gets the new config at once: no refusal, no read.
    expect(await invoke()).toEqual({ rows: 'rows', password: 'new-password' });
    expect([reads(fn), db.calls]).toEqual([2, 4]);
  });

  it('throws the downstream’s error when the secret did not change, and reads at most once every 10 s', async () => {
    const { fn, db, clock, invoke } = setup('right-password');
    await invoke();
    db.password = 'rotated-elsewhere';
    await expect(invoke()).rejects.toMatchObject({ code: '28P01' });
    expect(reads(fn)).toBe(2);
    clock.now += 9_000;
    await expect(invoke()).rejects.toMatchObject({ code: '28P01' });
    expect(reads(fn)).toBe(2); // within 10 s of the last read: none
    clock.now += 1_000;
    await expect(invoke()).rejects.toMatchObject({ code: '28P01' });
    expect(reads(fn)).toBe(3);
  });

  it('shares one read among invocations refused at the same time', async () => {
    const { fn, db, invoke } = setup('before');
    await invoke();
    sm.put(`/lambdakit/${fn}`, { db: { password: 'after' } });
    db.password = 'after';
    sm.pause();
    const pending = Array.from({ length: 20 }, () => invoke());
    await vi.waitFor(() => expect(reads(fn)).toBe(2));
    sm.resume();
    const results = await Promise.all(pending);
    expect(results.every((r) => r.password === 'after')).toBe(true);
    expect(reads(fn)).toBe(2);
  });

  it('leaves other failures alone, and throws the downstream’s error when the read fails (one warning)', async () => {
    const { fn, db, clock, invoke } = setup('pw-123456');
    await invoke();
    const other = Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    const query = vi.spyOn(db, 'query').mockImplementationOnce(() => {
      throw other;
    });
    await expect(invoke()).rejects.toBe(other);
    expect(reads(fn)).toBe(1);
    query.mockRestore();
    const warnings: string[] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation(((warning: string, options?: { type?: string }) => {
      if (options?.type === WARNING_TYPE) warnings.push(warning);
    }) as typeof process.emitWarning);
    db.password = 'elsewhere';
    sm.deny(`/lambdakit/${fn}`);
    clock.now += 60_000;
    try {
      await expect(invoke()).rejects.toMatchObject({ code: '28P01' });
    } finally {
      sm.deny(`/lambdakit/${fn}`, false);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('reading it again failed');
    expect(warnings[0]).toContain('AccessDeniedException');
  });

  it('refuses a ctx without config(), a fn that is not a function and a bad isAuthFailure', async () => {
    await expect(refreshOnAuthFailure({ config: {} }, () => 1)).rejects.toThrow(
      'refreshOnAuthFailure(ctx, fn): ctx has no configuration from config()',
    );
    let ctx: { config: unknown } | undefined;
    const handler = lambda()
      .use(config({ schema: z.object({}), source: 'env', env: {}, prefetch: false }))
      .handle(async (_event: unknown, c) => {
        ctx = c;
      });
    await handler({}, createContext());
    await expect(refreshOnAuthFailure(ctx!, 'query' as never)).rejects.toThrow(
      'refreshOnAuthFailure(ctx, fn): expected a function, got query',
    );
    await expect(refreshOnAuthFailure(ctx!, () => 1, { isAuthFailure: 1 as never })).rejects.toThrow(
      'refreshOnAuthFailure(ctx, fn, { isAuthFailure }): expected a function',
    );
    // With the environment as the only source there is nothing to read again: the error stands.
    const refused = Object.assign(new Error('refused'), { status: 401 });
    await expect(
      refreshOnAuthFailure(ctx!, () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
  });
});

describe('isAuthFailure', () => {
  it.each([
    ['PostgreSQL invalid_password', { code: '28P01' }],
    ['MySQL access denied', { code: 'ER_ACCESS_DENIED_ERROR', errno: 1045 }],
    ['MongoDB AuthenticationFailed', { name: 'MongoServerError', code: 18 }],
    ['Redis WRONGPASS', new Error('WRONGPASS invalid username-password pair or user is disabled.')],
    ['an HTTP 401 (axios)', { response: { status: 401 } }],
    ['an HTTP 401 (fetch-style)', { status: 401 }],
    ['an AWS SDK 401', { $metadata: { httpStatusCode: 401 } }],
  ])('knows %s', (_what, error) => {
    expect(isAuthFailure(error)).toBe(true);
  });

  it.each([
    ['a timeout', { code: 'ETIMEDOUT' }],
    ['an HTTP 403', { status: 403 }],
    ['a string', '28P01'],
    ['null', null],
    ['a message that mentions a password', new Error('password too short')],
  ])('refuses %s', (_what, error) => {
    expect(isAuthFailure(error)).toBe(false);
  });
});
