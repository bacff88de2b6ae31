import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/** Rebuilds every object of `value` with its keys in reverse insertion order. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).reverse();
  const copy: Record<string, unknown> = {};
  for (const [name, member] of entries)
    Object.defineProperty(copy, name, {
      value: reordered(member),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}

describe('canonicalJson', () => {
  it('gives the same text for the same data whatever order its keys were built in', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(reordered(value))).toBe(canonicalJson(value));
      }),
    );
  });

  it('means what JSON.stringify means: parsing it gives the same data', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withNullPrototype: true, withSparseArray: true }), (value) => {
        const canonical = canonicalJson(value);
        const plain = JSON.stringify(value);
        expect(canonical === undefined ? undefined : JSON.parse(canonical)).toEqual(
          plain === undefined ? undefined : JSON.parse(plain),
        );
      }),
    );
  });

  it('gives the same text exactly when the data is equal', () => {
    const data = (value: unknown) => JSON.parse(JSON.stringify(value));
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(canonicalJson(a) === canonicalJson(b)).toBe(isDeepStrictEqual(data(a), data(b)));
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), (a) => {
        expect(canonicalJson(reordered(a))).toBe(canonicalJson(a));
      }),
    );
  });

  it('sorts keys at every level and drops what JSON drops', () => {
    expect(canonicalJson({ b: [{ d: 1, c: undefined, a: () => 1 }], a: new Date(0), z: Number.NaN })).toBe(
      '{"a":"1970-01-01T00:00:00.000Z","b":[{"d":1}],"z":null}',
    );
    expect(canonicalJson([undefined, Symbol('s')])).toBe('[null,null]');
    expect(canonicalJson(undefined)).toBeUndefined();
  });

  it('keeps hostile keys as plain data', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"constructor":2}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"x":1},"constructor":2}');
  });

  it('throws TypeError on cycles and BigInt, as JSON.stringify does, but accepts shared references', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    const shared = { x: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"x":1},{"x":1}]');
  });
});
