import type { Figure } from './stats.js';

/**
 * One row of the chart that opens RESULTS.md: lambdakit's cost in a scenario as a ratio to a
 * reference (lower is better; a throughput is turned into a cost, reference ÷ lambdakit), the
 * issue's aim for it, and Powertools' and Middy's ratio to the same reference where they run.
 */
export interface AimPoint {
  /** Stable across runs and Node versions: rows are matched by it. */
  key: string;
  label: string;
  /** The reference the ratio is taken against (`bare`, `floor`, `Powertools`). */
  against: string;
  aim: number;
  lambdakit: Figure;
  powertools?: number | undefined;
  middy?: number | undefined;
}

/** A throughput (higher is better) as a cost ratio (lower is better): reference ÷ variant. */
export function throughputCost(variant: Figure, reference: number): Figure {
  return {
    min: reference / variant.max,
    median: reference / variant.median,
    max: reference / variant.min,
    n: variant.n,
  };
}

/** A single deterministic ratio (a byte count) as a figure. */
export function exact(ratio: number): Figure {
  return { min: ratio, median: ratio, max: ratio, n: 1 };
}
