import type { ReceivedSpan } from '@lambdakit/testing';

/** OTLP's JSON `AnyValue` of an attribute value as the receiver decoded it. */
function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'bigint') return { intValue: value.toString() };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value).toString('base64') };
  if (value !== null && typeof value === 'object') {
    return { kvlistValue: { values: attributes(value as Record<string, unknown>) } };
  }
  return {};
}

function attributes(values: Readonly<Record<string, unknown>>): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(values).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function spanJson(span: ReceivedSpan): Record<string, unknown> {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId === undefined ? {} : { parentSpanId: span.parentSpanId }),
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    attributes: attributes(span.attributes),
    events: span.events.map((event) => ({
      timeUnixNano: event.timeUnixNano.toString(),
      name: event.name,
      attributes: attributes(event.attributes),
    })),
    links: span.links.map((link) => ({ traceId: link.traceId, spanId: link.spanId })),
    status: { code: span.status.code, ...(span.status.message === '' ? {} : { message: span.status.message }) },
  };
}

/**
 * Spans as an OTLP/JSON `ExportTraceServiceRequest` (the body an OTLP/HTTP collector accepts, ids
 * in hex as the JSON mapping has them): grouped by resource, then by instrumentation scope.
 */
export function toOtlpJson(spans: readonly ReceivedSpan[]): { resourceSpans: unknown[] } {
  const byResource = new Map<string, { resource: ReceivedSpan['resource']; scopes: Map<string, ReceivedSpan[]> }>();
  for (const span of spans) {
    const key = JSON.stringify(span.resource, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    let group = byResource.get(key);
    if (group === undefined) {
      group = { resource: span.resource, scopes: new Map() };
      byResource.set(key, group);
    }
    const scoped = group.scopes.get(span.scope);
    if (scoped === undefined) group.scopes.set(span.scope, [span]);
    else scoped.push(span);
  }
  return {
    resourceSpans: [...byResource.values()].map(({ resource, scopes }) => ({
      resource: { attributes: attributes(resource) },
      scopeSpans: [...scopes].map(([name, list]) => ({ scope: { name }, spans: list.map(spanJson) })),
    })),
  };
}
