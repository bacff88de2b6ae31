import {
  CreateTopicCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  SNSServiceException,
} from '@aws-sdk/client-sns';
import { SnsEventSchema } from '@lambdakit/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSns, startLocalSns } from './local-sns.js';
import { unflatten } from './wire-query.js';

let sns: LocalSns;
let client: SNSClient;

beforeAll(async () => {
  sns = await startLocalSns({ topics: ['orders'], now: () => Date.UTC(2026, 11, 5, 9, 12) });
  client = new SNSClient({ ...sns.clientConfig, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await sns.close();
});

async function failure(run: Promise<unknown>): Promise<SNSServiceException> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SNSServiceException);
  return error as SNSServiceException;
}

describe('startLocalSns() with the real SNS client (query protocol)', () => {
  it('creates and lists topics', async () => {
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: 'refunds' }));
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:refunds');
    expect(sns.topicArn('refunds')).toBe(TopicArn);
    const { Topics } = await client.send(new ListTopicsCommand({}));
    expect(Topics?.map((t) => t.TopicArn)).toEqual([sns.topicArn('orders'), TopicArn]);
  });

  it('publishes with attributes (text with XML and form metacharacters survives both ways)', async () => {
    const message = 'a=1&b=<2> "quoted" ✓ €';
    const { MessageId } = await client.send(
      new PublishCommand({
        TopicArn: sns.topicArn('orders'),
        Message: message,
        Subject: 'Order & more',
        MessageAttributes: {
          'lambdakit-depth': { DataType: 'Number', StringValue: '2' },
          tenant: { DataType: 'String', StringValue: 'acme & co' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) },
        },
      }),
    );
    const stored = sns.messages('orders').at(-1)!;
    expect(stored).toMatchObject({ messageId: MessageId, message, subject: 'Order & more' });
    expect(stored.attributes).toEqual({
      'lambdakit-depth': { DataType: 'Number', StringValue: '2' },
      tenant: { DataType: 'String', StringValue: 'acme & co' },
      blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 255]).toString('base64') },
    });
    const event = sns.lambdaEvent(stored);
    expect(SnsEventSchema.parse(event)).toEqual(event);
    expect(event.Records[0]?.Sns).toMatchObject({
      MessageId,
      Message: message,
      Timestamp: '2026-12-05T09:12:00.000Z',
      MessageAttributes: { 'lambdakit-depth': { Type: 'Number', Value: '2' } },
    });
  });

  it('publishes a batch entry by entry: a bad entry fails alone', async () => {
    const before = sns.messages('orders').length;
    const out = await client.send(
      new PublishBatchCommand({
        TopicArn: sns.topicArn('orders'),
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'first', MessageAttributes: { n: { DataType: 'Number', StringValue: '1' } } },
          { Id: 'b', Message: 'second', MessageAttributes: { n: { DataType: 'Number', StringValue: 'one' } } },
          { Id: 'c', Message: 'third' },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id)).toEqual(['a', 'c']);
    expect(out.Failed).toEqual([
      {
        Id: 'b',
        Code: 'InvalidParameter',
        Message: expect.stringContaining("Could not cast message attribute 'n'"),
        SenderFault: true,
      },
    ]);
    expect(
      sns
        .messages('orders')
        .slice(before)
        .map((m) => m.message),
    ).toEqual(['first', 'third']);
  });

  it('answers bad requests as SNS does', async () => {
    const topic = sns.topicArn('orders');
    expect(await failure(client.send(new PublishCommand({ TopicArn: `${topic}-gone`, Message: 'x' })))).toBeInstanceOf(
      NotFoundException,
    );
    expect((await failure(client.send(new PublishCommand({ TopicArn: topic, Message: '' })))).name).toBe(
      'InvalidParameterException',
    );
    const eleven = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
    );
    expect(
      (await failure(client.send(new PublishCommand({ TopicArn: topic, Message: 'x', MessageAttributes: eleven }))))
        .message,
    ).toMatch(/Number of message attributes \[11\] exceeds the allowed maximum \[10\]/);
    expect(
      (await failure(client.send(new PublishCommand({ TopicArn: topic, Message: 'x'.repeat(256 * 1024 + 1) }))))
        .message,
    ).toMatch(/Message too long/);
    const dup = [
      { Id: 'a', Message: 'x' },
      { Id: 'a', Message: 'y' },
    ];
    expect(
      (await failure(client.send(new PublishBatchCommand({ TopicArn: topic, PublishBatchRequestEntries: dup })))).name,
    ).toBe('BatchEntryIdsNotDistinctException');
  });

  it('answers malformed and hostile requests with protocol errors, never a crash', async () => {
    const post = async (body: string, type = 'application/x-www-form-urlencoded') => {
      const response = await fetch(sns.endpoint, { method: 'POST', headers: { 'content-type': type }, body });
      return { status: response.status, text: await response.text() };
    };
    expect(await post('Action=Subscribe&Version=2010-03-31')).toMatchObject({
      status: 400,
      text: expect.stringContaining('<Code>InvalidAction</Code>'),
    });
    expect(await post('Action=Publish&A=1&A.B=2')).toMatchObject({
      status: 400,
      text: expect.stringContaining('MalformedQueryString'),
    });
    const proto = await post(
      `Action=Publish&TopicArn=${sns.topicArn('orders')}&Message=m&MessageAttributes.entry.1.Name=__proto__&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=x`,
    );
    expect(proto.status).toBe(200);
    expect(Object.keys(sns.messages('orders').at(-1)!.attributes)).toEqual(['__proto__']);
    const delivered = sns.lambdaEvent(sns.messages('orders').at(-1)!).Records[0]!.Sns.MessageAttributes;
    expect(Object.keys(delivered)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(delivered)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).DataType).toBeUndefined();
    expect((await post('{}', 'application/json')).status).toBe(400);
  });

  it('reads lists of plain values in a query body', () => {
    expect(
      unflatten(new URLSearchParams('Action=X&TagKeys.member.2=b&TagKeys.member.1=a&Tags.member.1.Key=k')),
    ).toEqual({
      Action: 'X',
      TagKeys: ['a', 'b'],
      Tags: [{ Key: 'k' }],
    });
  });

  it('injects faults in SNS’s shape', async () => {
    sns.throttle(1);
    expect((await failure(client.send(new ListTopicsCommand({})))).name).toBe('ThrottlingException');
    sns.fail(1, 503);
    const error = await failure(client.send(new ListTopicsCommand({})));
    expect(error.$metadata.httpStatusCode).toBe(503);
    expect(error.$fault).toBe('server');
    expect((await client.send(new ListTopicsCommand({}))).Topics?.length).toBeGreaterThan(0);
  });

  it('refuses bad options and unknown topics by name', async () => {
    await expect(startLocalSns({ topics: 'orders' as never })).rejects.toThrow(/startLocalSns.*topics/);
    expect(() => sns.messages('nope')).toThrow('LocalSns.messages(name): NotFound Topic does not exist');
    expect(() => sns.createTopic('bad name')).toThrow(/LocalSns.createTopic\(name\): InvalidParameter/);
  });
});
