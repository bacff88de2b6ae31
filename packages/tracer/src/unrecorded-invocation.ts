import { randomBytes } from 'node:crypto';
import {
  type Attributes,
  type Context,
  INVALID_SPAN_CONTEXT,
  context as otelContext,
  type Span,
  trace,
} from '@opentelemetry/api';
import {
  checkStep,
  type InvocationSpans,
  type StepOptions,
  type TracedContext,
  type TraceOutcome,
} from './invocation-trace.js';
import { toXrayTraceId } from './xray-header.js';

/** The span a step of an unrecorded invocation gets: OpenTelemetry's non-recording span, stateless. */
const NOT_RECORDED: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * @internal The trace of an invocation that records nothing (`Sampled=0`, or tracing off): no span
 * is started, nothing is held or exported, and a step is a plain call of its function. What an
 * unsampled invocation costs is reading its header and this object.
 */
export class UnrecordedInvocation implements InvocationSpans {
  readonly recording = false;
  readonly ended = false;
  #traceId: string | undefined;
  #spanId: string | undefined;
  #context: Context | undefined;

  /** `parent`: the header's parent, or how to read it (on first use: most unsampled invocations never ask). */
  constructor(
    private readonly parent: Context | (() => Context),
    readonly deadline: number,
    private readonly ctx: TracedContext,
    readonly incomingHeader: string | undefined,
  ) {}

  /** The context of the incoming header's parent (so spans made with the OpenTelemetry API inherit its decision). */
  get otelContext(): Context {
    this.#context ??= typeof this.parent === 'function' ? this.parent() : this.parent;
    return this.#context;
  }

  /** The incoming header's trace id, else a new X-Ray-style one (made on first read). */
  get traceId(): string {
    this.#traceId ??= trace.getSpanContext(this.otelContext)?.traceId;
    if (this.#traceId === undefined) {
      const epoch = Math.floor(Date.now() / 1000)
        .toString(16)
        .padStart(8, '0');
      this.#traceId = `${epoch}${randomBytes(12).toString('hex')}`;
    }
    return this.#traceId;
  }

  get xrayTraceId(): string {
    return toXrayTraceId(this.traceId);
  }

  get spanId(): string {
    this.#spanId ??= randomBytes(8).toString('hex');
    return this.#spanId;
  }

  async span<T>(
    name: string,
    fn: (span: Span) => T | Promise<T>,
    _attributes?: Attributes,
    _options?: StepOptions,
  ): Promise<Awaited<T>> {
    checkStep(name, fn, this.ctx);
    return await fn(NOT_RECORDED);
  }

  run<T>(fn: () => T): T {
    return otelContext.with(this.otelContext, fn);
  }

  activeSpanId(): string | undefined {
    return undefined;
  }

  startChild(): { span: Span; context: Context } {
    return { span: NOT_RECORDED, context: this.otelContext };
  }

  finish(): void {}

  end(_outcome: TraceOutcome): void {}
}
