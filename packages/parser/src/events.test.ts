import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeLogs, fixtures, logsData, snsEvents, sqsEvents } from '../test/fixtures.js';
import { events } from './events.js';
import { ParseError } from './parse-error.js';
import { safeParseEvent } from './parse-event.js';

const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const sources = Object.keys(events) as (keyof typeof events)[];

describe('events registry', () => {
  it('has exactly the documented source names', () => {
    expect(sources).toEqual([
      'sqs',
      'sns',
      's3',
      'eventbridge',
      'apigw-rest',
      'apigw-http',
      'alb',
      'lambda-url',
      'kinesis',
      'dynamodb-stream',
      'cloudwatch-logs',
      'firehose',
      'ses',
      'cognito-pre-signup',
      'cfn-custom-resource',
      'kafka',
    ]);
  });

  describe.each(sources)('%s', (source) => {
    const schema = events[source];

    it('accepts every documented variant of the event, at least two', () => {
      expect(fixtures[source].length).toBeGreaterThanOrEqual(2);
      for (const fixture of fixtures[source]) {
        const result = safeParseEvent(schema, wire(fixture));
        expect(result.success ? 'ok' : result.error.message).toBe('ok');
      }
    });

    it('keeps fields AWS may add later', () => {
      const result = safeParseEvent(schema, { ...wire(fixtures[source][0] as object), addedByAwsLater: { x: 1 } });
      expect(result.success && (result.data as Record<string, unknown>).addedByAwsLater).toEqual({ x: 1 });
    });

    it.each([
      ['an empty object', {}],
      ['an array', []],
      ['null', null],
      ['a string', 'event'],
      ['undefined', undefined],
    ])('rejects %s with a ParseError naming the source', (_, input) => {
      const result = safeParseEvent(schema, input);
      expect(result.success).toBe(false);
      if (result.success) return;
      expect(result.error).toBeInstanceOf(ParseError);
      expect(result.error.source).toBe(source);
      expect(result.error.code).toBe('PARSE_ERROR');
      expect(result.error.issues.length).toBeGreaterThan(0);
    });

    it('rejects the event with a field of the wrong type', () => {
      const broken = wire(fixtures[source][0]) as Record<string, unknown>;
      const key = Object.keys(broken).find((k) => k !== 'detail') as string;
      broken[key] = 12345;
      expect(safeParseEvent(schema, broken).success).toBe(false);
    });

    it('rejects every other source’s events', () => {
      for (const other of sources) {
        if (other === source) continue;
        // An SQS record's body may be anything; an HTTP API v2 event and a function URL event share a format.
        const twins = [['apigw-http', 'lambda-url']].some((pair) => pair.includes(source) && pair.includes(other));
        if (twins) continue;
        for (const fixture of fixtures[other]) {
          expect(safeParseEvent(schema, wire(fixture)).success, `${other} given to ${source}`).toBe(false);
        }
      }
    });
  });
});

describe('batch sources', () => {
  it.each(['sqs', 'sns', 's3', 'kinesis', 'dynamodb-stream', 'ses'] as const)(
    '%s: an event without Records is rejected at path Records',
    (source) => {
      const result = safeParseEvent(events[source], { records: [] });
      expect(!result.success && result.error.paths).toContain('Records');
    },
  );

  it('an SNS event given to the SQS schema fails on the SQS fields of record 0', () => {
    const result = safeParseEvent(events.sqs, wire(snsEvents[0]));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.recordIndex).toBe(0);
    expect(result.error.paths).toEqual(
      expect.arrayContaining(['Records[0].messageId', 'Records[0].body', 'Records[0].eventSource']),
    );
  });

  it('reports the index of the failing record', () => {
    const event = wire(sqsEvents[1]) as { Records: Record<string, unknown>[] };
    event.Records[1]!.messageId = 7;
    const result = safeParseEvent(events.sqs, event);
    expect(!result.success && result.error.recordIndex).toBe(1);
    expect(!result.success && result.error.issues[0]).toMatchObject({
      path: ['Records', 1, 'messageId'],
      code: 'invalid_type',
    });
  });

  it('accepts an empty Records array', () => {
    expect(safeParseEvent(events.sqs, { Records: [] }).success).toBe(true);
  });
});

describe('variants AWS documents', () => {
  it('API Gateway REST: requires the null-or-map fields to be null or maps', () => {
    const event = wire(fixtures['apigw-rest'][0]) as Record<string, unknown>;
    expect(safeParseEvent(events['apigw-rest'], { ...event, multiValueHeaders: null, body: null }).success).toBe(true);
    expect(safeParseEvent(events['apigw-rest'], { ...event, headers: 'x' }).success).toBe(false);
    expect(safeParseEvent(events['apigw-rest'], { ...event, isBase64Encoded: 'false' }).success).toBe(false);
  });

  it('HTTP API: requires version 2.0, so a REST (v1) event is never taken for it', () => {
    const event = wire(fixtures['apigw-http'][0]) as Record<string, unknown>;
    expect(safeParseEvent(events['apigw-http'], { ...event, version: '1.0' }).success).toBe(false);
  });

  it('Cognito pre sign-up: accepts the three trigger sources and no other', () => {
    const event = wire(fixtures['cognito-pre-signup'][0]) as Record<string, unknown>;
    for (const triggerSource of ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider']) {
      expect(safeParseEvent(events['cognito-pre-signup'], { ...event, triggerSource }).success).toBe(true);
    }
    expect(
      safeParseEvent(events['cognito-pre-signup'], { ...event, triggerSource: 'PostConfirmation_ConfirmSignUp' })
        .success,
    ).toBe(false);
  });

  it('CloudFormation: Update needs OldResourceProperties and PhysicalResourceId, Delete needs PhysicalResourceId', () => {
    const [, update, del] = wire(fixtures['cfn-custom-resource']) as Record<string, unknown>[];
    const { OldResourceProperties: _, ...noOld } = update!;
    const { PhysicalResourceId: __, ...noId } = del!;
    expect(safeParseEvent(events['cfn-custom-resource'], noOld).success).toBe(false);
    expect(safeParseEvent(events['cfn-custom-resource'], noId).success).toBe(false);
    expect(safeParseEvent(events['cfn-custom-resource'], { ...update, RequestType: 'Replace' }).success).toBe(false);
  });

  it('Kafka: MSK needs its cluster ARN, self-managed needs none', () => {
    const [msk, selfManaged] = wire(fixtures.kafka) as Record<string, unknown>[];
    const { eventSourceArn: _, ...noArn } = msk!;
    expect(safeParseEvent(events.kafka, noArn).success).toBe(false);
    expect(safeParseEvent(events.kafka, { ...selfManaged, eventSourceArn: 'arn:aws:kafka:x' }).success).toBe(true);
    expect(safeParseEvent(events.kafka, { ...selfManaged, eventSource: 'aws:sqs' }).success).toBe(false);
  });

  it('Kinesis and Firehose: data must be valid base64', () => {
    const kinesis = wire(fixtures.kinesis[0]) as { Records: { kinesis: { data: string } }[] };
    kinesis.Records[0]!.kinesis.data = 'not base64!';
    expect(safeParseEvent(events.kinesis, kinesis).success).toBe(false);
    const firehose = wire(fixtures.firehose[0]) as { records: { data: string }[] };
    firehose.records[0]!.data = '%%%';
    expect(safeParseEvent(events.firehose, firehose).success).toBe(false);
  });

  it('DynamoDB Streams: attribute values must be well-formed AttributeValues', () => {
    const event = wire(fixtures['dynamodb-stream'][0]) as { Records: { dynamodb: Record<string, unknown> }[] };
    event.Records[0]!.dynamodb.NewImage = { orderId: { S: 1 } };
    const result = safeParseEvent(events['dynamodb-stream'], event);
    expect(!result.success && result.error.paths).toEqual(['Records[0].dynamodb.NewImage.orderId.S']);
  });
});

describe('cloudwatch-logs registry schema', () => {
  const schema = events['cloudwatch-logs'];

  it('keeps awslogs.data encoded, as sent', () => {
    const event = { awslogs: { data: encodeLogs(logsData) } };
    expect(safeParseEvent(schema, event)).toEqual({ success: true, data: event });
  });

  it.each([
    ['not base64', 'not base64!', 'invalid_base64'],
    ['base64 but not gzip', Buffer.from('plain text').toString('base64'), 'invalid_gzip'],
    ['gzip of something other than JSON', Buffer.from(gzipSync('not json')).toString('base64'), undefined],
  ])('rejects data that is %s', (_, data, reason) => {
    const result = safeParseEvent(schema, { awslogs: { data } });
    expect(result.success).toBe(false);
    if (!result.success && reason !== undefined) expect(result.error.message).toMatch(/base64|gzip/i);
  });

  it('rejects decoded data that is not a log message', () => {
    const result = safeParseEvent(schema, { awslogs: { data: encodeLogs({ messageType: 'DATA_MESSAGE' }) } });
    expect(!result.success && result.error.paths).toContain('awslogs.data.owner');
  });
});
