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

describe('idempotencyKey refuses what it cannot encode faithfully (two such keys could share a record)', () => {
  it.each([
    ['NaN', Number.NaN, 'NaN, which has no JSON form'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity, which has no JSON form'],
    ['Number("abc")', Number('abc'), 'NaN'],
    ['an invalid Date', new Date('nope'), 'an invalid Date'],
    ['a Date', new Date(0), 'a Date (use date.toISOString()'],
    ['a Set', new Set(['a']), 'a Set'],
    ['a Map', new Map([['a', 1]]), 'a Map'],
    ['a Uint8Array', new Uint8Array([1, 2]), 'bytes'],
    ['a Buffer', Buffer.from('x'), 'bytes'],
    ['a BigInt', 10n, 'a BigInt'],
    ['a class instance', new (class Order {})(), 'an instance of Order'],
    ['a function', () => 1, 'a function'],
  ])('%s', (_name, value, found) => {
    expect(() => idempotencyKey('p', value)).toThrow(found);
    expect(() => idempotencyKey('p', { order: { at: [1, value] } })).toThrow(`the key at .order.at[1] is`);
  });

  it('refuses a cycle and a structure nested past 64 levels', () => {
    const cyclic: Record<string, unknown> = { id: 'a' };
    cyclic.self = cyclic;
    expect(() => idempotencyKey('p', cyclic)).toThrow('a cycle');
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => idempotencyKey('p', deep)).toThrow('nested deeper than 64 levels');
  });

  it('never gives two different accepted values one key (property)', () => {
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('any'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('any'), { maxKeys: 4 }),
      ),
    })).any;
    // The equality keys stand for: JSON's (member order aside, -0 is 0).
    const data = (v: unknown) => JSON.parse(JSON.stringify(v));
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(idempotencyKey('p', a) === idempotencyKey('p', b)).toBe(isDeepStrictEqual(data(a), data(b)));
      }),
      { numRuns: 500 },
    );
  });

  it('does not normalise Unicode: composed and decomposed forms are two keys', () => {
    expect(idempotencyKey('p', '\u00e9')).not.toBe(idempotencyKey('p', 'e\u0301'));
  });
});

describe('isMissingKey', () => {
  it.each([undefined, null, '', [], {}, [undefined], [null, undefined], { id: undefined }, { a: null, b: undefined }])(
    'treats %j as missing',
    (value) => expect(isMissingKey(value)).toBe(true),
  );

  it.each([0, false, ' ', [null, 1], { id: 0 }, 'x', [''], { id: '' }])('treats %j as a key', (value) => {
    expect(isMissingKey(value)).toBe(false);
  });
});
