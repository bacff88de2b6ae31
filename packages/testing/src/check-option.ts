// A bad option is the caller's mistake, reported when the door is called: a TypeError naming the
// door and the option, `startLocalSsm({ port }): expected an integer from 0 to 65535, got -1`.

/** What an option must be: a test and the words for it. */
export type OptionRule = readonly [test: (value: unknown) => boolean, expected: string];

/** A port to listen on; 0 picks a free one. */
export const isPort: OptionRule = [
  (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535,
  'an integer from 0 to 65535',
];
/** A name, region or identifier. */
export const isText: OptionRule = [(v) => typeof v === 'string' && v !== '', 'a non-empty string'];
/** An AWS account id. */
export const isAccountId: OptionRule = [(v) => typeof v === 'string' && /^\d{12}$/.test(v), 'a 12-digit account id'];
/** A duration or size that must be more than nothing. */
export const isPositive: OptionRule = [
  (v) => typeof v === 'number' && v > 0 && Number.isFinite(v),
  'a positive number',
];
/** A count of whole things. */
export const isPositiveInteger: OptionRule = [
  (v) => Number.isSafeInteger(v) && (v as number) > 0,
  'a positive integer',
];
/** A callback, such as the clock. */
export const isFunction: OptionRule = [(v) => typeof v === 'function', 'a function'];
/** A record of values by name. */
export const isRecord: OptionRule = [(v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object'];
/** A list. */
export const isList: OptionRule = [(v) => Array.isArray(v), 'an array'];

/** Throws `door(options): expected an object` unless `options` is an options object. */
export function checkOptions(door: string, options: unknown): void {
  if (!isRecord[0](options)) throw new TypeError(`${door}(options): expected an object, got ${describe(options)}`);
}

/** Throws `door({ option }): expected …, got …` unless `value` is undefined or follows `rule`. */
export function checkOption(door: string, option: string, value: unknown, [test, expected]: OptionRule): void {
  if (value !== undefined && !test(value)) {
    throw new TypeError(`${door}({ ${option} }): expected ${expected}, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
