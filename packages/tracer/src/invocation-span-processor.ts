import type { Context } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';

/** An export under way: the traces it carries, and what it resolves with (the error, if any). */
interface Export {
  readonly traces: ReadonlySet<string>;
  readonly done: Promise<Error | undefined>;
}

/** Spans held per trace beyond which the oldest are dropped (a runaway loop of spans must not exhaust memory). */
const MAX_PENDING_PER_TRACE = 10_000;

/**
 * Holds the spans that ended, per trace, until an invocation flushes them, then hands them to the
 * exporter in one call. No timer of its own: Lambda freezes the sandbox between invocations, and
 * a span left for a later timer is lost or sent minutes late.
 *
 * Invocations running at once in one process (Lambda Managed Instances) flush only their own
 * trace; two invocations of one trace (a fan-out) may carry each other's spans, and a flush also
 * waits for exports under way that carry its trace, so no invocation settles before its spans left.
 */
export class InvocationSpanProcessor implements SpanProcessor {
  private readonly pending = new Map<string, ReadableSpan[]>();
  private readonly exports = new Set<Export>();
  private dropped = 0;

  constructor(private readonly exporter: SpanExporter) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    const ids = span.spanContext();
    if ((ids.traceFlags & 1) !== 1) return;
    const list = this.pending.get(ids.traceId);
    if (list === undefined) this.pending.set(ids.traceId, [span]);
    else if (list.push(span) > MAX_PENDING_PER_TRACE) {
      list.shift();
      this.dropped++;
    }
  }

  /** Spans waiting to be exported. */
  get size(): number {
    let size = 0;
    for (const list of this.pending.values()) size += list.length;
    return size;
  }

  /** True when nothing of `traceId` (of any trace, without one) is waiting or being exported. */
  idle(traceId?: string): boolean {
    if (traceId === undefined) return this.pending.size === 0 && this.exports.size === 0;
    if (this.pending.has(traceId)) return false;
    for (const running of this.exports) if (running.traces.has(traceId)) return false;
    return true;
  }

  /**
   * Exports the spans of `traceId` (of every trace, without one) that ended so far, and waits for
   * exports under way that carry them. Resolves with the error when the exporter fails or does not
   * answer within `timeoutMs`. With no time left the spans are dropped, not kept for a later
   * flush: they belong to an invocation that has finished.
   */
  async flush(timeoutMs: number, traceId?: string): Promise<Error | undefined> {
    const spans = this.take(traceId);
    if (!(timeoutMs > 0)) {
      return spans.length === 0
        ? undefined
        : new Error(`no time left before the deadline to export ${spans.length} span(s)`);
    }
    if (spans.length > 0) this.start(spans);
    const waiting = [...this.exports].filter((running) => traceId === undefined || running.traces.has(traceId));
    if (waiting.length === 0) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(new Error(`the exporter did not answer within ${timeoutMs} ms`)), timeoutMs);
      timer.unref?.();
    });
    try {
      const errors = await Promise.race([Promise.all(waiting.map((running) => running.done)), late]);
      return Array.isArray(errors) ? errors.find((error) => error !== undefined) : errors;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Spans dropped since the last call because a trace held more than its share. */
  takeDropped(): number {
    const dropped = this.dropped;
    this.dropped = 0;
    return dropped;
  }

  private take(traceId: string | undefined): ReadableSpan[] {
    if (traceId !== undefined) {
      const spans = this.pending.get(traceId) ?? [];
      this.pending.delete(traceId);
      return spans;
    }
    const spans = [...this.pending.values()].flat();
    this.pending.clear();
    return spans;
  }

  private start(spans: ReadableSpan[]): void {
    const traces = new Set(spans.map((span) => span.spanContext().traceId));
    const done = new Promise<Error | undefined>((resolve) => {
      try {
        this.exporter.export(spans, (result) =>
          resolve(result.code === ExportResultCode.SUCCESS ? undefined : (result.error ?? new Error('export failed'))),
        );
      } catch (error) {
        resolve(error instanceof Error ? error : new Error(String(error)));
      }
    });
    const running: Export = { traces, done };
    this.exports.add(running);
    void done.then(() => this.exports.delete(running));
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
