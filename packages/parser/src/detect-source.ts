import type { EventSourceName } from './event-source.js';

// A Map, not an object: a record's `eventSource` of `__proto__` must find nothing.
const RECORD_SOURCES: ReadonlyMap<string, EventSourceName> = new Map([
  ['aws:sqs', 'sqs'],
  ['aws:sns', 'sns'],
  ['aws:s3', 's3'],
  ['aws:kinesis', 'kinesis'],
  ['aws:dynamodb', 'dynamodb-stream'],
  ['aws:ses', 'ses'],
]);

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object';

/**
 * Which AWS source an event looks like it came from, from the fields that mark each shape
 * (`Records[0].eventSource`, `requestContext.http`, `detail-type`, `awslogs`, …), without
 * validating it; `undefined` when it looks like none. Tells a wrong trigger (an SQS event sent to
 * an HTTP function) apart from bad client input.
 */
export function detectSource(event: unknown): EventSourceName | undefined {
  if (!isObject(event)) return undefined;
  const records = event.Records;
  if (Array.isArray(records)) {
    const first: unknown = records[0];
    if (!isObject(first)) return undefined;
    const marker = first.eventSource ?? first.EventSource;
    return typeof marker === 'string' ? RECORD_SOURCES.get(marker) : undefined;
  }
  if (typeof event.eventSource === 'string' && /kafka/i.test(event.eventSource)) return 'kafka';
  if (isObject(event.awslogs)) return 'cloudwatch-logs';
  if (typeof event.deliveryStreamArn === 'string') return 'firehose';
  if (typeof event['detail-type'] === 'string' && 'detail' in event) return 'eventbridge';
  if (typeof event.triggerSource === 'string' && typeof event.userPoolId === 'string') return 'cognito-pre-signup';
  if (typeof event.RequestType === 'string' && typeof event.ResponseURL === 'string') return 'cfn-custom-resource';
  const context = event.requestContext;
  if (isObject(context)) {
    if (isObject(context.elb)) return 'alb';
    if (isObject(context.http)) {
      return typeof context.domainName === 'string' && context.domainName.includes('.lambda-url.')
        ? 'lambda-url'
        : 'apigw-http';
    }
    if (typeof event.httpMethod === 'string') return 'apigw-rest';
  }
  return undefined;
}
