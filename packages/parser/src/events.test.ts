import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogue as fixtures, logsData, snsEvents, sqsEvents } from '../test/catalogue.js';
import { encodeLogs } from '../test/fixtures.js';
import { events } from './events.js';
import { ParseError } from './parse-error.js';
import { safeParseEvent } from './parse-event.js';

const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const sources = Object.keys(events) as (keyof typeof events)[];

// An object nested inside each source's first fixture, where AWS could add a field.
const nestedObjectPaths: Record<keyof typeof events, (string | number)[]> = {
  sqs: ['Records', 0, 'attributes'],
  sns: ['Records', 0, 'Sns'],
  s3: ['Records', 0, 's3', 'object'],
  eventbridge: ['detail'],
  'apigw-rest': ['requestContext', 'identity'],
  'apigw-http': ['requestContext', 'http'],
  alb: ['requestContext', 'elb'],
  'lambda-url': ['requestContext', 'http'],
  kinesis: ['Records', 0, 'kinesis'],
  'dynamodb-stream': ['Records', 0, 'dynamodb'],
  'cloudwatch-logs': ['awslogs'],
  firehose: ['records', 0],
  ses: ['Records', 0, 'ses', 'receipt', 'action'],
  'cognito-pre-signup': ['callerContext'],
  'cfn-custom-resource': ['ResourceProperties'],
  kafka: ['records', 'mytopic-0', 0],
};

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
      expect(result.error.code).toBe('PARSER_INVALID_EVENT');
      expect(result.error.issues.length).toBeGreaterThan(0);
    });

    it('keeps fields AWS may add later inside nested objects too', () => {
      const event = wire(fixtures[source][0]) as Record<string, unknown>;
      const path = nestedObjectPaths[source];
      const at = (value: unknown) => path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], value);
      (at(event) as Record<string, unknown>).addedByAwsLater = { x: 1 };
      const result = safeParseEvent(schema, event);
      expect(
        result.success ? (at(result.data) as Record<string, unknown>).addedByAwsLater : result.error.message,
      ).toEqual({ x: 1 });
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

  it.each(['sqs', 'sns', 's3', 'kinesis', 'dynamodb-stream'] as const)(
    'refuses a %s event with no records, which Lambda never sends, saying why and where',
    (source) => {
      const result = safeParseEvent(events[source], { Records: [] });
      expect(result.success).toBe(false);
      expect(!result.success && result.error.issues[0]).toMatchObject({
        path: ['Records'],
        message: expect.stringContaining('Lambda never sends this source an event without records'),
      });
    },
  );

  it.each(['kinesis', 'dynamodb-stream'] as const)(
    'takes a %s event with no records when it ends a tumbling window: it carries only the state',
    (source) => {
      const finalInvoke = {
        Records: [],
        window: { start: '2025-01-15T12:00:00Z', end: '2025-01-15T12:02:00Z' },
        state: { total: 42 },
        shardId: 'shardId-000000000006',
        eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders',
        isFinalInvokeForWindow: true,
        isWindowTerminatedEarly: false,
      };
      expect(safeParseEvent(events[source], finalInvoke)).toMatchObject({ success: true, data: finalInvoke });
    },
  );
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

  it('API Gateway REST: accepts a null resourceId, as in an HTTP API payload 1.0 event', () => {
    const event = wire(fixtures['apigw-rest'][0]) as { requestContext: Record<string, unknown> };
    event.requestContext.resourceId = null;
    expect(safeParseEvent(events['apigw-rest'], event).success).toBe(true);
    event.requestContext.resourceId = 7;
    expect(safeParseEvent(events['apigw-rest'], event).success).toBe(false);
  });

  it('SES: dmarcVerdict and dmarcPolicy are optional, processingTimeMillis a number or a string', () => {
    const event = wire(fixtures.ses[0]) as { Records: { ses: { receipt: Record<string, unknown> } }[] };
    const receipt = event.Records[0]!.ses.receipt;
    delete receipt.dmarcVerdict;
    delete receipt.dmarcPolicy;
    expect(safeParseEvent(events.ses, event).success).toBe(true);
    receipt.processingTimeMillis = '1153';
    expect(safeParseEvent(events.ses, event).success).toBe(true);
    receipt.dmarcVerdict = 'PASS';
    expect(safeParseEvent(events.ses, event).success).toBe(false);
  });

  it('CloudFormation: ServiceToken may be absent, at the top and in ResourceProperties', () => {
    const create = wire(fixtures['cfn-custom-resource'][0]) as Record<string, unknown> & {
      ResourceProperties: Record<string, unknown>;
    };
    delete create.ServiceToken;
    delete create.ResourceProperties.ServiceToken;
    expect(safeParseEvent(events['cfn-custom-resource'], create).success).toBe(true);
    expect(safeParseEvent(events['cfn-custom-resource'], { ...create, ServiceToken: 1 }).success).toBe(false);
  });

  it('Kafka: a failing record carries its index within its topic-partition, and that key', () => {
    const event = wire(fixtures.kafka[1]) as { records: Record<string, Record<string, unknown>[]> };
    const list = event.records['mytopic-1']!;
    list.push({ ...list[0]!, offset: 'sixteen' });
    const result = safeParseEvent(events.kafka, event);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.recordIndex).toBe(1);
    expect(result.error.topicPartition).toBe('mytopic-1');
    expect(result.error.paths).toEqual(['records.mytopic-1[1].offset']);
  });

  it('Kafka: key and value must be base64 when present', () => {
    for (const field of ['key', 'value']) {
      const event = wire(fixtures.kafka[0]) as { records: Record<string, Record<string, unknown>[]> };
      event.records['mytopic-0']![0]![field] = 'not base64!';
      const result = safeParseEvent(events.kafka, event);
      expect(!result.success && result.error.issues).toEqual([
        {
          path: ['records', 'mytopic-0', 0, field],
          code: 'custom',
          message: 'Invalid base64',
          reason: 'invalid_base64',
        },
      ]);
      event.records['mytopic-0']![0]![field] = null;
      expect(safeParseEvent(events.kafka, event).success).toBe(true);
    }
  });

  it('SQS: a binary message attribute must be base64', () => {
    const event = wire(fixtures.sqs[0]) as { Records: Record<string, unknown>[] };
    event.Records[0]!.messageAttributes = { blob: { binaryValue: '%%%', dataType: 'Binary' } };
    const result = safeParseEvent(events.sqs, event);
    expect(!result.success && result.error.issues[0]).toMatchObject({
      path: ['Records', 0, 'messageAttributes', 'blob', 'binaryValue'],
      reason: 'invalid_base64',
    });
    event.Records[0]!.messageAttributes = {
      blob: { binaryValue: 'AAEC', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    };
    expect(safeParseEvent(events.sqs, event).success).toBe(true);
  });

  it('DynamoDB Streams: attribute values must be well-formed AttributeValues', () => {
    const event = wire(fixtures['dynamodb-stream'][0]) as { Records: { dynamodb: Record<string, unknown> }[] };
    event.Records[0]!.dynamodb.NewImage = { orderId: { S: 1 } };
    const result = safeParseEvent(events['dynamodb-stream'], event);
    expect(!result.success && result.error.paths).toEqual(['Records[0].dynamodb.NewImage.orderId.S']);
  });
});

describe.each(['apigw-rest', 'apigw-http', 'alb', 'lambda-url'] as const)('%s registry schema', (source) => {
  const schema = events[source];
  const base = () => wire(fixtures[source][0]) as Record<string, unknown>;

  it('rejects a body marked base64 that is not, with an issue at body', () => {
    const result = safeParseEvent(schema, { ...base(), body: '%%%', isBase64Encoded: true });
    expect(!result.success && result.error.issues).toEqual([
      { path: ['body'], code: 'custom', message: 'Invalid base64', reason: 'invalid_base64' },
    ]);
  });

  it('keeps a valid base64 body encoded, as sent', () => {
    const body = Buffer.from('{"orderId":"o-1"}').toString('base64');
    const result = safeParseEvent(schema, { ...base(), body, isBase64Encoded: true });
    expect(result.success && result.data.body).toBe(body);
  });

  it('does not check a body that is not marked base64', () => {
    expect(safeParseEvent(schema, { ...base(), body: '%%%', isBase64Encoded: false }).success).toBe(true);
  });

  it('reports invalid base64 next to the event’s other problems', () => {
    const result = safeParseEvent(schema, { ...base(), httpMethod: 1, version: 1, body: '%%%', isBase64Encoded: true });
    expect(!result.success && result.error.paths).toContain('body');
    expect(!result.success && result.error.issues.length).toBeGreaterThan(1);
  });

  it('checks a multi-megabyte base64 body without throwing', () => {
    const body = Buffer.alloc(4 * 1024 * 1024, 0x41).toString('base64');
    const result = safeParseEvent(schema, { ...base(), body, isBase64Encoded: true });
    expect(result.success ? 'ok' : result.error.issues).toBe('ok');
  });
});

describe('base64 checks', () => {
  // The canonical, padded base64 grammar, as a regex: fine as an oracle for short strings.
  const canonical = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

  it('accept exactly canonical, padded base64', () => {
    const event = wire(fixtures.kinesis[0]) as { Records: { kinesis: { data: string } }[] };
    const text = fc.string({
      unit: fc.constantFrom('A', 'z', '0', '+', '/', '=', '-', '_', ' ', '\n', 'é'),
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ maxLength: 12 })), (data) => {
        event.Records[0]!.kinesis.data = data;
        expect(safeParseEvent(events.kinesis, event).success).toBe(canonical.test(data));
      }),
      { numRuns: 1000 },
    );
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
