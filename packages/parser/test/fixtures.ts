// Events written from AWS's documented formats (Lambda, API Gateway, ELB, S3, SES, Cognito,
// CloudFormation developer guides), with realistic values. Two or more per source, each one a
// different documented variant.
import { gzipSync } from 'node:zlib';
import type { EventSourceName } from '../src/event-source.js';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');
const queueArn = 'arn:aws:sqs:us-east-2:123456789012:orders';

const sqsRecord = (messageId: string, body: string, extra: Record<string, unknown> = {}) => ({
  messageId,
  receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...',
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1545082649183',
    SenderId: 'AIDAIENQZJOLO23YVJ4VO',
    ApproximateFirstReceiveTimestamp: '1545082649185',
  },
  messageAttributes: {},
  md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: 'us-east-2',
  ...extra,
});

const snsBody = {
  Type: 'Notification',
  MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
  TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders',
  Subject: 'order',
  Message: JSON.stringify({ orderId: 'o-2', quantity: 3 }),
  Timestamp: '2019-01-02T12:45:07.000Z',
  SignatureVersion: '1',
  Signature:
    'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
  SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
  UnsubscribeURL:
    'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:123456789012:orders:0',
};

export const sqsEvents = [
  { Records: [sqsRecord('059f36b4-87a3-44ab-83d2-661975830a7d', JSON.stringify({ orderId: 'o-1', quantity: 2 }))] },
  {
    // FIFO queue, message attributes, X-Ray header.
    Records: [
      sqsRecord('11d6ee51-4cc7-4302-9e22-7cd8afdaadf5', JSON.stringify({ orderId: 'o-2', quantity: 1 }), {
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '1573251510774',
          SequenceNumber: '18849496460467696128',
          MessageGroupId: '1',
          SenderId: 'AIDAIO23YVJENQZJOL4VO',
          MessageDeduplicationId: '1',
          ApproximateFirstReceiveTimestamp: '1573251510774',
          AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
        },
        messageAttributes: {
          tenant: { stringValue: 'acme', stringListValues: [], binaryListValues: [], dataType: 'String' },
          blob: { binaryValue: b64('bytes'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
        },
        md5OfMessageAttributes: '00484c68...59e48fb7',
        eventSourceARN: 'arn:aws:sqs:us-east-2:123456789012:orders.fifo',
      }),
      sqsRecord('2e1424d4-f796-459a-8184-9c92662be6da', JSON.stringify({ orderId: 'o-3', quantity: 5 })),
    ],
  },
  // SNS → SQS without raw message delivery: the body is the SNS notification.
  { Records: [sqsRecord('a0f1e7a4-4b2c-4b1e-9d1c-1f0c8f3b7d10', JSON.stringify(snsBody))] },
];

const snsRecord = (message: string, subject: string | null) => ({
  EventVersion: '1.0',
  EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:orders:c9135db0-26c4-47ec-8998-413945fb5a96',
  EventSource: 'aws:sns',
  Sns: {
    SignatureVersion: '1',
    Timestamp: '2019-01-02T12:45:07.000Z',
    Signature: 'tcc6faL2yUC6dgZdmrwh1Y4cGa/ebXEkAi6RibDsvpi+tE/1+82j...65r==',
    SigningCertUrl:
      'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-ac565b8b1a6c5d002d285f9598aa1d9b.pem',
    MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
    Message: message,
    MessageAttributes: { Test: { Type: 'String', Value: 'TestString' } },
    Type: 'Notification',
    UnsubscribeUrl:
      'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&amp;SubscriptionArn=arn:aws:sns:us-east-1:123456789012:orders',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:orders',
    Subject: subject,
  },
});

export const snsEvents = [
  { Records: [snsRecord(JSON.stringify({ orderId: 'o-1', quantity: 2 }), 'New order')] },
  // No subject: Lambda sends null.
  { Records: [snsRecord(JSON.stringify({ orderId: 'o-4', quantity: 9 }), null)] },
];

const s3Record = (eventName: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: 'us-east-2',
  eventTime: '2019-09-03T19:37:27.192Z',
  eventName,
  userIdentity: { principalId: 'AWS:AIDAINPONIXQXHT3IKHL2' },
  requestParameters: { sourceIPAddress: '205.255.255.255' },
  responseElements: {
    'x-amz-request-id': 'D82B88E5F771F645',
    'x-amz-id-2': 'vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=',
  },
  s3: {
    s3SchemaVersion: '1.0',
    configurationId: '828aa6fc-f7b5-4305-8584-487c791949c1',
    bucket: {
      name: 'amzn-s3-demo-bucket',
      ownerIdentity: { principalId: 'A3I5XTEXAMAI3E' },
      arn: 'arn:aws:s3:::amzn-s3-demo-bucket',
    },
    object,
  },
  ...extra,
});

export const s3Events = [
  {
    Records: [
      s3Record('ObjectCreated:Put', {
        key: 'photos/my+cat%21.jpg',
        size: 1305107,
        eTag: 'b21b84d653bb07b05b1e6b33684dc11b',
        sequencer: '0C0F6F405D6ED209E1',
      }),
    ],
  },
  // A delete has no size or eTag; a versioned bucket adds versionId.
  {
    Records: [
      s3Record('ObjectRemoved:Delete', {
        key: 'reports/2024.csv',
        versionId: '096fKKXTRTtl3on89fVO.nfljtsv6qko',
        sequencer: '0055AED6DCD90281E5',
      }),
    ],
  },
  // Restore completed: glacierEventData.
  {
    Records: [
      s3Record(
        'ObjectRestore:Completed',
        { key: 'archive/a.bin', size: 1024, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E6' },
        {
          glacierEventData: {
            restoreEventData: {
              lifecycleRestorationExpiryTime: '1970-01-01T00:01:00.000Z',
              lifecycleRestoreStorageClass: 'GLACIER',
            },
          },
        },
      ),
    ],
  },
];

export const eventbridgeEvents = [
  {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
  },
  // Scheduled rule: empty detail; replayed event.
  {
    version: '0',
    id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: '2015-10-08T16:53:06Z',
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule'],
    detail: {},
    'replay-name': 'nightly-replay',
  },
];

const restIdentity = {
  accessKey: null,
  accountId: null,
  caller: null,
  cognitoAuthenticationProvider: null,
  cognitoAuthenticationType: null,
  cognitoIdentityId: null,
  cognitoIdentityPoolId: null,
  principalOrgId: null,
  sourceIp: '192.0.2.1',
  user: null,
  userAgent: 'Custom User Agent String',
  userArn: null,
};

const restEvent = (over: Record<string, unknown>, context: Record<string, unknown> = {}) => ({
  resource: '/orders',
  path: '/orders',
  httpMethod: 'POST',
  headers: { 'Content-Type': 'application/json', Host: 'abcdef123.execute-api.us-east-1.amazonaws.com' },
  multiValueHeaders: {
    'Content-Type': ['application/json'],
    Host: ['abcdef123.execute-api.us-east-1.amazonaws.com'],
  },
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: null,
  stageVariables: null,
  requestContext: {
    accountId: '123456789012',
    apiId: 'abcdef123',
    domainName: 'abcdef123.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'abcdef123',
    extendedRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    httpMethod: 'POST',
    identity: restIdentity,
    path: '/prod/orders',
    protocol: 'HTTP/1.1',
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    requestTime: '09/Apr/2015:12:34:56 +0000',
    requestTimeEpoch: 1428582896000,
    resourceId: '123456',
    resourcePath: '/orders',
    stage: 'prod',
    ...context,
  },
  body: JSON.stringify({ orderId: 'o-1', quantity: 2 }),
  isBase64Encoded: false,
  ...over,
});

export const apigwRestEvents = [
  restEvent({}),
  // Cognito user pool authorizer, base64 body.
  restEvent(
    { body: b64({ orderId: 'o-5', quantity: 1 }), isBase64Encoded: true },
    { authorizer: { claims: { sub: '7d8ca528-4931-4254-9273-ea5ee853f271', email: 'jane@example.com' } } },
  ),
  // Lambda authorizer (principalId + context), GET without body, path and query parameters.
  restEvent(
    {
      resource: '/orders/{id}',
      path: '/orders/o-1',
      httpMethod: 'GET',
      headers: null,
      multiValueHeaders: null,
      queryStringParameters: { verbose: 'true' },
      multiValueQueryStringParameters: { verbose: ['true'] },
      pathParameters: { id: 'o-1' },
      stageVariables: { env: 'prod' },
      body: null,
    },
    { authorizer: { principalId: 'user|a1b2c3d4', integrationLatency: 25, tenant: 'acme' } },
  ),
  // An HTTP API integration with payload format 1.0, as AWS's example shows it: `resourceId` is
  // null (HTTP APIs have no REST resources), the authorizer's claims and scopes too, mTLS client cert.
  {
    version: '1.0',
    resource: '/my/path',
    path: '/my/path',
    httpMethod: 'GET',
    headers: { header1: 'value1', header2: 'value2' },
    multiValueHeaders: { header1: ['value1'], header2: ['value1', 'value2'] },
    queryStringParameters: { parameter1: 'value1', parameter2: 'value' },
    multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
    requestContext: {
      accountId: '123456789012',
      apiId: 'id',
      authorizer: { claims: null, scopes: null },
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'id',
      extendedRequestId: 'request-id',
      httpMethod: 'GET',
      identity: {
        ...restIdentity,
        userAgent: 'user-agent',
        clientCert: {
          clientCertPem: 'CERT_CONTENT',
          subjectDN: 'www.example.com',
          issuerDN: 'Example issuer',
          serialNumber: 'a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1',
          validity: { notBefore: 'May 28 12:30:02 2019 GMT', notAfter: 'Aug 5 09:36:04 2021 GMT' },
        },
      },
      path: '/my/path',
      protocol: 'HTTP/1.1',
      requestId: 'id=',
      requestTime: '04/Mar/2020:19:15:17 +0000',
      requestTimeEpoch: 1583349317135,
      resourceId: null,
      resourcePath: '/my/path',
      stage: '$default',
    },
    pathParameters: null,
    stageVariables: null,
    body: 'Hello from Lambda!',
    isBase64Encoded: false,
  },
];

const httpContext = (over: Record<string, unknown> = {}) => ({
  accountId: '123456789012',
  apiId: 'r3pmxmplak',
  domainName: 'r3pmxmplak.execute-api.us-east-2.amazonaws.com',
  domainPrefix: 'r3pmxmplak',
  http: {
    method: 'POST',
    path: '/orders',
    protocol: 'HTTP/1.1',
    sourceIp: '205.255.255.176',
    userAgent: 'curl/7.64.1',
  },
  requestId: 'JKJaXmPLvHcESHA=',
  routeKey: 'POST /orders',
  stage: '$default',
  time: '10/Mar/2020:05:16:23 +0000',
  timeEpoch: 1583817383220,
  ...over,
});

export const apigwHttpEvents = [
  {
    version: '2.0',
    routeKey: 'POST /orders',
    rawPath: '/orders',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'r3pmxmplak.execute-api.us-east-2.amazonaws.com' },
    requestContext: httpContext(),
    body: JSON.stringify({ orderId: 'o-1', quantity: 2 }),
    isBase64Encoded: false,
  },
  // JWT authorizer, cookies, query string, path parameters, base64 body.
  {
    version: '2.0',
    routeKey: 'POST /orders/{id}',
    rawPath: '/orders/o-9',
    rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
    cookies: ['cookie1', 'cookie2'],
    headers: { 'content-type': 'application/json' },
    queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
    pathParameters: { id: 'o-9' },
    stageVariables: { stageVariable1: 'value1' },
    requestContext: httpContext({
      authentication: null,
      authorizer: { jwt: { claims: { sub: 'abc', iss: 'https://issuer.example.com' }, scopes: ['orders.write'] } },
      routeKey: 'POST /orders/{id}',
    }),
    body: b64({ orderId: 'o-9', quantity: 4 }),
    isBase64Encoded: true,
  },
  // Lambda authorizer context, IAM authorizer, GET without body.
  {
    version: '2.0',
    routeKey: 'GET /orders',
    rawPath: '/orders',
    rawQueryString: '',
    headers: { accept: '*/*' },
    requestContext: httpContext({
      authorizer: { lambda: { tenant: 'acme' } },
      http: { method: 'GET', path: '/orders', protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'agent' },
      routeKey: 'GET /orders',
    }),
    isBase64Encoded: false,
  },
];

export const albEvents = [
  {
    requestContext: {
      elb: {
        targetGroupArn:
          'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a',
      },
    },
    httpMethod: 'POST',
    path: '/orders',
    queryStringParameters: { query: '1234ABCD' },
    headers: { 'content-type': 'application/json', host: 'lambda-alb-123578498.us-east-2.elb.amazonaws.com' },
    body: JSON.stringify({ orderId: 'o-1', quantity: 2 }),
    isBase64Encoded: false,
  },
  // Multi-value headers enabled on the target group; base64 body.
  {
    requestContext: {
      elb: {
        targetGroupArn:
          'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a',
      },
    },
    httpMethod: 'POST',
    path: '/orders',
    multiValueQueryStringParameters: { query: ['1234ABCD'] },
    multiValueHeaders: { 'content-type': ['application/json'] },
    body: b64({ orderId: 'o-6', quantity: 3 }),
    isBase64Encoded: true,
  },
];

const urlContext = (over: Record<string, unknown> = {}) => ({
  accountId: 'anonymous',
  apiId: 'abcdefghij1234567890klmnopqrstuv',
  domainName: 'abcdefghij1234567890klmnopqrstuv.lambda-url.us-west-2.on.aws',
  domainPrefix: 'abcdefghij1234567890klmnopqrstuv',
  http: { method: 'POST', path: '/orders', protocol: 'HTTP/1.1', sourceIp: '123.123.123.123', userAgent: 'agent' },
  requestId: 'id',
  routeKey: '$default',
  stage: '$default',
  time: '12/Mar/2020:19:03:58 +0000',
  timeEpoch: 1583348638390,
  ...over,
});

export const lambdaUrlEvents = [
  // Auth type NONE.
  {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/orders',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: urlContext(),
    body: JSON.stringify({ orderId: 'o-1', quantity: 2 }),
    isBase64Encoded: false,
  },
  // Auth type AWS_IAM, cookies and query, base64 body.
  {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/orders',
    rawQueryString: 'parameter1=value1',
    cookies: ['cookie1', 'cookie2'],
    headers: { 'content-type': 'application/json' },
    queryStringParameters: { parameter1: 'value1' },
    requestContext: urlContext({
      accountId: '123456789012',
      authorizer: {
        iam: {
          accessKey: 'AKIA...',
          accountId: '111122223333',
          callerId: 'AIDA...',
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: 'arn:aws:iam::111122223333:user/example-user',
          userId: 'AIDA...',
        },
      },
    }),
    body: b64({ orderId: 'o-7', quantity: 8 }),
    isBase64Encoded: true,
  },
];

const kinesisRecord = (sequenceNumber: string, data: unknown) => ({
  kinesis: {
    kinesisSchemaVersion: '1.0',
    partitionKey: '1',
    sequenceNumber,
    data: b64(data),
    approximateArrivalTimestamp: 1545084650.987,
  },
  eventSource: 'aws:kinesis',
  eventVersion: '1.0',
  eventID: `shardId-000000000006:${sequenceNumber}`,
  eventName: 'aws:kinesis:record',
  invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
  awsRegion: 'us-east-2',
  eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
});

export const kinesisEvents = [
  {
    Records: [
      kinesisRecord('49590338271490256608559692538361571095921575989136588898', { orderId: 'o-1', quantity: 2 }),
    ],
  },
  // Tumbling window invocation.
  {
    Records: [
      { ...kinesisRecord('49590338271490256608559692540925702759324208523137515618', { orderId: 'o-2', quantity: 1 }) },
    ],
    window: { start: '2020-07-30T17:00:00Z', end: '2020-07-30T17:05:00Z' },
    state: { '1': 282 },
    shardId: 'shardId-000000000006',
    eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
    isFinalInvokeForWindow: false,
    isWindowTerminatedEarly: false,
  },
];

const streamRecord = (eventName: string, dynamodb: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  eventID: 'c4ca4238a0b923820dcc509a6f75849b',
  eventName,
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  dynamodb: {
    ApproximateCreationDateTime: 1428537600,
    SizeBytes: 26,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
    ...dynamodb,
  },
  eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2015-06-27T00:48:05.899',
  ...extra,
});

export const dynamodbStreamEvents = [
  {
    Records: [
      streamRecord('INSERT', {
        Keys: { orderId: { S: 'o-1' } },
        NewImage: { orderId: { S: 'o-1' }, quantity: { N: '2' }, tags: { SS: ['a', 'b'] } },
        SequenceNumber: '4421584500000000017450439091',
      }),
      streamRecord('MODIFY', {
        Keys: { orderId: { S: 'o-2' } },
        NewImage: {
          orderId: { S: 'o-2' },
          quantity: { N: '3' },
          meta: { M: { gift: { BOOL: true }, note: { NULL: true } } },
        },
        OldImage: { orderId: { S: 'o-2' }, quantity: { N: '1' }, items: { L: [{ S: 'x' }, { N: '1' }] } },
        SequenceNumber: '4421584500000000017450439092',
      }),
    ],
  },
  // TTL deletion: OLD_IMAGE view, userIdentity set by DynamoDB.
  {
    Records: [
      streamRecord(
        'REMOVE',
        {
          Keys: { orderId: { S: 'o-3' } },
          OldImage: { orderId: { S: 'o-3' }, quantity: { N: '7' }, blob: { B: b64('raw') } },
          SequenceNumber: '4421584500000000017450439093',
          StreamViewType: 'OLD_IMAGE',
        },
        { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } },
      ),
    ],
  },
];

/** base64(gzip(JSON)) the way CloudWatch Logs subscriptions encode `awslogs.data`. */
export const encodeLogs = (data: unknown) => gzipSync(JSON.stringify(data)).toString('base64');

export const logsData = {
  messageType: 'DATA_MESSAGE',
  owner: '123456789012',
  logGroup: '/aws/lambda/orders',
  logStream: '2019/03/13/[$LATEST]94fa867e5374431291a7fc14e2f56ae7',
  subscriptionFilters: ['LambdaStream_cloudwatchlogs-node'],
  logEvents: [
    {
      id: '34622316099697884706540976068822859012661220141643892546',
      timestamp: 1552518348220,
      message: JSON.stringify({ level: 'info', msg: 'order placed' }),
    },
    {
      id: '34622316099697884706540976068822859012661220141643892547',
      timestamp: 1552518348221,
      message: JSON.stringify({ level: 'error', msg: 'payment failed' }),
    },
  ],
};

export const cloudwatchLogsEvents = [
  { awslogs: { data: encodeLogs(logsData) } },
  // The control message CloudWatch Logs sends to check the destination.
  {
    awslogs: {
      data: encodeLogs({
        messageType: 'CONTROL_MESSAGE',
        owner: 'CloudwatchLogs',
        logGroup: '',
        logStream: '',
        subscriptionFilters: [],
        logEvents: [
          {
            id: '',
            timestamp: 1552518348220,
            message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.',
          },
        ],
      }),
    },
  },
];

export const firehoseEvents = [
  {
    invocationId: 'invocationIdExample',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/orders',
    region: 'us-east-1',
    records: [
      {
        recordId: '49546986683135544286507457936321625675700192471156785154',
        approximateArrivalTimestamp: 1495072949453,
        data: b64({ orderId: 'o-1', quantity: 2 }),
      },
    ],
  },
  // Source is a Kinesis data stream: kinesisRecordMetadata.
  {
    invocationId: '2b4d1ad9-2f48-94bd-a088-767c317e994a',
    sourceKinesisStreamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/orders',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/orders',
    region: 'us-east-1',
    records: [
      {
        recordId: '49546986683135544286507457936321625675700192471156785154',
        approximateArrivalTimestamp: 1495072949453,
        data: b64({ orderId: 'o-2', quantity: 5 }),
        kinesisRecordMetadata: {
          shardId: 'shardId-000000000000',
          partitionKey: '4d1ad2b9-24f8-4b9d-a088-76e9947c317a',
          approximateArrivalTimestamp: 1495072949453,
          sequenceNumber: '49546986683135544286507457936321625675700192471156785154',
          subsequenceNumber: 0,
        },
      },
    ],
  },
];

const sesRecord = (extra: { dmarcPolicy?: string; subject?: string; withoutDmarcVerdict?: true }) => ({
  eventSource: 'aws:ses',
  eventVersion: '1.0',
  ses: {
    mail: {
      timestamp: '2019-08-05T21:30:02.028Z',
      source: 'prvs=144d0cba7=sender@example.com',
      messageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
      destination: ['recipient@example.com'],
      headersTruncated: false,
      headers: [
        { name: 'Return-Path', value: '<prvs=144d0cba7=sender@example.com>' },
        { name: 'From', value: 'sender@example.com' },
      ],
      commonHeaders: {
        returnPath: 'prvs=144d0cba7=sender@example.com',
        from: ['sender@example.com'],
        date: 'Mon, 5 Aug 2019 21:29:57 +0000',
        to: ['recipient@example.com'],
        messageId: '<CAKXdtNYQ8nnhMrUfg@mail.example.com>',
        ...(extra.subject === undefined ? {} : { subject: extra.subject }),
      },
    },
    receipt: {
      timestamp: '2019-08-05T21:30:02.028Z',
      processingTimeMillis: 1153,
      recipients: ['recipient@example.com'],
      spamVerdict: { status: 'PASS' },
      virusVerdict: { status: 'PASS' },
      spfVerdict: { status: 'PASS' },
      dkimVerdict: { status: 'PASS' },
      ...(extra.withoutDmarcVerdict
        ? {}
        : { dmarcVerdict: { status: extra.dmarcPolicy === undefined ? 'GRAY' : 'FAIL' } }),
      ...(extra.dmarcPolicy === undefined ? {} : { dmarcPolicy: extra.dmarcPolicy }),
      action: {
        type: 'Lambda',
        invocationType: 'Event',
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:IncomingEmail',
      },
    },
  },
});

export const sesEvents = [
  { Records: [sesRecord({ subject: 'Test' })] },
  { Records: [sesRecord({ dmarcPolicy: 'reject' })] },
  // No dmarcVerdict, as in AWS's own receipt notification examples.
  { Records: [sesRecord({ withoutDmarcVerdict: true })] },
];

const preSignUp = (triggerSource: string, request: Record<string, unknown>, clientId = '1example23456789') => ({
  version: '1',
  triggerSource,
  region: 'us-east-1',
  userPoolId: 'us-east-1_EXAMPLE',
  userName: 'jane',
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
  request,
  response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
});

export const cognitoPreSignUpEvents = [
  preSignUp('PreSignUp_SignUp', {
    userAttributes: { email: 'jane@example.com', phone_number: '+12065550100' },
    validationData: { k1: 'v1' },
    clientMetadata: { source: 'web' },
  }),
  preSignUp(
    'PreSignUp_AdminCreateUser',
    { userAttributes: { email: 'jane@example.com' }, validationData: null },
    'CLIENT_ID_NOT_APPLICABLE',
  ),
  preSignUp('PreSignUp_ExternalProvider', {
    userAttributes: { email: 'jane@example.com', 'cognito:email_alias': '' },
    validationData: {},
  }),
];

const cfn = {
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:custom-resource',
  ResponseURL:
    'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3Aaws%3Acloudformation?X-Amz-Signature=abc',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/MyStack/guid',
  RequestId: 'unique id for this create request',
  LogicalResourceId: 'MyTestResource',
  ResourceType: 'Custom::TestResource',
};

export const cfnCustomResourceEvents = [
  {
    RequestType: 'Create',
    ...cfn,
    ResourceProperties: { ServiceToken: cfn.ServiceToken, StackName: 'MyStack', List: ['1', '2', '3'] },
  },
  {
    RequestType: 'Update',
    ...cfn,
    PhysicalResourceId: 'MyTestResource-1',
    ResourceProperties: { ServiceToken: cfn.ServiceToken, StackName: 'MyStack', List: ['1', '2', '3', '4'] },
    OldResourceProperties: { ServiceToken: cfn.ServiceToken, StackName: 'MyStack', List: ['1', '2', '3'] },
  },
  {
    RequestType: 'Delete',
    ...cfn,
    PhysicalResourceId: 'MyTestResource-1',
    ResourceProperties: { ServiceToken: cfn.ServiceToken, ServiceTimeout: '900', StackName: 'MyStack' },
  },
  // AWS's documented Create request: no ServiceToken, neither at the top nor in ResourceProperties.
  {
    RequestType: 'Create',
    RequestId: 'unique id for this create request',
    ResponseURL: 'pre-signed-url-for-create-response',
    ResourceType: 'Custom::MyCustomResourceType',
    LogicalResourceId: 'name of resource in template',
    StackId: 'arn:aws:cloudformation:us-west-2:123456789012:stack/mystack/5b918d10-cd98-11ea-90d5-0a9cd3354c10',
    ResourceProperties: { key1: 'string', key2: ['list'], key3: { key4: 'map' } },
  },
];

const kafkaRecord = (partition: number | string, extra: Record<string, unknown> = {}) => ({
  topic: 'mytopic',
  partition,
  offset: 15,
  timestamp: 1545084650987,
  timestampType: 'CREATE_TIME',
  key: b64('abcDEFghiJKLmnoPQRstuVWXyz1234=='),
  value: b64({ orderId: 'o-1' }),
  headers: [{ headerKey: [104, 101, 97, 100, 101, 114, 86, 97, 108, 117, 101] }],
  ...extra,
});

export const kafkaEvents = [
  {
    eventSource: 'aws:kafka',
    eventSourceArn:
      'arn:aws:kafka:us-east-1:123456789012:cluster/vpc-2priv-2pub/751d2973-a626-431c-9d4e-d7975eb44dd7-2',
    bootstrapServers:
      'b-2.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092,b-1.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092',
    records: { 'mytopic-0': [kafkaRecord(0)] },
  },
  {
    eventSource: 'SelfManagedKafka',
    bootstrapServers: 'b-2.demo-cluster-1.a1bcde.c1.kafka.us-east-1.amazonaws.com:9092',
    records: { 'mytopic-0': [kafkaRecord(0, { key: undefined })], 'mytopic-1': [kafkaRecord('1', { headers: [] })] },
  },
];

/** Every source's valid fixtures. */
export const fixtures: Record<EventSourceName, unknown[]> = {
  sqs: sqsEvents,
  sns: snsEvents,
  s3: s3Events,
  eventbridge: eventbridgeEvents,
  'apigw-rest': apigwRestEvents,
  'apigw-http': apigwHttpEvents,
  alb: albEvents,
  'lambda-url': lambdaUrlEvents,
  kinesis: kinesisEvents,
  'dynamodb-stream': dynamodbStreamEvents,
  'cloudwatch-logs': cloudwatchLogsEvents,
  firehose: firehoseEvents,
  ses: sesEvents,
  'cognito-pre-signup': cognitoPreSignUpEvents,
  'cfn-custom-resource': cfnCustomResourceEvents,
  kafka: kafkaEvents,
};

export { b64, snsBody };
