import { emitWarning } from '@lambdakit/core';
import { type Attributes, type Context, type Tracer as OtelTracer, context as otelContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  type SpanExporter,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { runInInvocation } from './current-invocation.js';
import { InvocationSpanProcessor } from './invocation-span-processor.js';
import type { InvocationTrace, TracedContext } from './invocation-trace.js';
import { startInvocationTrace } from './start-invocation-trace.js';
import { xrayDaemonExporter } from './xray-daemon-exporter.js';
import { SAMPLING_DECISION } from './xray-header.js';

/** Where spans go: an exporter of your own, or one chosen by name. */
export type TracerExporter = SpanExporter | 'xray' | 'otlp' | 'none';

/** Options of {@link createTracer} and the `tracer()` middleware. */
export interface CreateTracerOptions {
  /**
   * Where spans go. Default: OTLP/HTTP when `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
   * `OTEL_EXPORTER_OTLP_ENDPOINT` is set (an ADOT or Application Signals layer, a collector), else
   * the X-Ray daemon when `AWS_XRAY_DAEMON_ADDRESS` is set (Lambda with active tracing), else
   * nowhere: tracing is off and costs nothing. `OTEL_TRACES_EXPORTER=none` turns it off too.
   */
  exporter?: TracerExporter | undefined;
  /** `service.name` of every span. Default `AWS_LAMBDA_FUNCTION_NAME`, else `lambda`. */
  serviceName?: string | undefined;
  /**
   * Whether to record an invocation whose incoming trace header carries no sampling decision
   * (or that has no header, as in a local run). A header's `Sampled=1` / `Sampled=0` always wins,
   * so X-Ray's sampling rules apply. Default `true`.
   */
  sampled?: boolean | undefined;
  /** The longest an invocation waits for its spans to be exported, in ms; never past the deadline. Default 2000. */
  flushTimeoutMs?: number | undefined;
  /** Resource attributes added to every span (`deployment.environment.name`, …). */
  resourceAttributes?: Attributes | undefined;
}

/** Options of {@link Tracer.flush}. */
export interface FlushOptions {
  /** Epoch ms: the flush gives up 50 ms before it. */
  deadline?: number | undefined;
  /** Only this invocation's trace: what invocations running at once in the process ended is left to them. */
  trace?: InvocationTrace | undefined;
}

/** A tracer: one per function, created at init (module scope); each invocation gets its own trace. */
export interface Tracer {
  /** False when no exporter is configured: invocations then record nothing. */
  readonly enabled: boolean;
  /** The OpenTelemetry tracer behind it, for spans made with the OpenTelemetry API. */
  readonly otelTracer: OtelTracer;
  /**
   * Starts an invocation's span, a child of the incoming X-Ray trace header. End it with
   * `trace.end(outcome)`, then {@link Tracer.flush}.
   */
  startInvocation(event: unknown, context: TracedContext): InvocationTrace;
  /** Function door: runs `fn` as the traced invocation, records its outcome, and flushes before returning. */
  traceInvocation<T>(
    event: unknown,
    context: TracedContext,
    fn: (trace: InvocationTrace) => T | Promise<T>,
  ): Promise<T>;
  /**
   * Exports the spans that ended (of one invocation's trace, with `trace`), waiting at most
   * `flushTimeoutMs` and never past `deadline` (epoch ms) less 50 ms. An exporter failure is one
   * warning (`LAMBDAKIT_TRACER_EXPORT_FAILED`), never a throw.
   */
  flush(options?: FlushOptions): Promise<void>;
  /** Flushes and closes the exporter (its socket or HTTP agent). */
  shutdown(): Promise<void>;
}

/** Kept between the end of the flush and Lambda's deadline. */
const DEADLINE_SAFETY_MS = 50;
const INSTRUMENTATION_NAME = '@lambdakit/tracer';

let contextManagerChecked = false;

/**
 * Decides for a span with no parent: the decision the invocation's trace header carried (held in
 * the context by `parentFromHeader`), else the `sampled` option. Spans with a parent follow it.
 */
class HeaderDecisionSampler implements Sampler {
  constructor(private readonly fallback: boolean) {}

  shouldSample(context: Context): SamplingResult {
    const decision = context.getValue(SAMPLING_DECISION);
    const sampled = typeof decision === 'boolean' ? decision : this.fallback;
    return { decision: sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
  }

  toString(): string {
    return `HeaderDecisionSampler{${this.fallback ? 'sampled' : 'not sampled'}}`;
  }
}

/**
 * Nested spans find their parent through OpenTelemetry's active context: an AsyncLocalStorage
 * context manager is registered unless the application registered one of its own.
 */
function ensureContextManager(): void {
  if (contextManagerChecked) return;
  contextManagerChecked = true;
  const manager = new AsyncLocalStorageContextManager();
  if (!otelContext.setGlobalContextManager(manager.enable())) manager.disable();
}

/** The exporter the options and the environment ask for; undefined when tracing is off. */
export function resolveExporter(
  exporter: TracerExporter | undefined,
  env: NodeJS.ProcessEnv,
): SpanExporter | undefined {
  if (exporter !== undefined && typeof exporter === 'object') {
    if (typeof exporter.export !== 'function' || typeof exporter.shutdown !== 'function') {
      throw new TypeError(
        'createTracer({ exporter }): expected a SpanExporter (export and shutdown methods), "xray", "otlp" or "none"',
      );
    }
    return exporter;
  }
  if (exporter !== undefined && exporter !== 'xray' && exporter !== 'otlp' && exporter !== 'none') {
    throw new TypeError(
      `createTracer({ exporter }): expected a SpanExporter, "xray", "otlp" or "none", got ${JSON.stringify(exporter)}`,
    );
  }
  if (exporter === 'none') return undefined;
  if (exporter === 'otlp') return new OTLPTraceExporter();
  if (exporter === 'xray') return xrayDaemonExporter();
  if (env.OTEL_TRACES_EXPORTER?.trim() === 'none') return undefined;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT) return new OTLPTraceExporter();
  if (env.AWS_XRAY_DAEMON_ADDRESS) return xrayDaemonExporter();
  return undefined;
}

function checkOptions(options: CreateTracerOptions): { sampled: boolean; flushTimeoutMs: number } {
  const sampled = options.sampled ?? true;
  if (typeof sampled !== 'boolean')
    throw new TypeError(`createTracer({ sampled }): expected a boolean, got ${String(sampled)}`);
  const flushTimeoutMs = options.flushTimeoutMs ?? 2000;
  if (!(Number.isFinite(flushTimeoutMs) && flushTimeoutMs > 0)) {
    throw new TypeError(
      `createTracer({ flushTimeoutMs }): expected a positive number of milliseconds, got ${String(flushTimeoutMs)}`,
    );
  }
  return { sampled, flushTimeoutMs };
}

/** The resource every span carries: the function as a service on Lambda. */
function resourceFor(options: CreateTracerOptions) {
  const env = process.env;
  return resourceFromAttributes({
    'service.name': options.serviceName ?? env.AWS_LAMBDA_FUNCTION_NAME ?? 'lambda',
    'cloud.provider': 'aws',
    'cloud.platform': 'aws_lambda',
    ...(env.AWS_REGION ? { 'cloud.region': env.AWS_REGION } : {}),
    ...(env.AWS_LAMBDA_LOG_STREAM_NAME ? { 'faas.instance': env.AWS_LAMBDA_LOG_STREAM_NAME } : {}),
    ...options.resourceAttributes,
  });
}

/** Flushes one invocation's trace (or all), within the budget, warning once on a failure. */
function flusher(processor: InvocationSpanProcessor, flushTimeoutMs: number) {
  return async (flushOptions: FlushOptions = {}): Promise<void> => {
    const traceId = flushOptions.trace?.traceId;
    if (processor.idle(traceId)) return;
    const deadline = flushOptions.deadline;
    const budget =
      deadline === undefined || !Number.isFinite(deadline)
        ? flushTimeoutMs
        : Math.min(flushTimeoutMs, deadline - DEADLINE_SAFETY_MS - Date.now());
    const error = await processor.flush(budget, traceId);
    const dropped = processor.takeDropped();
    if (error !== undefined || dropped > 0) {
      const reasons = [
        ...(error === undefined ? [] : [error.message]),
        ...(dropped > 0 ? [`${dropped} span(s) dropped: a trace held more than 10,000 unexported spans`] : []),
      ];
      emitWarning('LAMBDAKIT_TRACER_EXPORT_FAILED', `Spans were not exported: ${reasons.join('; ')}`);
    }
  };
}

/**
 * Creates a tracer on the OpenTelemetry SDK with X-Ray-compatible ids. Create it once, at init;
 * it holds no invocation's spans between invocations.
 */
export function createTracer(options: CreateTracerOptions = {}): Tracer {
  const { sampled, flushTimeoutMs } = checkOptions(options);
  const exporter = resolveExporter(options.exporter, process.env);
  const processor = new InvocationSpanProcessor(exporter ?? noExporter);
  const provider = new TracerProvider({
    resource: resourceFor(options),
    idGenerator: new AWSXRayIdGenerator(),
    // Off without an exporter: spans are then non-recording, and cost what the API's no-op does.
    sampler:
      exporter === undefined
        ? new AlwaysOffSampler()
        : new ParentBasedSampler({ root: new HeaderDecisionSampler(sampled) }),
    spanProcessors: [processor],
  });
  const otelTracer = provider.getTracer(INSTRUMENTATION_NAME);
  const settings = { enabled: exporter !== undefined, sampled };
  if (exporter !== undefined) ensureContextManager();

  const flush = flusher(processor, flushTimeoutMs);

  const tracer: Tracer = {
    enabled: exporter !== undefined,
    otelTracer,
    startInvocation: (event, context) => startInvocationTrace(otelTracer, event, context, settings),
    async traceInvocation(event, context, fn) {
      const trace = startInvocationTrace(otelTracer, event, context, settings);
      if (!trace.recording) return await fn(trace);
      try {
        const result = await runInInvocation(trace, () => trace.run(() => fn(trace)));
        trace.end({ status: 'success', result });
        return result;
      } catch (error) {
        trace.end({ status: 'error', error });
        throw error;
      } finally {
        await flush({ deadline: trace.deadline, trace });
      }
    },
    flush,
    async shutdown() {
      await flush();
      await provider.shutdown();
    },
  };
  return tracer;
}

const noExporter: SpanExporter = {
  export: (_spans, resultCallback) => resultCallback({ code: 0 }),
  shutdown: async () => {},
};
