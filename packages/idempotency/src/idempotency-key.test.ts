import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idempotencyKey, isMissingKey } from './idempotency-key.js';

describe('idempotencyKey', () => {
  it('is the prefix, # and the hex SHA-256 of the canonical JSON', () => {
    const hash = createHash('sha256').update('{"a":1,"b":[true,null]}').digest('hex');
    expect(idempotencyKey('orders', { b: [true, null], a: 1 })).toBe(`orders#${hash}`);
  });

  it('gives different keys to different data under one prefix, and to one value under two prefixes', () => {
    const data = (value: unknown) => JSON.parse(JSON.stringify(value));
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(idempotencyKey('p', a) === idempotencyKey('p', b)).toBe(isDeepStrictEqual(data(a), data(b)));
        expect(idempotencyKey('p1', a)).not.toBe(idempotencyKey('p2', a));
      }),
    );
  });

  it('cannot be steered by a key that looks like a prefix: hostile strings are hashed', () => {
    expect(idempotencyKey('orders', 'x#y')).toMatch(/^orders#[0-9a-f]{64}$/);
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(idempotencyKey('orders', value)).toMatch(/^orders#[0-9a-f]{64}$/);
      }),
    );
  });
});

describe('isMissingKey', () => {
  it.each([undefined, null, [undefined], [null, undefined], { id: undefined }, { a: null, b: undefined }])(
    'treats %j as missing',
    (value) => expect(isMissingKey(value)).toBe(true),
  );

  it.each(['', 0, false, [], {}, [null, 1], { id: 0 }, 'x'])('treats %j as a key', (value) => {
    expect(isMissingKey(value)).toBe(false);
  });
});
