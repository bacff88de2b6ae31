import { type Attributes, SpanKind } from '@opentelemetry/api';

/** What the tracer reads from an event: which AWS service sent it, and the span's kind and attributes. */
export interface EventSource {
  /** `aws:sqs`, `aws:apigatewayv2`, … (`unknown` for a direct invoke with any other payload). */
  readonly source: string;
  /** OpenTelemetry's `faas.trigger`. */
  readonly trigger: 'http' | 'pubsub' | 'datasource' | 'timer' | 'other';
  readonly kind: SpanKind;
  readonly attributes: Attributes;
  /** X-Ray trace headers the records carry (SQS's `AWSTraceHeader`), for span links. */
  readonly recordTraceHeaders: readonly string[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** How a record's `eventSource` is named per service (SNS alone capitalises it). */
const recordSources: Record<string, { trigger: EventSource['trigger']; system?: string }> = {
  'aws:sqs': { trigger: 'pubsub', system: 'aws_sqs' },
  'aws:sns': { trigger: 'pubsub', system: 'aws.sns' },
  'aws:kinesis': { trigger: 'datasource', system: 'aws.kinesis' },
  'aws:dynamodb': { trigger: 'datasource' },
  'aws:s3': { trigger: 'datasource' },
  'aws:ses': { trigger: 'pubsub' },
};

/**
 * Tells the event's source from its shape, as AWS documents each one. Reads only what it names:
 * a direct invoke with any payload is `unknown`, never an error.
 */
export function detectEventSource(event: unknown): EventSource {
  if (!isObject(event)) return other('unknown');
  const records = event.Records;
  if (Array.isArray(records) && records.length > 0 && isObject(records[0])) return fromRecords(records, records[0]);
  const fromHttp = httpSource(event);
  if (fromHttp !== undefined) return fromHttp;
  if (typeof event['detail-type'] === 'string' && typeof event.source === 'string') {
    const scheduled = event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event';
    return {
      source: 'aws:events',
      trigger: scheduled ? 'timer' : 'pubsub',
      kind: scheduled ? SpanKind.SERVER : SpanKind.CONSUMER,
      attributes: { 'aws.eventbridge.source': event.source, 'aws.eventbridge.detail_type': event['detail-type'] },
      recordTraceHeaders: [],
    };
  }
  if (isObject(event.awslogs) && typeof event.awslogs.data === 'string') return other('aws:logs', 'datasource');
  if (typeof event.deliveryStreamArn === 'string' && Array.isArray(event.records))
    return other('aws:firehose', 'datasource');
  if ((event.eventSource === 'aws:kafka' || event.eventSource === 'SelfManagedKafka') && isObject(event.records)) {
    return {
      ...other(String(event.eventSource), 'pubsub'),
      kind: SpanKind.CONSUMER,
      attributes: { 'messaging.system': 'kafka' },
    };
  }
  if (typeof event.triggerSource === 'string' && typeof event.userPoolId === 'string') return other('aws:cognito-idp');
  if (typeof event.RequestType === 'string' && typeof event.ResponseURL === 'string')
    return other('aws:cloudformation');
  return other('unknown');
}

/** Queues, topics, streams and buckets: a `Records` array whose records name their source. */
function fromRecords(records: unknown[], first: Json): EventSource {
  const name = str(first.eventSource) ?? str(first.EventSource) ?? 'unknown';
  const known = recordSources[name];
  const attributes: Attributes = { 'messaging.batch.message_count': records.length };
  if (known?.system !== undefined) attributes['messaging.system'] = known.system;
  return {
    source: name,
    trigger: known?.trigger ?? 'other',
    kind: known?.trigger === 'pubsub' || known?.trigger === 'datasource' ? SpanKind.CONSUMER : SpanKind.SERVER,
    attributes,
    recordTraceHeaders: name === 'aws:sqs' ? sqsTraceHeaders(records) : [],
  };
}

/** API Gateway (REST and HTTP APIs), ALB and function URLs; undefined for any other event. */
function httpSource(event: Json): EventSource | undefined {
  const requestContext = isObject(event.requestContext) ? event.requestContext : undefined;
  if (requestContext !== undefined && isObject(requestContext.http)) {
    const domain = str(requestContext.domainName) ?? '';
    const route = str(event.routeKey);
    return http(domain.includes('.lambda-url.') ? 'aws:lambda-url' : 'aws:apigatewayv2', {
      'http.request.method': str(requestContext.http.method),
      'url.path': str(requestContext.http.path),
      'http.route': route === undefined || route === '$default' ? undefined : route.replace(/^[A-Z]+ /, ''),
    });
  }
  if (requestContext !== undefined && isObject(requestContext.elb)) {
    return http('aws:elb', { 'http.request.method': str(event.httpMethod), 'url.path': str(event.path) });
  }
  if (requestContext !== undefined && typeof event.httpMethod === 'string') {
    return http('aws:apigateway', {
      'http.request.method': event.httpMethod,
      'url.path': str(event.path),
      'http.route': str(event.resource),
    });
  }
  return undefined;
}

function http(source: string, attributes: Record<string, string | undefined>): EventSource {
  const defined: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) defined[key] = value;
  return { source, trigger: 'http', kind: SpanKind.SERVER, attributes: defined, recordTraceHeaders: [] };
}

function other(source: string, trigger: EventSource['trigger'] = 'other'): EventSource {
  return { source, trigger, kind: SpanKind.SERVER, attributes: {}, recordTraceHeaders: [] };
}

/** SQS keeps the sender's X-Ray header as the `AWSTraceHeader` system attribute of each message. */
function sqsTraceHeaders(records: unknown[]): string[] {
  const headers: string[] = [];
  for (const record of records) {
    const attributes = isObject(record) && isObject(record.attributes) ? record.attributes : undefined;
    const header = attributes === undefined ? undefined : str(attributes.AWSTraceHeader);
    if (header !== undefined) headers.push(header);
  }
  return headers;
}
