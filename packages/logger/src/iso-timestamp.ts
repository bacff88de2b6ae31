// The date and time down to the second, as `toISOString()` writes it, for the last second seen.
// Shared by every logger in the process: it is a pure function of the clock, so concurrent
// invocations can share it safely, and it makes a line's timestamp cost a string concatenation
// instead of a Date allocation and formatting (about 1.5 µs measured) per line.
let cachedSecond = Number.NaN;
let cachedPrefix = '';
const MAX_DATE_MS = 8.64e15; // what a Date can hold, either side of 1970

/** `new Date(epochMs).toISOString()`, faster when called many times within one second. */
export function isoTimestamp(time: number): string {
  const epochMs = Math.trunc(time); // as Date does with a fraction of a millisecond
  if (!(Math.abs(epochMs) <= MAX_DATE_MS)) throw new RangeError('Invalid time value');
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    const iso = new Date(second * 1000).toISOString(); // …T09:12:03.000Z, or an invalid-date RangeError
    cachedPrefix = iso.slice(0, -4); // keeps the '.'
    cachedSecond = second;
  }
  const ms = epochMs - second * 1000;
  return `${cachedPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
}
