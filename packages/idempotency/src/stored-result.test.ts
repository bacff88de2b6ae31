import { brotliCompressSync } from 'node:zlib';
import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { captureWarnings, expectedKey } from '../test/support.js';
import { type IdempotencyRecord, type IdempotencyStore, makeIdempotent, memoryStore } from './index.js';

const farFuture = () => Math.ceil(Date.now() / 1000) + 3600;

/** A store already holding a COMPLETED record for `id` with the given stored result. */
async function storeWith(id: string, result: IdempotencyRecord['result']): Promise<IdempotencyStore> {
  const store = memoryStore();
  const token = 'seed';
  await store.acquire(
    { id, status: 'IN_PROGRESS', expiration: farFuture(), inProgressExpiration: Date.now() + 60_000, lockToken: token },
    Date.now(),
  );
  await store.complete({ id, status: 'COMPLETED', expiration: farFuture(), result }, token);
  return store;
}

const charged = (store: IdempotencyStore, calls: { count: number }) =>
  makeIdempotent(
    async (payment: { id: string }) => {
      calls.count += 1;
      return { charged: payment.id };
    },
    { store, key: (payment) => payment.id, keyPrefix: 'charge' },
  );

describe('a stored result that cannot be decoded', () => {
  it('is decompressed with a limit: a brotli bomb (a few KB, gigabytes once expanded) is never expanded', async () => {
    const bomb = brotliCompressSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    expect(bomb.byteLength).toBeLessThan(10_000);
    const store = await storeWith(expectedKey('charge', '"p-1"'), { encoding: 'json+br', data: new Uint8Array(bomb) });
    const warnings = captureWarnings();
    const calls = { count: 0 };
    try {
      await expect(charged(store, calls)({ id: 'p-1' }, createContext())).resolves.toEqual({ charged: 'p-1' });
    } finally {
      warnings.stop();
    }
    expect(calls.count).toBe(1);
    expect(warnings.codes()).toContain('LAMBDAKIT_IDEMPOTENCY_RECORD_CORRUPT');
  });

  it('is discarded so its key is not blocked until it expires: the call runs, and its result replays next time', async () => {
    const store = await storeWith(expectedKey('charge', '"p-2"'), { encoding: 'json', data: '{"not json' });
    const warnings = captureWarnings();
    const calls = { count: 0 };
    const charge = charged(store, calls);
    try {
      await expect(charge({ id: 'p-2' }, createContext())).resolves.toEqual({ charged: 'p-2' });
      await expect(charge({ id: 'p-2' }, createContext())).resolves.toEqual({ charged: 'p-2' });
    } finally {
      warnings.stop();
    }
    expect(calls.count).toBe(1);
    expect(warnings.seen.map((warning) => warning.message)).toEqual([
      expect.stringMatching(
        /stored result of charge#[0-9a-f]{64} cannot be decoded .*the record was discarded and the call runs again/,
      ),
    ]);
  });

  it('fails the call, as before, with a store that cannot discard', async () => {
    const inner = await storeWith(expectedKey('charge', '"p-3"'), { encoding: 'json', data: '{"not json' });
    const { discard: _discard, ...withoutDiscard } = inner;
    const calls = { count: 0 };
    const error = await charged(withoutDiscard as IdempotencyStore, calls)({ id: 'p-3' }, createContext()).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_STORE_FAILED', operation: 'decode' });
    expect(calls.count).toBe(0);
  });
});

describe('a result larger than Lambda can return', () => {
  it('is not stored: IDEMPOTENCY_RESULT_TOO_LARGE, and the key is free again', async () => {
    const store = memoryStore();
    const huge = makeIdempotent(async (_event: { id: string }) => ({ data: 'x'.repeat(6 * 1024 * 1024) }), {
      store,
      key: (event: { id: string }) => event.id,
      keyPrefix: 'huge',
    });
    const error = await huge({ id: 'h-1' }, createContext()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IDEMPOTENCY_RESULT_TOO_LARGE', limitBytes: 6291456 });
    expect((error as Error).message).toContain("a result replayed is at most 6291456 (Lambda's response limit)");
    expect(store.records()).toEqual([]);
  });
});
