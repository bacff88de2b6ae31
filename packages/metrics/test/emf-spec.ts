// Checks a line against CloudWatch's Embedded Metric Format specification, rule by rule, so the
// tests assert what CloudWatch Logs would accept, not only what this package happens to write.
import { expect } from 'vitest';
import { metricUnits } from '../src/index.js';

/** One parsed EMF object. */
export type EmfObject = Record<string, unknown> & {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit?: string; StorageResolution?: number }[];
    }[];
  };
};

const units: ReadonlySet<string> = new Set(metricUnits);

function keysOf(value: object): string[] {
  return Object.keys(value).sort();
}

/** Parses one line and asserts every rule of the EMF specification on it. */
export function parseEmf(line: string): EmfObject {
  expect(line).not.toContain('\n');
  // CloudWatch Logs: an event is at most 262,144 bytes, 26 of them overhead; the newline counts.
  expect(Buffer.byteLength(line) + 1, 'line bytes with its newline').toBeLessThanOrEqual(262_118);
  const root = JSON.parse(line) as EmfObject;
  // Root node: a JSON object whose `_aws` member is the metadata object.
  expect(typeof root).toBe('object');
  expect(Array.isArray(root)).toBe(false);
  const aws = root._aws;
  expect(keysOf(aws)).toEqual(['CloudWatchMetrics', 'Timestamp']);
  // Timestamp: an integer, milliseconds since the epoch. Seconds (1.7e9 today) would read as
  // January 1970; CloudWatch rejects timestamps more than 2 hours ahead of its clock.
  expect(Number.isInteger(aws.Timestamp)).toBe(true);
  expect(aws.Timestamp, 'Timestamp in epoch milliseconds, after 2020').toBeGreaterThanOrEqual(Date.UTC(2020, 0, 1));
  expect(aws.Timestamp, 'Timestamp at most 2 hours ahead').toBeLessThanOrEqual(Date.now() + 2 * 3600_000);
  expect(Array.isArray(aws.CloudWatchMetrics)).toBe(true);
  for (const directive of aws.CloudWatchMetrics) {
    // MetricDirective: exactly Namespace, Dimensions and Metrics.
    expect(keysOf(directive)).toEqual(['Dimensions', 'Metrics', 'Namespace']);
    expect(typeof directive.Namespace).toBe('string');
    expect(directive.Namespace.length).toBeGreaterThan(0);
    expect(Array.isArray(directive.Dimensions)).toBe(true);
    for (const set of directive.Dimensions) {
      // DimensionSet: at most 30 keys, each naming a top-level string member.
      expect(Array.isArray(set)).toBe(true);
      expect(set.length).toBeLessThanOrEqual(30);
      for (const key of set) expect(typeof root[key], `dimension ${key}`).toBe('string');
    }
    // At most 100 MetricDefinitions, each naming a number or an array of at most 100 numbers.
    expect(directive.Metrics.length).toBeGreaterThan(0);
    expect(directive.Metrics.length).toBeLessThanOrEqual(100);
    for (const definition of directive.Metrics) {
      for (const key of Object.keys(definition)) expect(['Name', 'Unit', 'StorageResolution']).toContain(key);
      expect(typeof definition.Name).toBe('string');
      if (definition.Unit !== undefined) expect(units.has(definition.Unit)).toBe(true);
      if (definition.StorageResolution !== undefined) expect([1, 60]).toContain(definition.StorageResolution);
      const target = root[definition.Name];
      if (Array.isArray(target)) {
        expect(target.length).toBeLessThanOrEqual(100);
        for (const value of target) expect(typeof value).toBe('number');
      } else {
        expect(typeof target, `metric ${definition.Name}`).toBe('number');
      }
    }
  }
  return root;
}

/** A `destination` that keeps every line (without its newline), checking each is one whole line. */
export function lineSink(): { lines: string[]; write: (line: string) => void; objects: () => EmfObject[] } {
  const lines: string[] = [];
  const write = (line: string) => {
    expect(line.indexOf('\n'), 'one line a write, ending in a newline').toBe(line.length - 1);
    lines.push(line.slice(0, -1));
  };
  return { lines, write, objects: () => lines.map(parseEmf) };
}
