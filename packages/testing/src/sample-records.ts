// The records and values sample events are built from: realistic, as AWS documents each source, with
// deterministic ids so a snapshot of a sample event is stable.
export const region = 'us-east-1';
export const account = '123456789012';
export const time = '2025-01-15T12:00:00.000Z';
export const epochMs = Date.parse(time);

export const order = (i: number) => ({ orderId: `order-${i + 1}`, quantity: i + 1 });
export const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
// Deterministic ids, so a snapshot of a sample event is stable.
export const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const times = <T>(count: number, build: (i: number) => T): T[] =>
  Array.from({ length: count }, (_, i) => build(i));

export const sqsRecord = (i: number) => ({
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

export const snsRecord = (i: number) => ({
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

export const s3Record = (i: number) => ({
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

export const kinesisRecord = (i: number) => {
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

export const dynamodbRecord = (i: number) => ({
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

export const firehoseRecord = (i: number) => ({
  recordId: `4954698668313554428650745793632162567570019247115678515${i}`,
  approximateArrivalTimestamp: epochMs,
  data: base64(order(i)),
});

export const sesRecord = (i: number) => ({
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

export const kafkaRecord = (i: number) => ({
  topic: 'orders',
  partition: 0,
  offset: i,
  timestamp: epochMs,
  timestampType: 'CREATE_TIME',
  key: Buffer.from(order(i).orderId).toString('base64'),
  value: base64(order(i)),
  headers: [{ source: [...Buffer.from('sample')] }],
});

export const httpHeaders = { 'content-type': 'application/json', host: 'api.example.com', 'user-agent': 'curl/8.5.0' };
