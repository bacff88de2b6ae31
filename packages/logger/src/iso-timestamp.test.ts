import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './iso-timestamp.js';

describe('isoTimestamp', () => {
  it('writes what Date#toISOString writes, for any time a Date can hold', () => {
    const range = fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 });
    fc.assert(
      fc.property(range, (ms) => {
        expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2_000 },
    );
  });

  it('stays right across second, minute, day and year boundaries in a row (the cached part changes)', () => {
    const start = Date.UTC(2025, 11, 31, 23, 59, 58, 990);
    for (let ms = start; ms < start + 2_100; ms += 7) expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
  });

  it('writes fractional milliseconds as Date does (truncated toward zero)', () => {
    for (const ms of [1_741_806_238_005.9, -0.5, -1_000.25, 999.999])
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
  });

  it('throws as Date does for a time out of range', () => {
    for (const ms of [8_640_000_000_000_001, -8_640_000_000_000_001, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => isoTimestamp(ms)).toThrow(RangeError);
  });
});
