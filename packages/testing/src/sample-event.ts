import { gzipSync } from 'node:zlib';
import { type EventOf, type EventSourceName, events } from '@lambdakit/parser';
import {
  account,
  dynamodbRecord,
  epochMs,
  firehoseRecord,
  httpHeaders,
  kafkaRecord,
  kinesisRecord,
  order,
  region,
  s3Record,
  sesRecord,
  snsRecord,
  sqsRecord,
  times,
  uuid,
} from './sample-records.js';

/** Options of {@link sampleEvent}. */
export interface SampleEventOptions {
  /** How many records a batch source's event carries (default 1). Ignored by single-event sources. */
  records?: number | undefined;
}

/** Every source {@link sampleEvent} can build: the keys of `@lambdakit/parser`'s `events` registry. */
export const eventSources = Object.freeze(Object.keys(events) as EventSourceName[]);

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
    throw new TypeError(`sampleEvent({ records }): must be a non-negative integer, got ${String(records)}`);
  }
  return build(records) as EventOf<K>;
}
