import { describe, expect, it } from 'vitest';
import { protocolStores } from '../test/support.js';
import type { IdempotencyRecord } from './index.js';

const NOW = Date.UTC(2030, 0, 1);
const lock = (id: string, overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  id,
  status: 'IN_PROGRESS',
  expiration: NOW / 1000 + 3600,
  inProgressExpiration: NOW + 10_000,
  lockToken: 'token-a',
  ...overrides,
});
const completed = (id: string, overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  id,
  status: 'COMPLETED',
  expiration: NOW / 1000 + 3600,
  result: { encoding: 'json', data: '{"ok":true}' },
  ...overrides,
});

describe.each(protocolStores())('the store contract of %s', (_name, newStore) => {
  it('locks an absent key, and refuses a live lock or a live completed record', async () => {
    const store = await newStore();
    expect(await store.acquire(lock('k'), NOW)).toEqual({ acquired: true });
    const second = await store.acquire(lock('k', { lockToken: 'token-b' }), NOW + 9_999);
    expect(second.acquired).toBe(false);
    // DynamoDB returns the old item here; dynalite does not, and the protocol then reads it.
    if (!second.acquired && second.existing !== undefined)
      expect(second.existing).toMatchObject({ lockToken: 'token-a' });
    expect(await store.get('k')).toEqual(lock('k'));
    expect(await store.complete(completed('k'), 'token-a')).toBe(true);
    expect((await store.acquire(lock('k', { lockToken: 'token-c' }), NOW + 20_000)).acquired).toBe(false);
    expect(await store.get('k')).toEqual(completed('k'));
  });

  it('takes over a lock at its in-progress expiry, and any record at its expiration', async () => {
    const store = await newStore();
    await store.acquire(lock('lock'), NOW);
    expect(await store.acquire(lock('lock', { lockToken: 'token-b' }), NOW + 10_000)).toEqual({ acquired: true });
    expect((await store.get('lock'))?.lockToken).toBe('token-b');
    await store.acquire(lock('done'), NOW);
    await store.complete(completed('done', { expiration: NOW / 1000 + 60 }), 'token-a');
    expect((await store.acquire(lock('done', { lockToken: 'token-b' }), NOW + 59_999)).acquired).toBe(false);
    expect(await store.acquire(lock('done', { lockToken: 'token-b' }), NOW + 60_000)).toEqual({ acquired: true });
  });

  it('completes and releases only a lock held under the given token', async () => {
    const store = await newStore();
    await store.acquire(lock('k'), NOW);
    expect(await store.complete(completed('k'), 'token-other')).toBe(false);
    expect(await store.release('k', 'token-other')).toBe(false);
    expect(await store.get('k')).toEqual(lock('k'));
    expect(await store.release('k', 'token-a')).toBe(true);
    expect(await store.get('k')).toBeUndefined();
    expect(await store.complete(completed('k'), 'token-a')).toBe(false);
    expect(await store.get('k')).toBeUndefined();
  });

  it('never releases a completed record, even with the token that locked it', async () => {
    const store = await newStore();
    await store.acquire(lock('k'), NOW);
    await store.complete(completed('k'), 'token-a');
    expect(await store.release('k', 'token-a')).toBe(false);
    expect(await store.complete(completed('k', { result: { encoding: 'json', data: '2' } }), 'token-a')).toBe(false);
    expect(await store.get('k')).toEqual(completed('k'));
  });

  it('round-trips binary (compressed) results and payload hashes', async () => {
    const store = await newStore();
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await store.acquire(lock('b', { payloadHash: 'h' }), NOW);
    await store.complete(completed('b', { payloadHash: 'h', result: { encoding: 'json+br', data: bytes } }), 'token-a');
    expect(await store.get('b')).toEqual(
      completed('b', { payloadHash: 'h', result: { encoding: 'json+br', data: bytes } }),
    );
  });

  it('counts record sizes the way DynamoDB does, attribute names included', async () => {
    const store = await newStore();
    const record = completed('k', { result: { encoding: 'json', data: 'é' } });
    // id:"k" + status:"COMPLETED" + expiration:1893459600 (8 significant digits: 4 bytes, plus
    // 2 as an upper bound for length and exponent) + result:"é" (2 UTF-8 bytes)
    expect(store.recordSize(record)).toBe(2 + 1 + 6 + 9 + 10 + 6 + 6 + 2);
    expect(store.maxRecordBytes).toBe(400 * 1024);
  });
});
