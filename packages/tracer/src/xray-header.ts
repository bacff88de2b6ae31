import {
  type Context,
  createContextKey,
  type Link,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  trace,
} from '@opentelemetry/api';

/** @internal Context key of the sampling decision for an invocation with no usable parent. */
export const SAMPLING_DECISION = createContextKey('lambdakit tracer sampling decision');

const ROOT_ID = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;

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

/** What an X-Ray trace header (`Root=…;Parent=…;Sampled=…`) says. */
export interface XrayHeader {
  /** The trace id, 32 lower-case hex digits; undefined when `Root` is missing or malformed. */
  readonly traceId: string | undefined;
  /** The parent span id, 16 lower-case hex digits; undefined when `Parent` is missing or malformed. */
  readonly parentId: string | undefined;
  /** `Sampled=1` → true, `Sampled=0` → false; missing or `Sampled=?` (the decision left to this function) → undefined. */
  readonly sampled: boolean | undefined;
}

/** Reads an X-Ray trace header. Keys are matched as X-Ray writes them; unknown keys are ignored. */
export function readXrayHeader(header: string): XrayHeader {
  let traceId: string | undefined;
  let parentId: string | undefined;
  let sampled: boolean | undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 'Root') {
      const match = ROOT_ID.exec(value);
      traceId = match === null ? undefined : `${match[1]}${match[2]}`.toLowerCase();
    } else if (key === 'Parent') {
      parentId = SPAN_ID.test(value) ? value.toLowerCase() : undefined;
    } else if (key === 'Sampled') {
      sampled = value === '1' ? true : value === '0' ? false : undefined;
    }
  }
  if (traceId === '00000000000000000000000000000000') traceId = undefined;
  if (parentId === '0000000000000000') parentId = undefined;
  return { traceId, parentId, sampled };
}

function remoteSpanContext(header: XrayHeader, sampled: boolean): SpanContext | undefined {
  if (header.traceId === undefined || header.parentId === undefined) return undefined;
  return {
    traceId: header.traceId,
    spanId: header.parentId,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
}

/**
 * The parent an X-Ray trace header names, as an OpenTelemetry context. Its `Sampled` flag decides
 * whether the invocation is recorded; a header without one (or `Sampled=?`) leaves it to
 * `defaultSampled`. A header without a usable `Root` and `Parent` starts a new trace, still with
 * the header's decision (held in the context for the tracer's sampler).
 */
export function parentFromHeader(header: string | undefined, defaultSampled: boolean): Context {
  if (header === undefined || header === '') return ROOT_CONTEXT.setValue(SAMPLING_DECISION, defaultSampled);
  const read = readXrayHeader(header);
  const sampled = read.sampled ?? defaultSampled;
  const parent = remoteSpanContext(read, sampled);
  return parent === undefined
    ? ROOT_CONTEXT.setValue(SAMPLING_DECISION, sampled)
    : trace.setSpanContext(ROOT_CONTEXT, parent);
}

/** Span links to the spans X-Ray trace headers name; headers without a usable `Root` and `Parent` are skipped. */
export function linksTo(headers: readonly unknown[]): Link[] {
  const links: Link[] = [];
  for (const header of headers) {
    if (typeof header !== 'string') continue;
    const read = readXrayHeader(header);
    const linked = remoteSpanContext(read, read.sampled ?? true);
    if (linked !== undefined) links.push({ context: linked });
  }
  return links;
}

/** `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy` from OpenTelemetry's 32 hex digits. */
export function toXrayTraceId(traceId: string): string {
  return `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
}
