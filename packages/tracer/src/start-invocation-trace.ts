import { type Attributes, type Context, type Tracer as OtelTracer, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { detectEventSource } from './event-source.js';
import { Invocation, type InvocationSpans, type TracedContext } from './invocation-trace.js';
import { UnrecordedInvocation } from './unrecorded-invocation.js';
import { linksTo, parentFromHeader, runtimeTraceHeader, SAMPLING_DECISION } from './xray-header.js';

let processInitialised = false;

/** A `Sampled=0` key of an X-Ray header (as `readXrayHeader` reads it: the whole value). */
const UNSAMPLED = /(?:^|;)\s*Sampled=0\s*(?:;|$)/;

function accountOf(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * One clock for every span of an invocation: epoch milliseconds anchored once, advanced by the
 * monotonic clock. Spans timed by separate clocks (the SDK anchors one per span tree it sees) can
 * put a child's end after its parent's by a fraction of a millisecond, which X-Ray draws as such.
 */
function invocationClock(): () => number {
  const anchor = Date.now();
  const origin = performance.now();
  return () => anchor + (performance.now() - origin);
}

/** Lambda's own context: the deadline from the remaining time (`Infinity` without it). */
function deadlineOf(ctx: TracedContext): number {
  const remaining = typeof ctx.getRemainingTimeInMillis === 'function' ? ctx.getRemainingTimeInMillis() : Number.NaN;
  return Number.isFinite(remaining) ? Date.now() + remaining : Number.POSITIVE_INFINITY;
}

/** Whether the tracer's sampler records a span under `parent` (see create-tracer's sampler). */
function sampledUnder(parent: Context): boolean {
  const remote = trace.getSpanContext(parent);
  return remote === undefined ? parent.getValue(SAMPLING_DECISION) === true : (remote.traceFlags & 1) === 1;
}

/** @internal How the tracer starts invocations: whether it exports at all, and its default sampling decision. */
export interface StartSettings {
  readonly enabled: boolean;
  readonly sampled: boolean;
}

/** @internal Starts the span of one invocation; see {@link InvocationTrace}. */
export function startInvocationTrace(
  tracer: OtelTracer,
  event: unknown,
  ctx: TracedContext,
  { enabled, sampled }: StartSettings,
): InvocationSpans {
  const coldStart = ctx.coldStart ?? !processInitialised;
  processInitialised = true;
  const deadline = ctx.deadline ?? deadlineOf(ctx);
  if (!enabled) return new UnrecordedInvocation(ROOT_CONTEXT, deadline, ctx, undefined);
  const incoming = ctx.traceId ?? runtimeTraceHeader();
  // Lambda's unsampled header (`…;Sampled=0`): decided without reading the rest of it.
  if (incoming !== undefined && UNSAMPLED.test(incoming)) {
    return new UnrecordedInvocation(() => parentFromHeader(incoming, sampled), deadline, ctx, incoming);
  }
  const parent = parentFromHeader(incoming, sampled);
  // Not recorded: no span at all, nothing to end or export (a step is a plain call).
  if (!sampledUnder(parent)) return new UnrecordedInvocation(parent, deadline, ctx, incoming);
  const source = detectEventSource(event);
  const clock = invocationClock();
  const memoryMb = Number(ctx.memoryLimitInMB);
  // One literal of fixed shape (absent values are undefined, which spans skip): built key by key,
  // the object changed shape a dozen times per invocation.
  const attributes: Attributes = {
    'faas.trigger': source.trigger,
    'faas.coldstart': coldStart,
    'lambdakit.event_source': source.source,
    'faas.invocation_id': ctx.awsRequestId || undefined,
    'faas.name': ctx.functionName || undefined,
    'faas.version': ctx.functionVersion || undefined,
    'cloud.resource_id': ctx.invokedFunctionArn || undefined,
    'cloud.account.id': accountOf(ctx.invokedFunctionArn),
    'faas.max_memory': memoryMb > 0 ? memoryMb * 1024 * 1024 : undefined,
    ...source.attributes,
  };
  const links = linksTo(source.recordTraceHeaders);
  const root = tracer.startSpan(
    ctx.functionName || 'handler',
    { kind: source.kind, attributes, links, startTime: clock() },
    parent,
  );
  return new Invocation(tracer, root, parent, deadline, ctx, incoming, clock);
}
