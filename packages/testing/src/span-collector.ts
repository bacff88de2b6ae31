import type { ReceivedSpan } from './otlp-traces.js';

/** What a trace receiver keeps: the spans, and tests waiting for them. */
export class SpanCollector {
  private readonly received: ReceivedSpan[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly owner: string) {}

  add(spans: readonly ReceivedSpan[]): void {
    this.received.push(...spans);
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (this.received.length >= waiter.count) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  spans(): readonly ReceivedSpan[] {
    return [...this.received];
  }

  clear(): void {
    this.received.length = 0;
  }

  /**
   * Resolves with the spans once at least `count` arrived (UDP delivery is asynchronous: a sent
   * datagram is read a moment later). Rejects after `timeoutMs`, naming how many did arrive.
   */
  waitForSpans(count: number, timeoutMs = 10_000): Promise<readonly ReceivedSpan[]> {
    if (this.received.length >= count) return Promise.resolve(this.spans());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(`${this.owner}: expected ${count} span(s) within ${timeoutMs} ms, got ${this.received.length}`),
        );
      }, timeoutMs);
      const waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.spans());
        },
      };
      this.waiters.push(waiter);
    });
  }
}
