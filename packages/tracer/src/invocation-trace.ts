import {
  type Attributes,
  type Context,
  type Tracer as OtelTracer,
  context as otelContext,
  type Span,
  type SpanOptions,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { leaveInvocation } from './current-invocation.js';
import { linksTo, toXrayTraceId } from './xray-header.js';

/** What the tracer reads from `ctx` (lambdakit's) or from Lambda's own context. */
export interface TracedContext {
  readonly awsRequestId?: string | undefined;
  readonly functionName?: string | undefined;
  readonly functionVersion?: string | undefined;
  readonly invokedFunctionArn?: string | undefined;
  readonly memoryLimitInMB?: string | undefined;
  getRemainingTimeInMillis?(): number;
  /** lambdakit's `ctx`: the first invocation of the process. */
  readonly coldStart?: boolean | undefined;
  /** lambdakit's `ctx`: the incoming X-Ray header (the runtime's invoke store, else `_X_AMZN_TRACE_ID`). */
  readonly traceId?: string | undefined;
  /** lambdakit's `ctx`: true once the invocation timed out (read instead of `signal`, which would arm a deadline). */
  readonly timedOut?: boolean | undefined;
  /** lambdakit's `ctx`: aborts before the deadline. */
  readonly signal?: AbortSignal | undefined;
  /** lambdakit's `ctx`: the deadline, epoch ms. */
  readonly deadline?: number | undefined;
}

/** Options of `ctx.trace.span()`. */
export interface StepOptions {
  /**
   * X-Ray trace headers (`Root=…;Parent=…`) of work this step continues without being its child,
   * as span links: a batch record's `AWSTraceHeader` (`@lambdakit/batch` does this). Malformed ones are skipped.
   */
  readonly links?: readonly string[] | undefined;
}

/** How an invocation ended, as the trace records it. */
export type TraceOutcome =
  | { readonly status: 'success'; readonly result: unknown }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'timeout'; readonly error: unknown };

/** One invocation's trace: `ctx.trace` with the `tracer()` middleware. */
export interface InvocationTrace {
  /** False when the invocation is not sampled (`Sampled=0`) or tracing is off: nothing is exported. */
  readonly recording: boolean;
  /** The trace id, 32 hex digits (OpenTelemetry's form). */
  readonly traceId: string;
  /** The same id in X-Ray's form, `1-5759e988-bd862e3fe1be46a994272793`. */
  readonly xrayTraceId: string;
  /** The invocation span's id, 16 hex digits. */
  readonly spanId: string;
  /** The invocation's deadline, epoch ms (`Infinity` without one). */
  readonly deadline: number;
  /** The OpenTelemetry context holding the invocation's span, for spans made with the OpenTelemetry API. */
  readonly otelContext: Context;
  /**
   * Runs `fn` in a child span of the innermost span of this invocation that is running; records
   * what it throws (as an exception, status error) and ends the span when `fn` settles. Refuses
   * to start once the invocation has timed out (`ctx.signal` aborted): rejects with the
   * `TimeoutError`. It never arms a deadline of its own: without `timeout()`, tracing does not
   * change when or whether an invocation times out.
   */
  span<T>(
    name: string,
    fn: (span: Span) => T | Promise<T>,
    attributes?: Attributes,
    options?: StepOptions,
  ): Promise<Awaited<T>>;
  /** Runs `fn` with the invocation's span as OpenTelemetry's active span. */
  run<T>(fn: () => T): T;
  /**
   * The id of this invocation's innermost span running here (a step's inside `span()`, else the
   * invocation's); undefined when nothing is recorded. `@lambdakit/logger` puts it on each line.
   */
  activeSpanId(): string | undefined;
  /**
   * Ends the invocation's span with its outcome, and every span of it still open (after a
   * timeout, the steps the invocation abandoned), so all of them are exported.
   */
  end(outcome: TraceOutcome): void;
}

/**
 * @internal Refuses a step with bad arguments (a `TypeError` naming the one), or once the
 * invocation timed out (its `TimeoutError`). Reads `ctx.timedOut`, not `ctx.signal`: reading the
 * signal would arm core's default deadline.
 */
export function checkStep(name: unknown, fn: unknown, ctx: TracedContext): void {
  if (typeof name !== 'string' || name === '')
    throw new TypeError('ctx.trace.span(name, fn): name must be a non-empty string');
  if (typeof fn !== 'function')
    throw new TypeError(`ctx.trace.span(${JSON.stringify(name)}, fn): fn must be a function`);
  if (ctx.timedOut === true) throw ctx.signal?.reason;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 1024);
  return String(error).slice(0, 1024);
}

/** @internal What the tracer's other parts use of an invocation's trace. */
export interface InvocationSpans extends InvocationTrace {
  readonly ended: boolean;
  /** The X-Ray header the invocation came with (its `Lineage` is handed on). */
  readonly incomingHeader: string | undefined;
  /** Starts a child of the innermost running span of this invocation; end it with {@link InvocationSpans.finish}. */
  startChild(name: string, options: SpanOptions): { span: Span; context: Context };
  /** Records `error` (when given) and ends a span made by {@link InvocationSpans.startChild}. */
  finish(span: Span, error?: unknown): void;
}

/** @internal */
export class Invocation implements InvocationSpans {
  readonly recording: boolean;
  readonly traceId: string;
  readonly spanId: string;
  readonly otelContext: Context;
  ended = false;
  /** The spans of this invocation not ended yet (its own included). */
  private readonly open = new Set<Span>();
  /** Spans started after the invocation ended (work it left running): ended when they finish. */
  private readonly late = new WeakSet<Span>();

  constructor(
    private readonly tracer: OtelTracer,
    private readonly root: Span,
    parent: Context,
    readonly deadline: number,
    private readonly ctx: TracedContext,
    readonly incomingHeader: string | undefined,
    private readonly clock: () => number,
  ) {
    const ids = root.spanContext();
    this.recording = root.isRecording();
    this.traceId = ids.traceId;
    this.spanId = ids.spanId;
    this.otelContext = trace.setSpan(parent, root);
    this.open.add(root);
  }

  get xrayTraceId(): string {
    return toXrayTraceId(this.traceId);
  }

  run<T>(fn: () => T): T {
    return otelContext.with(this.otelContext, fn);
  }

  activeSpanId(): string | undefined {
    if (!this.recording) return undefined;
    const active = trace.getSpan(otelContext.active());
    return active !== undefined && this.open.has(active) ? active.spanContext().spanId : this.spanId;
  }

  startChild(name: string, options: SpanOptions): { span: Span; context: Context } {
    // The innermost span of this invocation that is running, else the invocation's own: a span
    // of another invocation (interleaved in one process) or of code outside lambdakit never is.
    const active = otelContext.active();
    const activeSpan = trace.getSpan(active);
    const parent = activeSpan !== undefined && this.open.has(activeSpan) ? active : this.otelContext;
    const span = this.tracer.startSpan(name, { ...options, startTime: this.clock() }, parent);
    if (this.ended) {
      span.setAttribute('lambdakit.after_invocation', true);
      this.late.add(span);
    } else {
      this.open.add(span);
    }
    return { span, context: trace.setSpan(parent, span) };
  }

  finish(span: Span, error?: unknown): void {
    // A span the invocation's end abandoned is already ended, with that status.
    if (!this.open.delete(span) && !this.late.has(span)) return;
    if (error !== undefined) {
      span.recordException(error instanceof Error ? error : describeError(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
    }
    span.end(this.clock());
  }

  async span<T>(
    name: string,
    fn: (span: Span) => T | Promise<T>,
    attributes?: Attributes,
    options?: StepOptions,
  ): Promise<Awaited<T>> {
    checkStep(name, fn, this.ctx);
    const links = options?.links === undefined ? undefined : linksTo(options.links);
    const { span, context } = this.startChild(name, {
      ...(attributes === undefined ? {} : { attributes }),
      ...(links === undefined ? {} : { links }),
    });
    let result: Awaited<T>;
    try {
      result = await otelContext.with(context, () => fn(span));
    } catch (error) {
      this.finish(span, error ?? new Error(String(error)));
      throw error;
    }
    this.finish(span);
    return result;
  }

  end(outcome: TraceOutcome): void {
    if (this.ended) return;
    this.ended = true;
    leaveInvocation(this);
    const root = this.root;
    const at = this.clock();
    this.open.delete(root);
    for (const span of this.open) {
      span.setAttribute('lambdakit.abandoned', true);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: `the invocation ended (${outcome.status}) before this span`,
      });
      span.end(at);
    }
    this.open.clear();
    if (outcome.status === 'success') {
      const statusCode = (outcome.result as { statusCode?: unknown } | null | undefined)?.statusCode;
      if (typeof statusCode === 'number') {
        root.setAttribute('http.response.status_code', statusCode);
        if (statusCode >= 500) root.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${statusCode}` });
      }
      const failures = (outcome.result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
      if (Array.isArray(failures)) root.setAttribute('lambdakit.batch_item_failures', failures.length);
    } else {
      const error = outcome.error;
      root.recordException(error instanceof Error ? error : describeError(error));
      root.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
      if (outcome.status === 'timeout') root.setAttribute('lambdakit.timeout', true);
    }
    root.end(at);
  }
}
