import { settings } from './settings.js';
import { type Figure, summarize } from './stats.js';

/** One contender in a warm comparison: `run()` performs one invocation. */
export interface Contender {
  name: string;
  run: () => unknown;
}

/** Times `iterations` sequential calls (each awaited when it returns a promise); ns per call. */
async function timeBatch(run: () => unknown, iterations: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const out = run();
    if (out instanceof Promise) await out;
  }
  return Number(process.hrtime.bigint() - start) / iterations;
}

/** How many calls fill `ms` milliseconds, measured after a warm-up of that length. */
async function calibrate(run: () => unknown, ms: number): Promise<number> {
  let iterations = 16;
  for (;;) {
    const nsPerCall = await timeBatch(run, iterations);
    if (nsPerCall * iterations >= (ms * 1e6) / 4 || iterations > 1e7) {
      return Math.max(8, Math.round((ms * 1e6) / nsPerCall));
    }
    iterations *= 4;
  }
}

/**
 * Warm comparison on a shared, noisy machine: every contender is warmed up, then timed in
 * interleaved rounds (the order rotates each round). No full GC is forced between batches: a
 * forced mark-compact every batch made generic code (zod's, pino's, the loggers') run about
 * twice as slow in the batch after it, while warm invocations rarely meet one (`--trace-gc`: one
 * mark-compact, at start-up, in 100,000 full-stack invocations; scavenges collect their garbage). A figure is the
 * min / median / max over rounds of the mean ns per call within a batch; this returns
 * the per-round samples (use `summarize` and `pairedRatio`).
 */
export async function compare(contenders: readonly Contender[]): Promise<Map<string, number[]>> {
  const iterations = new Map<string, number>();
  for (const c of contenders) {
    const deadline = performance.now() + settings.warmupMs;
    while (performance.now() < deadline) await timeBatch(c.run, 64);
    iterations.set(c.name, await calibrate(c.run, settings.batchMs));
  }
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length]!;
      samples.get(c.name)!.push(await timeBatch(c.run, iterations.get(c.name)!));
    }
  }
  return samples;
}

/**
 * Ratio of two contenders measured by {@link compare}, paired round by round (both were timed
 * in the same round, so drift in machine load cancels out): min / median / max over rounds.
 */
export function pairedRatio(samples: Map<string, number[]>, name: string, base: string): Figure {
  const a = samples.get(name);
  const b = samples.get(base);
  if (a === undefined || b === undefined) throw new RangeError(`pairedRatio(): unknown contender ${name} or ${base}`);
  return summarize(a.map((x, i) => x / b[i]!));
}

/** Cycles through a fixed set of inputs, so every call sees a fresh-looking event and context. */
export function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => {
    const item = items[i]!;
    i = i + 1 === items.length ? 0 : i + 1;
    return item;
  };
}
