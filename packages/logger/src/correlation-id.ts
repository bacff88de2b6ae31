type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => value !== null && typeof value === 'object';

/**
 * The correlation id of an event, or undefined: an `x-correlation-id` header (any case, single- or
 * multi-value headers) set by the caller; else the request id API Gateway (REST and HTTP APIs) and
 * function URLs put in `requestContext.requestId`; else, behind an ALB (which has no request id),
 * the `X-Amzn-Trace-Id` header it adds; the first record's SQS `messageId` or SNS `MessageId`;
 * an EventBridge event's `id`. Never throws, whatever the event.
 */
export function correlationIdFrom(event: unknown): string | undefined {
  try {
    return find(event);
  } catch {
    return undefined;
  }
}

function find(event: unknown): string | undefined {
  if (!isObject(event)) return undefined;
  // A caller-supplied id wins: it ties this invocation to the caller's logs.
  const header =
    headerValue(event.headers, 'x-correlation-id') ?? headerValue(event.multiValueHeaders, 'x-correlation-id');
  if (header !== undefined) return header;
  const requestContext = event.requestContext;
  if (isObject(requestContext)) {
    if (nonEmpty(requestContext.requestId)) return requestContext.requestId;
    if (isObject(requestContext.elb)) {
      return headerValue(event.headers, 'x-amzn-trace-id') ?? headerValue(event.multiValueHeaders, 'x-amzn-trace-id');
    }
  }
  const records = event.Records;
  if (Array.isArray(records)) {
    const first: unknown = records[0];
    if (!isObject(first)) return undefined;
    if (first.eventSource === 'aws:sqs' && nonEmpty(first.messageId)) return first.messageId;
    if (first.EventSource === 'aws:sns' && isObject(first.Sns) && nonEmpty(first.Sns.MessageId))
      return first.Sns.MessageId;
    return undefined;
  }
  // EventBridge: every event carries id, source and detail-type.
  if (nonEmpty(event.id) && typeof event.source === 'string' && typeof event['detail-type'] === 'string')
    return event.id;
  return undefined;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** A header's value, matched case-insensitively (HTTP header names are; API Gateway v1 keeps the client's case). */
function headerValue(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  for (const key of Object.keys(headers)) {
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    const value = headers[key];
    if (nonEmpty(value)) return value;
    if (Array.isArray(value) && nonEmpty(value[0])) return value[0];
  }
  return undefined;
}
