import { randomBytes } from 'node:crypto';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import {
  captureWarnings,
  countingStore,
  deferred,
  expectedKey,
  fakeClock,
  nextTicks,
  protocolStores,
} from '../test/support.js';
import { type IdempotencyError, IdempotencyInProgressError, makeIdempotent, memoryStore } from './index.js';

interface Payment {
  id: string;
  amount: number;
  note?: string;
}

describe.each(protocolStores())('the record protocol on %s', (_name, newStore) => {
  const setup = async (overrides: { timeoutMs?: number } = {}) => {
    const store = await newStore();
    const clock = fakeClock();
    const context = () =>
      createContext({ functionName: 'payments', timeoutMs: overrides.timeoutMs ?? 10_000, now: clock.now });
    return { store, clock, context };
  };

  it('runs the business logic once and replays its stored result (a JSON round trip) to a duplicate', async () => {
    const { store, clock, context } = await setup();
    let runs = 0;
    const charge = makeIdempotent(
      async (payment: Payment) => {
        runs++;
        return { charged: payment.amount, at: new Date(Date.UTC(2030, 0, 1)) };
      },
      { store, key: (payment) => payment.id, now: clock.now },
    );
    const first = await charge({ id: 'p-1', amount: 5 }, context());
    const second = await charge({ id: 'p-1', amount: 5 }, context());
    expect(runs).toBe(1);
    expect(first.at).toBeInstanceOf(Date);
    expect(second).toEqual({ charged: 5, at: '2030-01-01T00:00:00.000Z' });
  });

  it('keeps the records of two tenants apart (tenant isolation): the same key runs once per tenant', async () => {
    const { store, clock, context } = await setup();
    let runs = 0;
    const charge = makeIdempotent(async (payment: Payment) => ({ charged: payment.amount, run: ++runs }), {
      store,
      key: (payment) => payment.id,
      now: clock.now,
    });
    const as = (tenantId: string | undefined) => Object.assign(context(), { tenantId });
    expect(await charge({ id: 'p-7', amount: 5 }, as('blue'))).toEqual({ charged: 5, run: 1 });
    expect(await charge({ id: 'p-7', amount: 5 }, as('green'))).toEqual({ charged: 5, run: 2 });
    expect(await charge({ id: 'p-7', amount: 5 }, as('blue'))).toEqual({ charged: 5, run: 1 });
    expect(await charge({ id: 'p-7', amount: 5 }, as(undefined))).toEqual({ charged: 5, run: 3 });
    expect(runs).toBe(3);
    // Without a tenant the key is as documented: prefix#sha256(canonical JSON of the key).
    expect(await store.get(expectedKey('payments', '"p-7"'))).toMatchObject({ status: 'COMPLETED' });
  });

  it("logs a replay on the context's logger, once per replay, from the store or the local cache", async () => {
    const { store, clock, context } = await setup();
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    const log = { info: (fields: Record<string, unknown>, message: string) => void lines.push({ fields, message }) };
    const withLog = () => Object.assign(context(), { log });
    const charge = makeIdempotent(async (payment: Payment) => ({ charged: payment.amount }), {
      store,
      key: (payment) => payment.id,
      now: clock.now,
    });
    const cached = makeIdempotent(async (payment: Payment) => ({ charged: payment.amount }), {
      store,
      key: (payment) => payment.id,
      now: clock.now,
      localCache: true,
    });
    await charge({ id: 'p-9', amount: 5 }, withLog());
    expect(lines).toEqual([]); // the first run is no replay
    await charge({ id: 'p-9', amount: 5 }, withLog());
    await cached({ id: 'p-9', amount: 5 }, withLog()); // fills the cache from the store
    await cached({ id: 'p-9', amount: 5 }, withLog());
    expect(lines.map((l) => l.fields.replayedFrom)).toEqual(['store', 'store', 'local cache']);
    expect(lines[0]).toEqual({
      fields: { idempotencyKey: expectedKey('payments', '"p-9"'), replayedFrom: 'store' },
      message: 'idempotent replay: returning the stored result',
    });
    // A logger that throws never fails the replay.
    const broken = Object.assign(context(), {
      log: {
        info: () => {
          throw new Error('sink down');
        },
      },
    });
    await expect(charge({ id: 'p-9', amount: 5 }, broken)).resolves.toEqual({ charged: 5 });
  });

  it('stores the record as <function name>#<SHA-256 of the key’s canonical JSON>, whatever the key order', async () => {
    const { store, clock, context } = await setup();
    let runs = 0;
    const fn = makeIdempotent(
      async (event: { a: number; b: number }) => {
        runs++;
        return event.a + event.b;
      },
      { store, key: (event) => ({ b: event.b, a: event.a }), now: clock.now, expiresAfterSeconds: 90 },
    );
    await fn({ a: 1, b: 2 }, context());
    const record = await store.get(expectedKey('payments', '{"a":1,"b":2}'));
    expect(record).toMatchObject({ status: 'COMPLETED', expiration: clock.now() / 1000 + 90 });
    expect(record?.lockToken).toBeUndefined();
    expect(await fn({ b: 2, a: 1 }, context())).toBe(3);
    expect(runs).toBe(1);
  });

  it('keeps functions apart by key prefix: the function name by default, or keyPrefix', async () => {
    const { store, clock } = await setup();
    let runs = 0;
    const options = { store, key: (event: { id: string }) => event.id, now: clock.now };
    const work = async (_event: { id: string }) => ++runs;
    const fn = makeIdempotent(work, options);
    await fn({ id: 'x' }, createContext({ functionName: 'orders', now: clock.now }));
    await fn({ id: 'x' }, createContext({ functionName: 'refunds', now: clock.now }));
    await fn({ id: 'x' }, createContext({ functionName: 'refunds', now: clock.now }));
    const prefixed = makeIdempotent(work, { ...options, keyPrefix: 'shared' });
    await prefixed({ id: 'x' }, createContext({ functionName: 'orders', now: clock.now }));
    await prefixed({ id: 'x' }, createContext({ functionName: 'refunds', now: clock.now }));
    expect(runs).toBe(3);
    expect(await store.get(expectedKey('shared', '"x"'))).toMatchObject({ status: 'COMPLETED' });
  });

  it('refuses a call with neither a Lambda context nor keyPrefix, before running anything', async () => {
    const { store } = await setup();
    let runs = 0;
    const fn = makeIdempotent(async (_event: { id: string }) => ++runs, { store, key: (event) => event.id });
    const error = await fn({ id: 'x' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_KEY_MISSING', key: undefined });
    expect(runs).toBe(0);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an array of missing fields', [undefined, null]],
    ['an object of missing fields', { id: undefined }],
  ])('throws IDEMPOTENCY_KEY_MISSING when the key is %s, without running the business logic', async (_label, value) => {
    const { store, context } = await setup();
    let runs = 0;
    const fn = makeIdempotent(async (_event: unknown) => ++runs, { store, key: () => value });
    await expect(fn({}, context())).rejects.toMatchObject({
      name: 'IdempotencyError',
      code: 'IDEMPOTENCY_KEY_MISSING',
      keyPrefix: 'payments',
    });
    expect(runs).toBe(0);
  });

  it('with missingKey: warn, runs without idempotency on every call and warns each time', async () => {
    const { store, context } = await setup();
    const warnings = captureWarnings();
    try {
      let runs = 0;
      const fn = makeIdempotent(async (_event: { id?: string }) => ++runs, {
        store,
        key: (event) => event.id,
        missingKey: 'warn',
      });
      expect(await fn({}, context())).toBe(1);
      expect(await fn({}, context())).toBe(2);
      await nextTicks();
      expect(warnings.codes().filter((code) => code === 'LAMBDAKIT_IDEMPOTENCY_KEY_MISSING')).toHaveLength(2);
    } finally {
      warnings.stop();
    }
  });

  it('reports a key function that throws, or a key JSON cannot represent, as IDEMPOTENCY_KEY_INVALID with the cause', async () => {
    const { store, context } = await setup();
    const boom = new Error('no such field');
    const throwing = makeIdempotent(async () => 'ran', {
      store,
      key: () => {
        throw boom;
      },
    });
    await expect(throwing({}, context())).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID', cause: boom });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const [value, found] of [
      [10n, 'the key is a BigInt'],
      [cyclic, 'the key at .self is a cycle'],
    ] as const) {
      const fn = makeIdempotent(async () => 'ran', { store, key: () => value });
      await expect(fn({}, context())).rejects.toMatchObject({
        name: 'IdempotencyError',
        code: 'IDEMPOTENCY_KEY_INVALID',
        keyPrefix: 'payments',
        message: expect.stringContaining(`the idempotency key cannot be computed: ${found}`),
        cause: { code: 'IDEMPOTENCY_KEY_INVALID' },
      });
    }
  });

  it('deletes the record when the business logic fails, so a retry runs it again', async () => {
    const { store, clock, context } = await setup();
    let runs = 0;
    const failure = new Error('card declined');
    const charge = makeIdempotent(
      async (_payment: Payment) => {
        runs++;
        if (runs === 1) throw failure;
        return 'charged';
      },
      { store, key: (payment) => payment.id, now: clock.now },
    );
    await expect(charge({ id: 'p-2', amount: 1 }, context())).rejects.toBe(failure);
    expect(await store.get(expectedKey('payments', '"p-2"'))).toBeUndefined();
    expect(await charge({ id: 'p-2', amount: 1 }, context())).toBe('charged');
    expect(runs).toBe(2);
  });

  it('answers a duplicate of a running call with a retryable IdempotencyInProgressError, then replays once it completes', async () => {
    const { store, clock, context } = await setup();
    const gate = deferred();
    let runs = 0;
    const charge = makeIdempotent(
      async (_payment: Payment) => {
        runs++;
        await gate.promise;
        return 'charged';
      },
      { store, key: (payment) => payment.id, now: clock.now },
    );
    const first = charge({ id: 'p-3', amount: 1 }, context());
    await expect.poll(() => runs).toBe(1);
    const duplicate = await charge({ id: 'p-3', amount: 1 }, context()).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(IdempotencyInProgressError);
    expect(duplicate).toMatchObject({
      code: 'IDEMPOTENCY_IN_PROGRESS',
      retryable: true,
      key: expectedKey('payments', '"p-3"'),
      inProgressExpiresAt: clock.now() + 10_000,
    });
    gate.resolve();
    expect(await first).toBe('charged');
    expect(await charge({ id: 'p-3', amount: 1 }, context())).toBe('charged');
    expect(runs).toBe(1);
  });

  it('lets a retry take over a lock whose invocation deadline has passed, and the late first call writes nothing', async () => {
    const { store, clock, context } = await setup();
    const gates = [deferred<string>(), deferred<string>()];
    let runs = 0;
    const charge = makeIdempotent(async (_payment: Payment) => gates[runs++]!.promise, {
      store,
      key: (payment) => payment.id,
      now: clock.now,
    });
    const warnings = captureWarnings();
    try {
      const first = charge({ id: 'p-4', amount: 1 }, context());
      await expect.poll(() => runs).toBe(1);
      clock.advance(9_999);
      await expect(charge({ id: 'p-4', amount: 1 }, context())).rejects.toBeInstanceOf(IdempotencyInProgressError);
      clock.advance(1);
      const second = charge({ id: 'p-4', amount: 1 }, context());
      await expect.poll(() => runs).toBe(2);
      gates[0]!.resolve('late result');
      expect(await first).toBe('late result');
      const key = expectedKey('payments', '"p-4"');
      expect(await store.get(key)).toMatchObject({ status: 'IN_PROGRESS' });
      gates[1]!.resolve('second result');
      expect(await second).toBe('second result');
      expect(await charge({ id: 'p-4', amount: 1 }, context())).toBe('second result');
      await nextTicks();
      expect(warnings.codes()).toContain('LAMBDAKIT_IDEMPOTENCY_LOCK_LOST');
    } finally {
      warnings.stop();
    }
  });

  it('never deletes a lock taken over by another invocation when the old owner fails late', async () => {
    const { store, clock, context } = await setup();
    const gates = [deferred<string>(), deferred<string>()];
    let runs = 0;
    const charge = makeIdempotent(async (_payment: Payment) => gates[runs++]!.promise, {
      store,
      key: (payment) => payment.id,
      now: clock.now,
    });
    const first = charge({ id: 'p-5', amount: 1 }, context());
    await expect.poll(() => runs).toBe(1);
    clock.advance(10_000);
    const second = charge({ id: 'p-5', amount: 1 }, context());
    await expect.poll(() => runs).toBe(2);
    gates[0]!.reject(new Error('old owner failed'));
    await expect(first).rejects.toThrow('old owner failed');
    await expect(charge({ id: 'p-5', amount: 1 }, context())).rejects.toBeInstanceOf(IdempotencyInProgressError);
    gates[1]!.resolve('done');
    expect(await second).toBe('done');
  });

  it('without a Lambda context, holds the lock for inProgressExpiresAfterSeconds', async () => {
    const { store, clock } = await setup();
    const gate = deferred();
    let runs = 0;
    const fn = makeIdempotent(
      async (_event: { id: string }) => {
        runs++;
        await gate.promise;
      },
      { store, key: (event) => event.id, keyPrefix: 'jobs', inProgressExpiresAfterSeconds: 30, now: clock.now },
    );
    const first = fn({ id: 'j' });
    await expect.poll(() => runs).toBe(1);
    expect(await store.get(expectedKey('jobs', '"j"'))).toMatchObject({
      status: 'IN_PROGRESS',
      inProgressExpiration: clock.now() + 30_000,
    });
    gate.resolve();
    await first;
  });

  it('treats an expired COMPLETED record as absent, even before the TTL deletes it', async () => {
    const { store, clock, context } = await setup();
    let runs = 0;
    const fn = makeIdempotent(async (_event: { id: string }) => ++runs, {
      store,
      key: (event) => event.id,
      expiresAfterSeconds: 60,
      now: clock.now,
    });
    expect(await fn({ id: 'e' }, context())).toBe(1);
    clock.advance(59_999);
    expect(await fn({ id: 'e' }, context())).toBe(1);
    clock.advance(1);
    expect(await store.get(expectedKey('payments', '"e"'))).toMatchObject({ status: 'COMPLETED' });
    expect(await fn({ id: 'e' }, context())).toBe(2);
    expect(await fn({ id: 'e' }, context())).toBe(2);
  });

  it('with validatePayload, replays the same payload and rejects a different one under the same key', async () => {
    const { store, clock, context } = await setup();
    let runs = 0;
    const charge = makeIdempotent(
      async (payment: Payment) => {
        runs++;
        return payment.amount;
      },
      {
        store,
        key: (payment) => payment.id,
        validatePayload: true,
        now: clock.now,
      },
    );
    await charge({ id: 'v', amount: 5, note: 'a' }, context());
    expect(await charge({ note: 'a', amount: 5, id: 'v' }, context())).toBe(5);
    const error = await charge({ id: 'v', amount: 6, note: 'a' }, context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_PAYLOAD_MISMATCH', key: expectedKey('payments', '"v"') });
    const { payloadHash, storedPayloadHash } = error as IdempotencyError;
    expect(payloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(storedPayloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(payloadHash).not.toBe(storedPayloadHash);
    expect(runs).toBe(1);

    const selective = makeIdempotent(async (payment: Payment) => payment.amount, {
      store,
      key: (payment) => payment.id,
      keyPrefix: 'selective',
      validatePayload: (payment) => payment.amount,
      now: clock.now,
    });
    await selective({ id: 's', amount: 1, note: 'first' }, context());
    expect(await selective({ id: 's', amount: 1, note: 'other note' }, context())).toBe(1);
    await expect(selective({ id: 's', amount: 2 }, context())).rejects.toMatchObject({
      code: 'IDEMPOTENCY_PAYLOAD_MISMATCH',
    });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
    ['zero', 0],
  ])('replays a result of %s as itself', async (_label, value) => {
    const { store, clock, context } = await setup();
    let runs = 0;
    const fn = makeIdempotent(
      async (_event: { id: string }) => {
        runs++;
        return value;
      },
      {
        store,
        key: (event) => event.id,
        now: clock.now,
      },
    );
    await fn({ id: 'r' }, context());
    expect(await fn({ id: 'r' }, context())).toBe(value);
    expect(runs).toBe(1);
  });

  it('compresses a result too large for a record and replays it intact', async () => {
    const { store, clock, context } = await setup();
    const big = Array.from({ length: 20_000 }, (_, index) => ({ line: index, sku: `SKU-${index % 50}`, qty: 1 }));
    expect(JSON.stringify(big).length).toBeGreaterThan(400 * 1024);
    let runs = 0;
    const fn = makeIdempotent(
      async (_event: { id: string }) => {
        runs++;
        return big;
      },
      {
        store,
        key: (event) => event.id,
        now: clock.now,
      },
    );
    await fn({ id: 'big' }, context());
    expect((await store.get(expectedKey('payments', '"big"')))?.result?.encoding).toBe('json+br');
    expect(await fn({ id: 'big' }, context())).toEqual(big);
    expect(runs).toBe(1);
  });

  it('rejects a result too large even compressed with IDEMPOTENCY_RESULT_TOO_LARGE and leaves no record', async () => {
    const { store, clock, context } = await setup();
    const noise = randomBytes(450_000).toString('base64');
    const fn = makeIdempotent(async (_event: { id: string }) => noise, {
      store,
      key: (event) => event.id,
      now: clock.now,
    });
    const error = await fn({ id: 'huge' }, context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'IDEMPOTENCY_RESULT_TOO_LARGE',
      key: expectedKey('payments', '"huge"'),
      limitBytes: 400 * 1024,
    });
    expect((error as IdempotencyError).sizeBytes).toBeGreaterThan(400 * 1024);
    expect(await store.get(expectedKey('payments', '"huge"'))).toBeUndefined();
  });

  it('rejects a result JSON cannot hold with IDEMPOTENCY_RESULT_INVALID and releases the lock', async () => {
    const { store, clock, context } = await setup();
    const fn = makeIdempotent(async (_event: { id: string }) => ({ total: 10n }), {
      store,
      key: (event) => event.id,
      now: clock.now,
    });
    const error = await fn({ id: 'bigint' }, context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_RESULT_INVALID', key: expectedKey('payments', '"bigint"') });
    expect(await store.get(expectedKey('payments', '"bigint"'))).toBeUndefined();
  });

  it('keeps nested idempotent calls independent: an inner success survives an outer failure', async () => {
    const { store, clock, context } = await setup();
    let innerRuns = 0;
    let outerRuns = 0;
    const reserve = makeIdempotent(
      async (sku: string) => {
        innerRuns++;
        return `reserved ${sku}`;
      },
      {
        store,
        key: (sku) => sku,
        keyPrefix: 'reserve',
        now: clock.now,
      },
    );
    const order = makeIdempotent(
      async (event: { id: string; sku: string }, ctx: ReturnType<typeof context>) => {
        outerRuns++;
        const reservation = await reserve(event.sku, ctx);
        if (outerRuns === 1) throw new Error('payment failed after the reservation');
        return reservation;
      },
      { store, key: (event) => event.id, keyPrefix: 'order', now: clock.now },
    );
    await expect(order({ id: 'o-1', sku: 'sku-9' }, context())).rejects.toThrow('payment failed');
    expect(await store.get(expectedKey('reserve', '"sku-9"'))).toMatchObject({ status: 'COMPLETED' });
    expect(await store.get(expectedKey('order', '"o-1"'))).toBeUndefined();
    expect(await order({ id: 'o-1', sku: 'sku-9' }, context())).toBe('reserved sku-9');
    expect({ innerRuns, outerRuns }).toEqual({ innerRuns: 1, outerRuns: 2 });
  });

  it('runs the business logic exactly once for 20 concurrent invocations with one key', async () => {
    const { store, clock, context } = await setup();
    let runs = 0;
    const fn = makeIdempotent(
      async (_event: { id: string }) => {
        runs++;
        return { done: true };
      },
      {
        store,
        key: (event) => event.id,
        now: clock.now,
      },
    );
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => fn({ id: 'c' }, context())));
    expect(runs).toBe(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') expect(outcome.value).toEqual({ done: true });
      else expect(outcome.reason).toBeInstanceOf(IdempotencyInProgressError);
    }
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
  });

  it('answers 19 concurrent duplicates of a held key with IdempotencyInProgressError and 20 later ones with the replay', async () => {
    const { store, clock, context } = await setup();
    const gate = deferred();
    let runs = 0;
    const fn = makeIdempotent(
      async (_event: { id: string }) => {
        runs++;
        await gate.promise;
        return 'once';
      },
      { store, key: (event) => event.id, now: clock.now },
    );
    const calls = Array.from({ length: 20 }, () => fn({ id: 'g' }, context()));
    const settled = Promise.allSettled(calls);
    let rejected = 0;
    for (const call of calls) call.catch(() => rejected++);
    await expect.poll(() => rejected).toBe(19);
    gate.resolve();
    const during = await settled;
    expect(during.filter((outcome) => outcome.status === 'fulfilled')).toEqual([
      { status: 'fulfilled', value: 'once' },
    ]);
    expect(
      during.every((outcome) => outcome.status === 'fulfilled' || outcome.reason instanceof IdempotencyInProgressError),
    ).toBe(true);
    const after = await Promise.all(Array.from({ length: 20 }, () => fn({ id: 'g' }, context())));
    expect(after).toEqual(Array(20).fill('once'));
    expect(runs).toBe(1);
  });

  it('serves a duplicate from the local cache without a store call, until the record expires', async () => {
    const { store: inner, clock, context } = await setup();
    const { store, calls } = countingStore(inner);
    let runs = 0;
    const fn = makeIdempotent(
      async (_event: { id: string }) => {
        runs++;
        return { n: runs };
      },
      {
        store,
        key: (event) => event.id,
        localCache: true,
        expiresAfterSeconds: 60,
        now: clock.now,
      },
    );
    await fn({ id: 'l' }, context());
    expect(calls).toEqual(['acquire', 'complete']);
    calls.length = 0;
    const replayed = await fn({ id: 'l' }, context());
    expect(replayed).toEqual({ n: 1 });
    replayed.n = 99; // a caller mutating its replay must not change the next one
    expect(await fn({ id: 'l' }, context())).toEqual({ n: 1 });
    expect(calls).toEqual([]);
    clock.advance(60_000);
    expect(await fn({ id: 'l' }, context())).toEqual({ n: 2 });
    expect(calls).toEqual(['acquire', 'complete']);
  });
});

describe('makeIdempotent options', () => {
  const store = memoryStore();
  const key = () => 'k';
  const noop = async () => {};

  it.each([
    ['a missing store', { key }, /store/],
    ['a key that is not a function', { store, key: 'id' }, /key/],
    ['an empty keyPrefix', { store, key, keyPrefix: '' }, /keyPrefix/],
    ['a zero expiresAfterSeconds', { store, key, expiresAfterSeconds: 0 }, /expiresAfterSeconds/],
    ['a NaN expiresAfterSeconds', { store, key, expiresAfterSeconds: Number.NaN }, /expiresAfterSeconds/],
    [
      'a negative inProgressExpiresAfterSeconds',
      { store, key, inProgressExpiresAfterSeconds: -1 },
      /inProgressExpiresAfterSeconds/,
    ],
    ['an unknown missingKey', { store, key, missingKey: 'ignore' }, /missingKey/],
    ['a zero localCache size', { store, key, localCache: { maxItems: 0 } }, /maxItems/],
    ['a clock that is not a function', { store, key, now: 0 }, /now/],
  ])('rejects %s with a TypeError when the function is wrapped, not at the first call', (_label, options, message) => {
    const wrap = () => makeIdempotent(noop, options as never);
    expect(wrap).toThrow(TypeError);
    expect(wrap).toThrow(message);
  });

  it('rejects something other than a function to wrap', () => {
    expect(() => makeIdempotent('handler' as never, { store, key })).toThrow(TypeError);
  });
});
