/** Min, median and max of a set of measurements, plus how many there were. */
export interface Figure {
  min: number;
  median: number;
  max: number;
  n: number;
}

/** Summarises samples; the median of an even count is the mean of the middle two. */
export function summarize(samples: readonly number[]): Figure {
  if (samples.length === 0) throw new RangeError('summarize(): no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]!, n: sorted.length };
}
