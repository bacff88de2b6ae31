import type { Context } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Holds the spans that ended until the invocation flushes them, then hands them to the exporter
 * in one call. No timer of its own: Lambda freezes the sandbox between invocations, and a span
 * left for a later timer is lost or sent minutes late. Spans of invocations running at once in
 * one process (Lambda Managed Instances) share the list and leave with whichever flushes first.
 */
export class InvocationSpanProcessor implements SpanProcessor {
  private pending: ReadableSpan[] = [];

  constructor(private readonly exporter: SpanExporter) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & 1) === 1) this.pending.push(span);
  }

  /** Spans waiting to be exported. */
  get size(): number {
    return this.pending.length;
  }

  /**
   * Exports the spans that ended so far. Resolves with the error when the exporter fails or does
   * not answer within `timeoutMs` (the spans are then given up: they belong to a finished invocation).
   */
  flush(timeoutMs: number): Promise<Error | undefined> {
    const spans = this.pending;
    if (spans.length === 0) return Promise.resolve(undefined);
    this.pending = [];
    if (!(timeoutMs > 0)) {
      return Promise.resolve(new Error(`no time left before the deadline to export ${spans.length} span(s)`));
    }
    return new Promise<Error | undefined>((resolve) => {
      const timer = setTimeout(
        () => resolve(new Error(`the exporter did not answer within ${timeoutMs} ms (${spans.length} span(s))`)),
        timeoutMs,
      );
      timer.unref?.();
      try {
        this.exporter.export(spans, (result) => {
          clearTimeout(timer);
          resolve(result.code === ExportResultCode.SUCCESS ? undefined : (result.error ?? new Error('export failed')));
        });
      } catch (error) {
        clearTimeout(timer);
        resolve(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  async forceFlush(): Promise<void> {
    const error = await this.flush(30_000);
    if (error !== undefined) throw error;
  }

  async shutdown(): Promise<void> {
    await this.forceFlush().catch(() => {});
    await this.exporter.shutdown();
  }
}
