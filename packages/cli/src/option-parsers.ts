import { InvalidArgumentError } from 'commander';

/** A commander argument parser for a whole number from `min` to `max`. */
export function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value.trim()) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return parsed;
  };
}

/** A commander argument parser for a number of `unit` above 0, at most `max`. */
export function positive(unit: string, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0 || parsed > max) {
      throw new InvalidArgumentError(`expected a number of ${unit} above 0, at most ${max}`);
    }
    return parsed;
  };
}

/** A commander argument parser for a repeatable option: every value, in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
