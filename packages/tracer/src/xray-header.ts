import { type Context, defaultTextMapGetter, type Link, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';

const propagator = new AWSXRayPropagator();
const TRACE_HEADER = 'x-amzn-trace-id';

/** The X-Ray header of the invocation running now: the runtime's invoke store, else `_X_AMZN_TRACE_ID`. */
export function runtimeTraceHeader(): string | undefined {
  const store = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId(): string | undefined } } }).awslambda
    ?.InvokeStore;
  try {
    const id = store?.getXRayTraceId();
    if (typeof id === 'string' && id !== '') return id;
  } catch {
    // Outside an invocation's async context: the environment's value is the one.
  }
  return process.env._X_AMZN_TRACE_ID;
}

/** The remote parent named by an X-Ray trace header, as an OpenTelemetry context (ROOT when none or malformed). */
export function parentFromHeader(header: string | undefined): Context {
  if (header === undefined || header === '') return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { [TRACE_HEADER]: header }, defaultTextMapGetter);
}

/** Span links to the spans X-Ray trace headers name; malformed headers are skipped. */
export function linksTo(headers: readonly unknown[]): Link[] {
  const links: Link[] = [];
  for (const header of headers) {
    if (typeof header !== 'string') continue;
    const linked = trace.getSpanContext(parentFromHeader(header));
    if (linked !== undefined) links.push({ context: linked });
  }
  return links;
}

/** `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy` from OpenTelemetry's 32 hex digits. */
export function toXrayTraceId(traceId: string): string {
  return `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
}
