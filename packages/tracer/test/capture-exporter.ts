import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** One call of the exporter: the spans handed over, and whether it has answered. */
export interface ExportCall {
  readonly spans: readonly ReadableSpan[];
  answered: boolean;
}

/**
 * A span exporter for tests that look at what an invocation hands over and when: each call is
 * recorded; while `hold()` is on, calls wait for `release()` before they answer.
 */
export class CaptureExporter implements SpanExporter {
  readonly calls: ExportCall[] = [];
  private holding = 0;
  private readonly waiting: (() => void)[] = [];

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const call: ExportCall = { spans: [...spans], answered: false };
    this.calls.push(call);
    const answer = () => {
      call.answered = true;
      resultCallback({ code: ExportResultCode.SUCCESS });
    };
    if (this.holding > 0) {
      this.holding--;
      this.waiting.push(answer);
    } else answer();
  }

  /** The next `calls` calls (all, by default) wait for {@link CaptureExporter.release}. */
  hold(calls = Number.POSITIVE_INFINITY): void {
    this.holding = calls;
  }

  /** Answers the waiting calls, and stops holding. */
  release(): void {
    this.holding = 0;
    for (const answer of this.waiting.splice(0)) answer();
  }

  /** Every span handed over so far, by name. */
  spans(): ReadableSpan[] {
    return this.calls.flatMap((call) => call.spans);
  }

  named(name: string): ReadableSpan {
    const found = this.spans().filter((span) => span.name === name);
    if (found.length !== 1) throw new Error(`expected one span named ${name}, found ${found.length}`);
    return found[0]!;
  }

  async shutdown(): Promise<void> {
    this.release();
  }
}
