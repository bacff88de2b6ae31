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

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
};

/** A commander argument parser for a size in bytes: `300KB`, `2MB`, `1048576` (KB and MB are 1024-based), from 1 to `max`. */
export function size(max: number): (value: string) => number {
  return (value) => {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
    const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'x'];
    const bytes = match === null || unit === undefined ? Number.NaN : Math.round(Number(match[1]) * unit);
    if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > max) {
      throw new InvalidArgumentError(`expected a size such as 300KB, 2MB or 1048576 (bytes), at most ${max} bytes`);
    }
    return bytes;
  };
}
