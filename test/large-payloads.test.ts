// Messages too large for SQS and SNS, through S3 in the extended clients' format: the sender
// (`offloadLargePayloads`) and the receivers (`parse()`, `@lambdakit/batch`) against the local SQS,
// SNS and an S3-compatible server, with the real AWS SDK clients.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { processBatch } from '@lambdakit/batch';
import { lambda } from '@lambdakit/core';
import { LargePayloadError, parse, resolveLargePayloads, sns, snsInSqs, sqs } from '@lambdakit/parser';
import {
  offloadLargePayloads,
  offloadLargeResponse,
  POINTER_CLASS,
  s3Payloads,
} from '@lambdakit/parser/large-payloads';
import { createContext, type LocalAws, startLocalAws } from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';

const Order = z.object({ orderId: z.string(), lines: z.array(z.string()) });
const order = (orderId: string, lineBytes: number) => ({ orderId, lines: ['x'.repeat(lineBytes)] });

let aws: LocalAws;
let s3: S3Client;
let sender: SQSClient;
let publisher: SNSClient;
let plainSqs: SQSClient;

beforeAll(async () => {
  aws = await startLocalAws({ queues: ['orders'], topics: ['orders'], buckets: ['payloads', 'elsewhere'] });
  s3 = new S3Client({ ...aws.s3.clientConfig, maxAttempts: 1 });
  sender = offloadLargePayloads(new SQSClient(aws.sqs.clientConfig), { s3, bucket: 'payloads', keyPrefix: 'orders/' });
  publisher = offloadLargePayloads(new SNSClient(aws.sns.clientConfig), { s3, bucket: 'payloads' });
  plainSqs = new SQSClient(aws.sqs.clientConfig);
}, 60_000);
afterAll(async () => {
  for (const client of [s3, sender, publisher, plainSqs]) client?.destroy();
  await aws?.close();
});

const queueUrl = () => aws.sqs.queueUrl('orders');
const keys = async () => (await aws.s3.objects('payloads')).map((o) => o.key);

describe('offloadLargePayloads() then a batch with sqs(Order, { largePayloads })', () => {
  it('round-trips a 2 MB body among small ones; each payload is deleted once its record succeeded', async () => {
    const big = order('o-big', 2 * 1024 * 1024);
    const input = {
      QueueUrl: queueUrl(),
      Entries: [
        { Id: 'a', MessageBody: JSON.stringify(order('o-1', 10)) },
        {
          Id: 'b',
          MessageBody: JSON.stringify(big),
          MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } },
        },
        { Id: 'c', MessageBody: JSON.stringify(order('o-2', 10)) },
      ],
    };
    const sent = await sender.send(new SendMessageBatchCommand(input));
    expect(sent.Failed ?? []).toEqual([]);
    expect(input.Entries[1]?.MessageBody).toBe(JSON.stringify(big)); // the caller's input is not modified
    const [stored] = await aws.s3.objects('payloads');
    expect(stored).toMatchObject({
      key: expect.stringMatching(/^orders\/[0-9a-f-]{36}$/),
      size: JSON.stringify(big).length,
    });
    const event = aws.sqs.receiveEvent('orders');
    const pointer = event.Records[1]!;
    expect(JSON.parse(pointer.body)).toEqual([POINTER_CLASS, { s3BucketName: 'payloads', s3Key: stored!.key }]);
    expect(pointer.messageAttributes.ExtendedPayloadSize).toMatchObject({
      dataType: 'Number',
      stringValue: String(stored!.size),
    });

    const schema = sqs(Order, { largePayloads: s3Payloads({ client: s3, deleteAfterSuccess: true }) });
    const seen: [string, number, string[]][] = [];
    const result = await processBatch(
      event,
      createContext(),
      (record) => {
        seen.push([record.body.orderId, record.body.lines[0]!.length, Object.keys(record.messageAttributes)]);
      },
      { schema },
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(seen.sort()).toEqual([
      ['o-1', 10, []],
      ['o-2', 10, []],
      ['o-big', 2 * 1024 * 1024, ['tenant']], // the marker attribute is gone, the user's stays
    ]);
    expect(await keys()).toEqual([]);
  });

  it('reads a pointer as the Java and Python clients write it, the legacy names too; a missing object fails its record alone', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: 'payloads', Key: 'java-key', Body: JSON.stringify(order('o-java', 5)) }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: 'payloads', Key: 'legacy-key', Body: JSON.stringify(order('o-legacy', 5)) }),
    );
    const pointer = (cls: string, key: string) => JSON.stringify([cls, { s3BucketName: 'payloads', s3Key: key }]);
    const messages = [
      { body: pointer(POINTER_CLASS, 'java-key'), attribute: 'ExtendedPayloadSize' },
      {
        body: pointer('com.amazon.sqs.javamessaging.MessageS3Pointer', 'legacy-key'),
        attribute: 'SQSLargePayloadSize',
      },
      { body: pointer(POINTER_CLASS, 'gone-key'), attribute: 'ExtendedPayloadSize' },
      { body: JSON.stringify(order('o-inline', 3)), attribute: undefined },
    ];
    for (const { body, attribute } of messages) {
      const MessageAttributes =
        attribute === undefined ? undefined : { [attribute]: { DataType: 'Number', StringValue: '42' } };
      await plainSqs.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: body, MessageAttributes }));
    }
    const event = aws.sqs.receiveEvent('orders');
    const schema = sqs(Order, { largePayloads: s3Payloads({ client: s3, deleteAfterSuccess: true }) });
    const errors: unknown[] = [];
    const ids: string[] = [];
    const result = await processBatch(event, createContext(), (record) => void ids.push(record.body.orderId), {
      schema,
      onRecordError: (failure) => void errors.push(failure.error),
    });
    expect(ids.sort()).toEqual(['o-inline', 'o-java', 'o-legacy']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[2]!.messageId }]);
    expect(errors[0]).toBeInstanceOf(LargePayloadError);
    expect(errors[0]).toMatchObject({
      code: 'PARSER_PAYLOAD_MISSING',
      bucket: 'payloads',
      key: 'gone-key',
      recordIndex: 2,
      retryable: false,
    });
    expect(await keys()).toEqual([]); // both fetched payloads deleted after success
  });
});

describe('parse(sqs(Order, { largePayloads })) on lambda()', () => {
  async function pointerEvent(lineBytes: number) {
    await sender.send(
      new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: JSON.stringify(order('o-p', lineBytes)) }),
    );
    return aws.sqs.receiveEvent('orders');
  }

  it('parses the payload as if inline; deletes it after success, unless the record is reported failed', async () => {
    for (const report of [false, true]) {
      const event = await pointerEvent(300_000);
      const handler = lambda()
        .use(parse(sqs(Order, { largePayloads: s3Payloads({ client: s3, deleteAfterSuccess: true }) })))
        .handle(async (e) => ({
          batchItemFailures: report ? [{ itemIdentifier: e.Records[0]!.messageId }] : [],
          size: e.Records[0]!.body.lines[0]!.length,
        }));
      expect(await handler(event, createContext())).toMatchObject({ size: 300_000 });
      expect((await keys()).length).toBe(report ? 1 : 0);
    }
  });

  it('refuses a missing, oversized or other-bucket payload, and one past the deadline, with a typed error', async () => {
    const event = await pointerEvent(300_000);
    const key = (JSON.parse(event.Records[0]!.body) as [string, { s3Key: string }])[1].s3Key;
    const small = sqs(Order, { largePayloads: s3Payloads({ client: s3 }), limits: { maxBodyBytes: 100_000 } });
    await expect(
      lambda()
        .use(parse(small))
        .handle(async () => 'ran')(event, createContext()),
    ).rejects.toMatchObject({
      code: 'PARSER_PAYLOAD_TOO_LARGE',
      bucket: 'payloads',
      key,
      maxBytes: 100_000,
    });
    const onlyElsewhere = sqs(Order, { largePayloads: s3Payloads({ client: s3, buckets: ['elsewhere'] }) });
    await expect(
      resolveLargePayloads(onlyElsewhere, event).then((r) => [...r.failures.values()][0]),
    ).resolves.toMatchObject({
      code: 'PARSER_PAYLOAD_POINTER_INVALID',
      bucket: 'payloads',
    });
    const aborted = AbortSignal.abort(new Error('deadline'));
    const late = await resolveLargePayloads(sqs(Order, { largePayloads: s3Payloads({ client: s3 }) }), event, {
      signal: aborted,
    });
    expect([...late.failures.values()][0]).toMatchObject({
      code: 'PARSER_PAYLOAD_UNREADABLE',
      retryable: true,
      cause: aborted.reason,
    });
    expect(late.event).toBe(event);
  });
});

describe('SNS: Publish through S3, then sns() and snsInSqs()', () => {
  it('resolves the payload of an SNS record, and of an SNS notification inside an SQS body', async () => {
    const big = order('o-sns', 400_000);
    await publisher.send(new PublishCommand({ TopicArn: aws.sns.topicArn('orders'), Message: JSON.stringify(big) }));
    const message = aws.sns.messages('orders').at(-1)!;
    expect(message.attributes.ExtendedPayloadSize?.StringValue).toBe(String(JSON.stringify(big).length));
    const store = s3Payloads({ client: s3 });
    const direct = lambda()
      .use(parse(sns(Order, { largePayloads: store })))
      .handle(async (e) => e.Records[0]!.Sns.Message.lines[0]!.length);
    expect(await direct(aws.sns.lambdaEvent(message), createContext())).toBe(400_000);

    // The queue a topic delivers to without raw message delivery: the SNS envelope is the SQS body.
    const envelope = {
      Type: 'Notification',
      MessageId: message.messageId,
      TopicArn: message.topicArn,
      Message: message.message,
      Timestamp: new Date(message.publishedAt).toISOString(),
      SignatureVersion: '1',
      Signature: 'c2lnbmF0dXJl',
      SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
      UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
      MessageAttributes: {
        ExtendedPayloadSize: { Type: 'Number', Value: message.attributes.ExtendedPayloadSize!.StringValue },
      },
    };
    await plainSqs.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: JSON.stringify(envelope) }));
    const inSqs = lambda()
      .use(parse(snsInSqs(Order, { largePayloads: store })))
      .handle(async (e) => [
        e.Records[0]!.body.Message.orderId,
        Object.keys(e.Records[0]!.body.MessageAttributes ?? {}),
      ]);
    expect(await inSqs(aws.sqs.receiveEvent('orders'), createContext())).toEqual(['o-sns', []]);
  });
});

describe('offloadLargePayloads() refusals and thresholds', () => {
  it('sends small messages inline, and refuses what cannot go through S3 without sending it', async () => {
    const before = aws.sqs.messages('orders').length;
    await sender.send(
      new SendMessageCommand({
        QueueUrl: queueUrl(),
        MessageBody: 'x'.repeat(262_144 - 10),
        MessageAttributes: { a: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    expect(aws.sqs.messages('orders').at(-1)?.body.length).toBe(262_134); // 262,134 + 1 + 6 + 1 bytes: at the threshold, inline
    const ten = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
    );
    await expect(
      sender.send(
        new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: 'x'.repeat(300_000), MessageAttributes: ten }),
      ),
    ).rejects.toMatchObject({
      code: 'PARSER_PAYLOAD_OFFLOAD_FAILED',
    });
    const reserved = { ExtendedPayloadSize: { DataType: 'Number', StringValue: '1' } };
    await expect(
      sender.send(
        new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: 'x'.repeat(300_000), MessageAttributes: reserved }),
      ),
    ).rejects.toThrow(/reserved/);
    const always = offloadLargePayloads(new SQSClient(aws.sqs.clientConfig), {
      s3,
      bucket: 'elsewhere',
      alwaysThroughS3: true,
    });
    await always.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: 'tiny' }));
    always.destroy();
    expect(aws.sqs.messages('orders').length).toBe(before + 2);
    expect((await aws.s3.objects('elsewhere')).map((o) => o.size)).toEqual([4]);
    const gone = offloadLargePayloads(new SQSClient(aws.sqs.clientConfig), { s3, bucket: 'no-such-bucket' });
    await expect(
      gone.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: 'x'.repeat(300_000) })),
    ).rejects.toMatchObject({
      code: 'PARSER_PAYLOAD_OFFLOAD_FAILED',
      bucket: 'no-such-bucket',
      retryable: true,
    });
    gone.destroy();
    expect(aws.sqs.messages('orders').length).toBe(before + 2);
  });
});

describe('offloadLargeResponse()', () => {
  it('answers a response over 6 MB with a 303 to a presigned link that serves the body', async () => {
    const body = JSON.stringify({ rows: 'r'.repeat(7 * 1024 * 1024) });
    const handler = lambda().handle(async () =>
      offloadLargeResponse(
        { statusCode: 200, headers: { 'Content-Type': 'application/json' }, cookies: ['session=1'], body },
        { s3, bucket: 'payloads', keyPrefix: 'responses/' },
      ),
    );
    const response = (await handler({}, createContext())) as {
      statusCode: number;
      headers: Record<string, string>;
      cookies?: string[];
    };
    expect(response).toMatchObject({
      statusCode: 303,
      headers: { 'Cache-Control': 'no-store' },
      cookies: ['session=1'],
      body: '',
    });
    const url = new URL(response.headers.Location!);
    expect(url.pathname).toMatch(/^\/payloads\/responses\/[0-9a-f-]{36}$/);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('application/json');
    expect(await fetched.text()).toBe(body);
    url.searchParams.set('X-Amz-Expires', '9999'); // the signature covers the expiry: a changed link is refused
    expect((await fetch(url)).status).toBe(403);
  });

  it('keeps a small response, decodes a base64 body, and moves a plain object as JSON', async () => {
    const small = { statusCode: 200, body: 'ok' };
    expect(await offloadLargeResponse(small, { s3, bucket: 'payloads' })).toBe(small);
    const png = Buffer.alloc(300, 7);
    const binary = await offloadLargeResponse(
      {
        statusCode: 200,
        headers: { 'content-type': 'image/png' },
        isBase64Encoded: true,
        body: png.toString('base64'),
      },
      { s3, bucket: 'payloads', thresholdBytes: 100 },
    );
    const image = await fetch((binary as { headers: { Location: string } }).headers.Location);
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
    const plain = await offloadLargeResponse({ rows: [1, 2, 3] }, { s3, bucket: 'payloads', thresholdBytes: 5 });
    const json = await fetch((plain as { headers: { Location: string } }).headers.Location);
    expect(await json.json()).toEqual({ rows: [1, 2, 3] });
    const kept = { statusCode: 500, body: 'e'.repeat(50) };
    expect(
      await offloadLargeResponse(kept, {
        s3,
        bucket: 'payloads',
        thresholdBytes: 5,
        keep: (r) => r.statusCode! >= 500,
      }),
    ).toBe(kept);
    await expect(
      offloadLargeResponse(
        { statusCode: 200, body: 'x'.repeat(50) },
        { s3, bucket: 'no-such-bucket', thresholdBytes: 5 },
      ),
    ).rejects.toMatchObject({
      code: 'PARSER_PAYLOAD_OFFLOAD_FAILED',
      bucket: 'no-such-bucket',
    });
    await expect(offloadLargeResponse(small, { s3, bucket: 'payloads', expiresInSeconds: 0 })).rejects.toThrow(
      /expiresInSeconds/,
    );
  });
});
