import protobuf from 'protobufjs/light.js';

/** One span as a trace receiver got it, decoded from OTLP (protobuf or JSON) into plain values. */
export interface ReceivedSpan {
  /** 32 hex digits. */
  readonly traceId: string;
  /** 16 hex digits. */
  readonly spanId: string;
  /** 16 hex digits; undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** OTLP's `SpanKind`: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  /** Epoch nanoseconds. */
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly events: readonly {
    readonly name: string;
    /** Epoch nanoseconds. */
    readonly timeUnixNano: bigint;
    readonly attributes: Readonly<Record<string, unknown>>;
  }[];
  readonly links: readonly { readonly traceId: string; readonly spanId: string }[];
  /** OTLP's `StatusCode`: 0 unset, 1 ok, 2 error. */
  readonly status: { readonly code: number; readonly message: string };
  /** The attributes of the span's resource (`service.name`, …). */
  readonly resource: Readonly<Record<string, unknown>>;
  /** The instrumentation scope's name. */
  readonly scope: string;
}

// opentelemetry-proto's trace messages (collector/trace/v1 and trace/v1, common/v1,
// resource/v1): field numbers and types as the specification defines them.
const kv = { key: { type: 'string', id: 1 }, value: { type: 'AnyValue', id: 2 } };
const root = protobuf.Root.fromJSON({
  nested: {
    ExportTraceServiceRequest: { fields: { resourceSpans: { rule: 'repeated', type: 'ResourceSpans', id: 1 } } },
    ResourceSpans: {
      fields: {
        resource: { type: 'Resource', id: 1 },
        scopeSpans: { rule: 'repeated', type: 'ScopeSpans', id: 2 },
        schemaUrl: { type: 'string', id: 3 },
      },
    },
    Resource: { fields: { attributes: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
    ScopeSpans: {
      fields: {
        scope: { type: 'InstrumentationScope', id: 1 },
        spans: { rule: 'repeated', type: 'Span', id: 2 },
        schemaUrl: { type: 'string', id: 3 },
      },
    },
    InstrumentationScope: { fields: { name: { type: 'string', id: 1 }, version: { type: 'string', id: 2 } } },
    Span: {
      fields: {
        traceId: { type: 'bytes', id: 1 },
        spanId: { type: 'bytes', id: 2 },
        traceState: { type: 'string', id: 3 },
        parentSpanId: { type: 'bytes', id: 4 },
        flags: { type: 'fixed32', id: 16 },
        name: { type: 'string', id: 5 },
        kind: { type: 'int32', id: 6 },
        startTimeUnixNano: { type: 'fixed64', id: 7 },
        endTimeUnixNano: { type: 'fixed64', id: 8 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 9 },
        events: { rule: 'repeated', type: 'Event', id: 11 },
        links: { rule: 'repeated', type: 'Link', id: 13 },
        status: { type: 'Status', id: 15 },
      },
    },
    Event: {
      fields: {
        timeUnixNano: { type: 'fixed64', id: 1 },
        name: { type: 'string', id: 2 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 3 },
      },
    },
    Link: {
      fields: {
        traceId: { type: 'bytes', id: 1 },
        spanId: { type: 'bytes', id: 2 },
        traceState: { type: 'string', id: 3 },
        attributes: { rule: 'repeated', type: 'KeyValue', id: 4 },
      },
    },
    Status: { fields: { message: { type: 'string', id: 2 }, code: { type: 'int32', id: 3 } } },
    KeyValue: { fields: kv },
    AnyValue: {
      oneofs: {
        value: {
          oneof: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'],
        },
      },
      fields: {
        stringValue: { type: 'string', id: 1 },
        boolValue: { type: 'bool', id: 2 },
        intValue: { type: 'int64', id: 3 },
        doubleValue: { type: 'double', id: 4 },
        arrayValue: { type: 'ArrayValue', id: 5 },
        kvlistValue: { type: 'KeyValueList', id: 6 },
        bytesValue: { type: 'bytes', id: 7 },
      },
    },
    ArrayValue: { fields: { values: { rule: 'repeated', type: 'AnyValue', id: 1 } } },
    KeyValueList: { fields: { values: { rule: 'repeated', type: 'KeyValue', id: 1 } } },
  },
});
const ExportRequest = root.lookupType('ExportTraceServiceRequest');

type Raw = Record<string, any>;

/** Decodes an OTLP `ExportTraceServiceRequest` in protobuf. Throws on bytes that are not one. */
export function decodeOtlpProtobuf(body: Uint8Array): ReceivedSpan[] {
  const message = ExportRequest.decode(body);
  const plain = ExportRequest.toObject(message, { longs: String, bytes: Array, defaults: false, oneofs: false });
  return flatten(plain as Raw, 'bytes');
}

/** Decodes an OTLP/JSON `ExportTraceServiceRequest` (ids in hex, as OTLP/JSON writes them). */
export function decodeOtlpJson(body: string): ReceivedSpan[] {
  return flatten(JSON.parse(body) as Raw, 'hex');
}

function flatten(request: Raw, ids: 'bytes' | 'hex'): ReceivedSpan[] {
  const id = (value: unknown): string | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    const hex = ids === 'hex' ? String(value).toLowerCase() : Buffer.from(value as number[]).toString('hex');
    return hex === '' || /^0+$/.test(hex) ? undefined : hex;
  };
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of (request.resourceSpans ?? []) as Raw[]) {
    const resource = attributes(resourceSpans.resource?.attributes);
    for (const scopeSpans of (resourceSpans.scopeSpans ?? []) as Raw[]) {
      for (const span of (scopeSpans.spans ?? []) as Raw[]) {
        spans.push({
          traceId: id(span.traceId) ?? '',
          spanId: id(span.spanId) ?? '',
          parentSpanId: id(span.parentSpanId),
          name: span.name ?? '',
          kind: Number(span.kind ?? 0),
          startTimeUnixNano: BigInt(span.startTimeUnixNano ?? 0),
          endTimeUnixNano: BigInt(span.endTimeUnixNano ?? 0),
          attributes: attributes(span.attributes),
          events: ((span.events ?? []) as Raw[]).map((e) => ({
            name: e.name ?? '',
            timeUnixNano: BigInt(e.timeUnixNano ?? 0),
            attributes: attributes(e.attributes),
          })),
          links: ((span.links ?? []) as Raw[]).map((l) => ({
            traceId: id(l.traceId) ?? '',
            spanId: id(l.spanId) ?? '',
          })),
          status: { code: Number(span.status?.code ?? 0), message: span.status?.message ?? '' },
          resource,
          scope: scopeSpans.scope?.name ?? '',
        });
      }
    }
  }
  return spans;
}

function attributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const item of list as Raw[]) out[item.key] = anyValue(item.value);
  return out;
}

function anyValue(value: Raw | undefined): unknown {
  if (value === undefined || value === null) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return ((value.arrayValue.values ?? []) as Raw[]).map(anyValue);
  if (value.kvlistValue !== undefined) return attributes(value.kvlistValue.values);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return undefined;
}
