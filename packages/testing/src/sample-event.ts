import { gzipSync } from 'node:zlib';
import { type EventOf, type EventSourceName, events } from '@lambdakit/parser';

/** Options of {@link sampleEvent}. */
export interface SampleEventOptions {
  /** How many records a batch source's event carries (default 1). Ignored by single-event sources. */
  records?: number;
}

/** Every source {@link sampleEvent} can build: the keys of `@lambdakit/parser`'s `events` registry. */
export const eventSources = Object.freeze(Object.keys(events) as EventSourceName[]);

const region = 'us-east-1';
const account = '123456789012';
const time = '2025-01-15T12:00:00.000Z';
const epochMs = Date.parse(time);

const order = (i: number) => ({ orderId: `order-${i + 1}`, quantity: i + 1 });
const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
// Deterministic ids, so a snapshot of a sample event is stable.
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const times = <T>(count: number, build: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => build(i));

const sqsRecord = (i: number) => ({
  messageId: uuid(i + 1),
  receiptHandle: `AQEB${Buffer.from(`receipt-${i}`).toString('base64')}`,
  body: JSON.stringify(order(i)),
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: String(epochMs),
    SenderId: 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: String(epochMs + 2),
  },
  messageAttributes: {},
  md5OfBody: '0e4c0b3d6a1a7b0e8b6b0f1b6e2c7a1d',
  eventSource: 'aws:sqs',
  eventSourceARN: `arn:aws:sqs:${region}:${account}:orders`,
  awsRegion: region,
});

const snsRecord = (i: number) => ({
  EventVersion: '1.0',
  EventSubscriptionArn: `arn:aws:sns:${region}:${account}:orders:${uuid(100 + i)}`,
  EventSource: 'aws:sns',
  Sns: {
    SignatureVersion: '1',
    Timestamp: time,
    Signature:
      'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
    SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem`,
    MessageId: uuid(200 + i),
    Message: JSON.stringify(order(i)),
    MessageAttributes: {},
    Type: 'Notification',
    UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:${region}:${account}:orders`,
    TopicArn: `arn:aws:sns:${region}:${account}:orders`,
    Subject: null,
  },
});

const s3Record = (i: number) => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: region,
  eventTime: time,
  eventName: 'ObjectCreated:Put',
  userIdentity: { principalId: 'AWS:AIDAINPONIXQXHT3IKHL2' },
  requestParameters: { sourceIPAddress: '203.0.113.10' },
  responseElements: {
    'x-amz-request-id': 'D82B88E5F771F645',
    'x-amz-id-2': 'vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=',
  },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: 'orders-upload',
    bucket: {
      name: 'example-bucket',
      ownerIdentity: { principalId: 'A3I5XTEXAMAI3E' },
      arn: 'arn:aws:s3:::example-bucket',
    },
    object: {
      key: `uploads/order+${i + 1}.json`,
      size: 128,
      eTag: 'b21b84d653bb07b05b1e6b33684dc11b',
      sequencer: `0C0F6F405D6ED209E${i}`,
    },
  },
});

const kinesisRecord = (i: number) => {
  const sequenceNumber = `4959033827149025660855969253836157109592157598913658${String(8900 + i)}`;
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: `order-${i + 1}`,
      sequenceNumber,
      data: base64(order(i)),
      approximateArrivalTimestamp: epochMs / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${account}:role/lambda-kinesis-role`,
    awsRegion: region,
    eventSourceARN: `arn:aws:kinesis:${region}:${account}:stream/orders`,
  };
};

const dynamodbRecord = (i: number) => ({
  eventID: `c4ca4238a0b923820dcc509a6f7584${String(i).padStart(2, '0')}`,
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: region,
  dynamodb: {
    ApproximateCreationDateTime: Math.floor(epochMs / 1000),
    Keys: { orderId: { S: order(i).orderId } },
    NewImage: { orderId: { S: order(i).orderId }, quantity: { N: String(order(i).quantity) } },
    SequenceNumber: `4421584500000000017450439${String(100 + i)}`,
    SizeBytes: 26,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
  eventSourceARN: `arn:aws:dynamodb:${region}:${account}:table/Orders/stream/2025-01-01T00:00:00.000`,
});

const firehoseRecord = (i: number) => ({
  recordId: `4954698668313554428650745793632162567570019247115678515${i}`,
  approximateArrivalTimestamp: epochMs,
  data: base64(order(i)),
});

const sesRecord = (i: number) => ({
  eventSource: 'aws:ses',
  eventVersion: '1.0',
  ses: {
    mail: {
      timestamp: time,
      source: 'sender@example.com',
      messageId: `o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g${i}`,
      destination: ['orders@example.com'],
      headersTruncated: false,
      headers: [
        { name: 'From', value: 'sender@example.com' },
        { name: 'To', value: 'orders@example.com' },
        { name: 'Subject', value: `Order ${i + 1}` },
      ],
      commonHeaders: {
        returnPath: 'sender@example.com',
        from: ['sender@example.com'],
        date: 'Wed, 15 Jan 2025 12:00:00 +0000',
        to: ['orders@example.com'],
        messageId: `<order-${i + 1}@example.com>`,
        subject: `Order ${i + 1}`,
      },
    },
    receipt: {
      timestamp: time,
      processingTimeMillis: 574,
      recipients: ['orders@example.com'],
      spamVerdict: { status: 'PASS' },
      virusVerdict: { status: 'PASS' },
      spfVerdict: { status: 'PASS' },
      dkimVerdict: { status: 'PASS' },
      dmarcVerdict: { status: 'PASS' },
      action: {
        type: 'Lambda',
        functionArn: `arn:aws:lambda:${region}:${account}:function:inbound-mail`,
        invocationType: 'Event',
      },
    },
  },
});

const kafkaRecord = (i: number) => ({
  topic: 'orders',
  partition: 0,
  offset: i,
  timestamp: epochMs,
  timestampType: 'CREATE_TIME',
  key: Buffer.from(order(i).orderId).toString('base64'),
  value: base64(order(i)),
  headers: [{ source: [...Buffer.from('sample')] }],
});

const httpHeaders = { 'content-type': 'application/json', host: 'api.example.com', 'user-agent': 'curl/8.5.0' };

const builders: { [K in EventSourceName]: (count: number) => unknown } = {
  sqs: (n) => ({ Records: times(n, sqsRecord) }),
  sns: (n) => ({ Records: times(n, snsRecord) }),
  s3: (n) => ({ Records: times(n, s3Record) }),
  eventbridge: () => ({
    version: '0',
    id: uuid(300),
    'detail-type': 'Order Placed',
    source: 'com.example.orders',
    account,
    time: '2025-01-15T12:00:00Z',
    region,
    resources: [],
    detail: order(0),
  }),
  'apigw-rest': () => ({
    resource: '/orders',
    path: '/orders',
    httpMethod: 'POST',
    headers: httpHeaders,
    multiValueHeaders: Object.fromEntries(Object.entries(httpHeaders).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: account,
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      extendedRequestId: 'EXAMPLEextId=',
      httpMethod: 'POST',
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '203.0.113.10',
        user: null,
        userAgent: httpHeaders['user-agent'],
        userArn: null,
      },
      path: '/prod/orders',
      protocol: 'HTTP/1.1',
      requestId: uuid(400),
      requestTime: '15/Jan/2025:12:00:00 +0000',
      requestTimeEpoch: epochMs,
      resourceId: 'abc123',
      resourcePath: '/orders',
      stage: 'prod',
    },
    body: JSON.stringify(order(0)),
    isBase64Encoded: false,
  }),
  'apigw-http': () => ({
    version: '2.0',
    routeKey: 'POST /orders',
    rawPath: '/orders',
    rawQueryString: '',
    headers: httpHeaders,
    requestContext: {
      accountId: account,
      apiId: 'a1b2c3d4e5',
      domainName: 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'a1b2c3d4e5',
      http: {
        method: 'POST',
        path: '/orders',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: httpHeaders['user-agent'],
      },
      requestId: 'EXAMPLEreqId=',
      routeKey: 'POST /orders',
      stage: '$default',
      time: '15/Jan/2025:12:00:00 +0000',
      timeEpoch: epochMs,
    },
    body: JSON.stringify(order(0)),
    isBase64Encoded: false,
  }),
  alb: () => ({
    requestContext: {
      elb: { targetGroupArn: `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/orders/6d0ecf831eec9f09` },
    },
    httpMethod: 'POST',
    path: '/orders',
    queryStringParameters: {},
    headers: httpHeaders,
    body: JSON.stringify(order(0)),
    isBase64Encoded: false,
  }),
  'lambda-url': () => ({
    version: '2.0',
    routeKey: '$default',
    rawPath: '/orders',
    rawQueryString: '',
    headers: httpHeaders,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghij1234567890klmnopqrstuv',
      domainName: 'abcdefghij1234567890klmnopqrstuv.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefghij1234567890klmnopqrstuv',
      http: {
        method: 'POST',
        path: '/orders',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.10',
        userAgent: httpHeaders['user-agent'],
      },
      requestId: uuid(500),
      routeKey: '$default',
      stage: '$default',
      time: '15/Jan/2025:12:00:00 +0000',
      timeEpoch: epochMs,
    },
    body: JSON.stringify(order(0)),
    isBase64Encoded: false,
  }),
  kinesis: (n) => ({ Records: times(n, kinesisRecord) }),
  'dynamodb-stream': (n) => ({ Records: times(n, dynamodbRecord) }),
  'cloudwatch-logs': (n) => ({
    awslogs: {
      data: gzipSync(
        JSON.stringify({
          messageType: 'DATA_MESSAGE',
          owner: account,
          logGroup: '/aws/lambda/orders',
          logStream: '2025/01/15/[$LATEST]0123456789abcdef0123456789abcdef',
          subscriptionFilters: ['orders-errors'],
          logEvents: times(n, (i) => ({
            id: `3862230245693446287806593587453011957745312345678901234${i}`,
            timestamp: epochMs + i,
            message: JSON.stringify({ level: 'info', msg: 'order placed', ...order(i) }),
          })),
        }),
      ).toString('base64'),
    },
  }),
  firehose: (n) => ({
    invocationId: uuid(600),
    deliveryStreamArn: `arn:aws:firehose:${region}:${account}:deliverystream/orders`,
    region,
    records: times(n, firehoseRecord),
  }),
  ses: (n) => ({ Records: times(n, sesRecord) }),
  'cognito-pre-signup': () => ({
    version: '1',
    triggerSource: 'PreSignUp_SignUp',
    region,
    userPoolId: 'us-east-1_EXAMPLE',
    userName: 'jane.doe',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
    request: { userAttributes: { email: 'jane.doe@example.com' }, validationData: null },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  }),
  'cfn-custom-resource': () => ({
    RequestType: 'Create',
    ServiceToken: `arn:aws:lambda:${region}:${account}:function:custom-resource`,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/example',
    StackId: `arn:aws:cloudformation:${region}:${account}:stack/orders/${uuid(700)}`,
    RequestId: uuid(701),
    LogicalResourceId: 'OrdersSeed',
    ResourceType: 'Custom::OrdersSeed',
    ResourceProperties: { ServiceToken: `arn:aws:lambda:${region}:${account}:function:custom-resource`, Count: '3' },
  }),
  kafka: (n) => ({
    eventSource: 'aws:kafka',
    eventSourceArn: `arn:aws:kafka:${region}:${account}:cluster/orders/${uuid(800)}-1`,
    bootstrapServers:
      'b-1.orders.abc123.c2.kafka.us-east-1.amazonaws.com:9098,b-2.orders.abc123.c2.kafka.us-east-1.amazonaws.com:9098',
    records: { 'orders-0': times(n, kafkaRecord) },
  }),
};

/**
 * A valid, realistic event of `source` as AWS sends it, with JSON payloads (`{ orderId, quantity }`),
 * deterministic ids and `options.records` records for batch sources. Parses with `events[source]`.
 */
export function sampleEvent<K extends EventSourceName>(source: K, options: SampleEventOptions = {}): EventOf<K> {
  const build = Object.hasOwn(builders, source) ? builders[source] : undefined;
  if (build === undefined) {
    throw new TypeError(
      `sampleEvent(): unknown source ${JSON.stringify(source)}; expected one of ${eventSources.join(', ')}`,
    );
  }
  const records = options.records ?? 1;
  if (!Number.isSafeInteger(records) || records < 0) {
    throw new RangeError(`sampleEvent(): records must be a non-negative integer, got ${String(records)}`);
  }
  return build(records) as EventOf<K>;
}
