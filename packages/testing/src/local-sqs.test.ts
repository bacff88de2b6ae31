import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SqsEventSchema } from '@lambdakit/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSqs, startLocalSqs } from './local-sqs.js';
import { md5OfAttributes } from './sqs-queue-store.js';

// The real SDK client against the local endpoint: it checks every MD5 the endpoint answers with.
let sqs: LocalSqs;
let client: SQSClient;
let now = Date.UTC(2030, 0, 1);

beforeAll(async () => {
  sqs = await startLocalSqs({ queues: ['orders'], now: () => now });
  client = new SQSClient({ ...sqs.clientConfig, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await sqs.close();
});

describe('startLocalSqs', () => {
  it('sends with message attributes and receives them, each MD5 as SQS computes it, and deletes by receipt handle', async () => {
    const QueueUrl = sqs.queueUrl('orders');
    expect(QueueUrl).toBe(`${sqs.endpoint}/123456789012/orders`);
    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"orderId":"o-1"}',
        MessageAttributes: {
          depth: { DataType: 'Number', StringValue: '2' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      }),
    );
    expect(sent.MD5OfMessageBody).toMatch(/^[0-9a-f]{32}$/); // the SDK compared it with its own MD5 of the body
    const received = await client.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }),
    );
    expect(received.Messages).toHaveLength(1);
    const [message] = received.Messages!;
    expect(message).toMatchObject({
      MessageId: sent.MessageId,
      Body: '{"orderId":"o-1"}',
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      MessageAttributes: { depth: { DataType: 'Number', StringValue: '2' } },
      Attributes: { ApproximateReceiveCount: '1' },
    });
    expect(Buffer.from(message!.MessageAttributes!.blob!.BinaryValue!)).toEqual(Buffer.from([1, 2, 3]));
    // In flight: not received again until its visibility timeout ends.
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? []).toEqual([]);
    now += 30_000;
    const again = (await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0]!;
    expect(again.Attributes?.ApproximateReceiveCount).toBe('2');
    // The first receipt handle is stale: it deletes nothing.
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message!.ReceiptHandle }));
    expect(sqs.messages('orders')).toHaveLength(1);
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again.ReceiptHandle }));
    expect(sqs.messages('orders')).toHaveLength(0);
  });

  it('computes the attributes MD5 of AWS’s documented algorithm', () => {
    // Independent of the endpoint: the same attributes in another order give the same digest.
    const a = md5OfAttributes({
      b: { DataType: 'String', StringValue: 'x' },
      a: { DataType: 'Number', StringValue: '1' },
    });
    const b = md5OfAttributes({
      a: { DataType: 'Number', StringValue: '1' },
      b: { DataType: 'String', StringValue: 'x' },
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(md5OfAttributes({})).toBeUndefined();
    // Digests SQS returned for these attributes (published with other SQS clients' tests).
    expect(md5OfAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe(
      'cd28f3b68aeee4b2eac9c66f2f694b58',
    );
    expect(
      md5OfAttributes({
        ordinal: { DataType: 'Number', StringValue: '1' },
        category: { DataType: 'String', StringValue: 'test' },
      }),
    ).toBe('d21ae90c49061e927f57df5f5d72be1f');
  });

  it('sends a batch entry by entry, reporting a bad entry as failed and the rest as sent', async () => {
    const QueueUrl = sqs.createQueue('batch');
    const out = await client.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          {
            Id: 'b',
            MessageBody: 'two',
            MessageAttributes: { n: { DataType: 'Number', StringValue: 'not a number' } },
          },
          { Id: 'c', MessageBody: 'three', DelaySeconds: 60 },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id)).toEqual(['a', 'c']);
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'b', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
    const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    // The delayed message is not visible yet.
    expect(attributes.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
  });

  it('answers a missing queue and bad input in SQS’s error shape', async () => {
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
    const QueueUrl = sqs.queueUrl('orders');
    await expect(client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 }))).rejects.toThrow(
      'MaxNumberOfMessages must be an integer from 1 to 10.',
    );
    await expect(
      client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1024 * 1024 + 1) })),
    ).rejects.toThrow(/Message must be shorter than/);
    expect(() => sqs.createQueue('bad name!')).toThrow(/^LocalSqs.createQueue\(name\): InvalidParameterValue/);
    await expect(startLocalSqs({ queues: 'orders' as never })).rejects.toThrow(
      'startLocalSqs({ queues }): expected an array, got "orders"',
    );
  });

  it('injects faults as the other local endpoints do', async () => {
    sqs.throttle(1);
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).rejects.toThrow();
    expect((await client.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl).toBe(sqs.queueUrl('orders'));
    expect(sqs.count('GetQueueUrl')).toBeGreaterThanOrEqual(2);
  });

  it('hands messages to a function as an event source mapping does', async () => {
    sqs.createQueue('mapped');
    const url = sqs.queueUrl('mapped');
    await client.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'one',
        MessageAttributes: { 'lambdakit-depth': { DataType: 'Number', StringValue: '3' } },
      }),
    );
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'two' }));
    const event = sqs.receiveEvent('mapped', 1);
    expect(SqsEventSchema.parse(event)).toEqual(event);
    const [record] = event.Records;
    expect(record).toMatchObject({
      body: 'one',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:mapped',
      attributes: { ApproximateReceiveCount: '1', ApproximateFirstReceiveTimestamp: String(now) },
      messageAttributes: { 'lambdakit-depth': { stringValue: '3', dataType: 'Number' } },
      md5OfMessageAttributes: md5OfAttributes({ 'lambdakit-depth': { DataType: 'Number', StringValue: '3' } }),
    });
    // In flight now: the next event holds the other message, then none.
    expect(sqs.receiveEvent('mapped').Records.map((r) => r.body)).toEqual(['two']);
    expect(sqs.receiveEvent('mapped').Records).toEqual([]);
    await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: record?.receiptHandle }));
    expect(sqs.messages('mapped').map((m) => m.body)).toEqual(['two']);
    expect(() => sqs.receiveEvent('mapped', 0)).toThrow('LocalSqs.receiveEvent(name, maxRecords): expected an integer');
    expect(() => sqs.receiveEvent('gone')).toThrow(/LocalSqs.receiveEvent\(name\)/);
  });
});
