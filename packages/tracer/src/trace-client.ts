import { type Attributes, context as otelContext, type Span, SpanKind, trace } from '@opentelemetry/api';
import { currentInvocation } from './current-invocation.js';

/** The part of an AWS SDK v3 client `traceClient()` uses: its middleware stack. */
export interface TraceableClient {
  readonly middlewareStack: { add(middleware: never, options: never): void };
  readonly config?: { region?: unknown } | undefined;
}

interface HandlerContext {
  clientName?: string;
  commandName?: string;
}

interface SdkMetadata {
  requestId?: string;
  attempts?: number;
  httpStatusCode?: number;
}

interface SdkOutput {
  output?: { $metadata?: SdkMetadata };
}

interface SdkError {
  $metadata?: SdkMetadata;
}

type Next = (args: { input: Record<string, unknown>; request?: unknown }) => Promise<SdkOutput>;

const HEADER = 'X-Amzn-Trace-Id';

/** `DynamoDBClient` → `DynamoDB`, `SQSClient` → `SQS`. */
function serviceOf(clientName: string | undefined): string {
  return (clientName ?? 'AWS').replace(/Client$/, '') || 'AWS';
}

/** What identifies the resource a call is about, per service, as OpenTelemetry's AWS conventions name it. */
function resourceAttributes(service: string, input: Record<string, unknown>): Attributes {
  const attributes: Attributes = {};
  const text = (key: string) => (typeof input[key] === 'string' ? (input[key] as string) : undefined);
  if (service === 'DynamoDB' && text('TableName') !== undefined)
    attributes['aws.dynamodb.table_names'] = [text('TableName')!];
  if (service === 'SQS' && text('QueueUrl') !== undefined) {
    attributes['messaging.system'] = 'aws_sqs';
    attributes['aws.sqs.queue.url'] = text('QueueUrl')!;
  }
  if (service === 'SNS' && (text('TopicArn') ?? text('TargetArn')) !== undefined) {
    attributes['messaging.system'] = 'aws.sns';
    attributes['aws.sns.topic.arn'] = (text('TopicArn') ?? text('TargetArn'))!;
  }
  if (service === 'Lambda' && text('FunctionName') !== undefined)
    attributes['aws.lambda.function.name'] = text('FunctionName')!;
  if (service === 'S3' && text('Bucket') !== undefined) attributes['aws.s3.bucket'] = text('Bucket')!;
  return attributes;
}

/**
 * The X-Ray header an outgoing request carries: this call's span as the parent. Keys of the
 * incoming header other than the ids (`Lineage`, which Lambda's recursive-loop detection counts)
 * are kept.
 */
export function outgoingTraceHeader(traceId: string, spanId: string, incoming: string | undefined): string {
  let header = `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${spanId};Sampled=1`;
  if (incoming !== undefined) {
    for (const part of incoming.split(';')) {
      const key = part.split('=')[0]?.trim();
      if (
        key !== undefined &&
        key !== '' &&
        key !== 'Root' &&
        key !== 'Parent' &&
        key !== 'Sampled' &&
        part.includes('=')
      ) {
        header += `;${part.trim()}`;
      }
    }
  }
  return header;
}

/** The client's region, read once (its config holds a provider function). */
function regionReader(client: TraceableClient): () => string | undefined {
  let region: string | undefined;
  const regionOf = client.config?.region;
  if (typeof regionOf === 'string') region = regionOf;
  else if (typeof regionOf === 'function') {
    Promise.resolve()
      .then(() => (regionOf as () => unknown)())
      .then(
        (value) => {
          if (typeof value === 'string') region = value;
        },
        () => {},
      );
  }
  return () => region;
}

function recordMetadata(span: Span, metadata: SdkMetadata | undefined): void {
  // A span the invocation's end abandoned (a call still running at the timeout) is already ended.
  if (!span.isRecording()) return;
  if (metadata?.requestId) span.setAttribute('aws.request_id', metadata.requestId);
  if (metadata?.attempts !== undefined) span.setAttribute('lambdakit.aws.attempts', metadata.attempts);
  if (metadata?.httpStatusCode !== undefined) span.setAttribute('http.response.status_code', metadata.httpStatusCode);
}

/** At `initialize`: one client span per command, around its retries. */
function spanMiddleware(region: () => string | undefined) {
  return (next: Next, handlerContext: HandlerContext) => async (args: Parameters<Next>[0]) => {
    const invocation = currentInvocation();
    if (invocation === undefined || !invocation.recording) return next(args);
    const service = serviceOf(handlerContext.clientName);
    const operation = (handlerContext.commandName ?? 'Command').replace(/Command$/, '');
    const attributes: Attributes = {
      'rpc.system': 'aws-api',
      'rpc.service': service,
      'rpc.method': operation,
      ...resourceAttributes(service, args.input ?? {}),
    };
    const where = region();
    if (where !== undefined) attributes['cloud.region'] = where;
    const { span, context } = invocation.startChild(`${service}.${operation}`, { kind: SpanKind.CLIENT, attributes });
    try {
      const output = await otelContext.with(context, () => next(args));
      recordMetadata(span, output.output?.$metadata);
      invocation.finish(span);
      return output;
    } catch (error) {
      recordMetadata(span, (error as SdkError | null)?.$metadata);
      invocation.finish(span, error ?? new Error(String(error)));
      throw error;
    }
  };
}

/** At `build`, before the SDK's recursion-detection step, which leaves a header that is set. */
function headerMiddleware(next: Next) {
  return async (args: Parameters<Next>[0]) => {
    const invocation = currentInvocation();
    const span = invocation === undefined ? undefined : trace.getSpan(otelContext.active());
    const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers;
    if (invocation !== undefined && span?.isRecording() && headers !== undefined) {
      const ids = span.spanContext();
      if (ids.traceId === invocation.traceId) {
        for (const name of Object.keys(headers)) {
          const lower = name.toLowerCase();
          if (lower === 'x-amzn-trace-id' || lower === 'traceparent') delete headers[name];
        }
        headers[HEADER] = outgoingTraceHeader(ids.traceId, ids.spanId, invocation.incomingHeader);
        headers.traceparent = `00-${ids.traceId}-${ids.spanId}-01`;
      }
    }
    return next(args);
  };
}

/**
 * Traces every call the AWS SDK v3 client makes during a traced invocation: a client span per
 * command (`DynamoDB.GetItem`) with the service, operation, request id, attempts and error, a
 * child of the innermost running span. Its requests carry the span as their X-Ray parent
 * (`X-Amzn-Trace-Id`, and W3C `traceparent`), so SQS, SNS, EventBridge and Lambda hand the trace
 * to the next function. Outside a traced invocation the client is unchanged. Returns the client.
 */
export function traceClient<C extends TraceableClient>(client: C): C {
  if (typeof client?.middlewareStack?.add !== 'function') {
    throw new TypeError('traceClient(client): expected an AWS SDK v3 client (with a middlewareStack)');
  }
  const options = { override: true, tags: ['LAMBDAKIT_TRACER'] };
  client.middlewareStack.add(
    spanMiddleware(regionReader(client)) as never,
    {
      ...options,
      step: 'initialize',
      name: 'lambdakitTracerSpan',
    } as never,
  );
  client.middlewareStack.add(
    headerMiddleware as never,
    {
      ...options,
      step: 'build',
      name: 'lambdakitTracerHeader',
      priority: 'high',
    } as never,
  );
  return client;
}
