/** @internal The door a logger's options came through: `createLogger()` or the `logger()` middleware. */
export type LoggerDoor = 'createLogger' | 'logger';

/**
 * @internal The `TypeError` of a bad option, naming the door it was given to and the option:
 * `logger({ sampleRate }): expected a number from 0 to 1, got 2`.
 */
export function optionError(door: LoggerDoor, option: string, expected: string): TypeError {
  return new TypeError(`${door}({ ${option} }): ${expected}`);
}

/** @internal The integer option, or `fallback` when it is not given. */
export function integerOption(
  value: number | undefined,
  name: string,
  fallback: number,
  min: number,
  door: LoggerDoor,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    throw optionError(door, name, `expected an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
}

/** @internal Throws unless `value` is a function or undefined. */
export function assertFunction(value: unknown, name: string, door: LoggerDoor): void {
  if (value !== undefined && typeof value !== 'function') throw optionError(door, name, 'expected a function');
}

/** @internal Throws unless `value` is a boolean or undefined. */
export function assertBoolean(value: unknown, name: string, door: LoggerDoor): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw optionError(door, name, `expected a boolean, got ${String(value)}`);
  }
}
