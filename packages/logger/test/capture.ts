import type { LineDestination } from '@lambdakit/core';

/** A destination keeping every line written, for tests. */
export interface Capture extends LineDestination {
  readonly lines: string[];
  /** Every line parsed (each must be one JSON object ending in a newline). */
  records(): Record<string, any>[];
  /** Messages of the lines written, in order. */
  messages(): unknown[];
}

/** A destination capturing lines in memory. */
export function capture(): Capture {
  const lines: string[] = [];
  return {
    lines,
    write(line: string) {
      lines.push(line);
    },
    records() {
      return lines.map((line) => {
        if (!line.endsWith('\n') || line.indexOf('\n') !== line.length - 1) throw new Error(`not one line: ${line}`);
        const parsed: unknown = JSON.parse(line);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
          throw new Error(`not an object: ${line}`);
        return parsed as Record<string, any>;
      });
    },
    messages() {
      return this.records().map((record) => record.message);
    },
  };
}
