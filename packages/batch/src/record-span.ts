/**
 * The part of `ctx.trace` (`tracer()` of `@lambdakit/tracer`) a batch uses, read by shape so the
 * batch needs no tracer: a record runs in a span of its own, linked to the trace its message came with.
 */
export interface RecordTracing {
  readonly recording: boolean;
  span<T>(
    name: string,
    fn: () => T | Promise<T>,
    attributes: Record<string, string | number>,
    options: { links: readonly string[] },
  ): Promise<Awaited<T>>;
}

/** @internal `ctx.trace` when the invocation is traced and recorded. */
export function recordTracing(ctx: object): RecordTracing | undefined {
  const trace = (ctx as { trace?: Partial<RecordTracing> | null }).trace;
  return trace?.recording === true && typeof trace.span === 'function' ? (trace as RecordTracing) : undefined;
}

/** SQS keeps the sender's X-Ray header as the message's `AWSTraceHeader` attribute. */
function traceHeaderOf(raw: unknown): string[] {
  const header = (raw as { attributes?: { AWSTraceHeader?: unknown } } | null)?.attributes?.AWSTraceHeader;
  return typeof header === 'string' && header !== '' ? [header] : [];
}

/** @internal Runs a record's handler in a span `<source> record`, a failure recorded on it. */
export function inRecordSpan(
  tracing: RecordTracing,
  source: string,
  entry: { itemIdentifier: string; index: number; raw: unknown },
  call: () => unknown,
): Promise<unknown> {
  return tracing.span(
    `${source} record`,
    call,
    { 'messaging.message.id': entry.itemIdentifier, 'lambdakit.batch.record_index': entry.index },
    { links: traceHeaderOf(entry.raw) },
  );
}
