import { sampleEvent } from '@lambdakit/testing';
import { SpanKind } from '@opentelemetry/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectEventSource } from './event-source.js';

describe('detectEventSource() tells each AWS source from its documented shape', () => {
  it.each([
    ['sqs', 'aws:sqs', 'pubsub', SpanKind.CONSUMER],
    ['sns', 'aws:sns', 'pubsub', SpanKind.CONSUMER],
    ['s3', 'aws:s3', 'datasource', SpanKind.CONSUMER],
    ['kinesis', 'aws:kinesis', 'datasource', SpanKind.CONSUMER],
    ['dynamodb-stream', 'aws:dynamodb', 'datasource', SpanKind.CONSUMER],
    ['ses', 'aws:ses', 'pubsub', SpanKind.CONSUMER],
    ['apigw-rest', 'aws:apigateway', 'http', SpanKind.SERVER],
    ['apigw-http', 'aws:apigatewayv2', 'http', SpanKind.SERVER],
    ['alb', 'aws:elb', 'http', SpanKind.SERVER],
    ['lambda-url', 'aws:lambda-url', 'http', SpanKind.SERVER],
    ['cloudwatch-logs', 'aws:logs', 'datasource', SpanKind.SERVER],
    ['firehose', 'aws:firehose', 'datasource', SpanKind.SERVER],
    ['kafka', 'aws:kafka', 'pubsub', SpanKind.CONSUMER],
    ['cognito-pre-signup', 'aws:cognito-idp', 'other', SpanKind.SERVER],
    ['cfn-custom-resource', 'aws:cloudformation', 'other', SpanKind.SERVER],
  ] as const)('%s', (name, source, trigger, kind) => {
    const detected = detectEventSource(sampleEvent(name, { records: 2 }));
    expect({ source: detected.source, trigger: detected.trigger, kind: detected.kind }).toEqual({
      source,
      trigger,
      kind,
    });
  });

  it('EventBridge: a schedule is a timer, any other event pubsub', () => {
    const scheduled = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
    expect(detectEventSource(scheduled).trigger).toBe('timer');
    expect(detectEventSource(sampleEvent('eventbridge')).trigger).toBe('pubsub');
  });

  it('HTTP attributes: method, path and the route template', () => {
    const v2 = sampleEvent('apigw-http') as Record<string, unknown>;
    const attributes = detectEventSource({ ...v2, routeKey: 'POST /orders/{id}' }).attributes;
    expect(attributes['http.route']).toBe('/orders/{id}');
    expect(attributes['http.request.method']).toEqual(expect.any(String));
    expect(detectEventSource({ ...v2, routeKey: '$default' }).attributes['http.route']).toBeUndefined();
  });

  it('SQS records’ AWSTraceHeader values are kept for span links, records without one skipped', () => {
    const event = sampleEvent('sqs', { records: 3 }) as { Records: { attributes: Record<string, string> }[] };
    event.Records[0]!.attributes.AWSTraceHeader =
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    delete event.Records[1]!.attributes.AWSTraceHeader;
    event.Records[2]!.attributes.AWSTraceHeader =
      'Root=1-00000000-000000000000000000000002;Parent=0000000000000002;Sampled=0';
    expect(detectEventSource(event).recordTraceHeaders).toHaveLength(2);
    expect(detectEventSource(event).attributes['messaging.batch.message_count']).toBe(3);
  });

  it('any other payload, hostile or empty, is unknown and never throws', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const detected = detectEventSource(value);
        expect(typeof detected.source).toBe('string');
      }),
    );
    expect(detectEventSource({ Records: [null] }).source).toBe('unknown');
    expect(detectEventSource({ Records: [{ eventSource: 'aws:sqs', attributes: 'x' }] }).recordTraceHeaders).toEqual(
      [],
    );
  });
});
