// Messages too large for SQS and SNS, through S3 in the extended clients' format: the sender
// (`offloadLargePayloads`) and the receivers (`parse()`, `@lambdakit/batch`) against the local SQS,
// SNS and an S3-compatible server, with the real AWS SDK clients.

import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
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
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
/** The keys under `prefix` in the payloads bucket: each test writes under its own prefix. */
const keys = async (prefix: string) =>
  (await aws.s3.objects('payloads')).map((o) => o.key).filter((key) => key.startsWith(prefix));
/** An SQS client that offloads under `prefix`, destroyed after the test. */
const clients: { destroy(): void }[] = [];
function senderUnder(prefix: string): SQSClient {
  const client = offloadLargePayloads(new SQSClient(aws.sqs.clientConfig), {
    s3,
    bucket: 'payloads',
    keyPrefix: prefix,
  });
  clients.push(client);
  return client;
}
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});
const deleting = () => s3Payloads({ client: s3, deleteAfterSuccess: true, buckets: ['payloads'] });

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

    const schema = sqs(Order, { largePayloads: deleting() });
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
    expect(await keys('orders/')).toEqual([]);
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
    const schema = sqs(Order, { largePayloads: deleting() });
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
    expect(await keys('java-key')).toEqual([]); // both fetched payloads deleted after success
    expect(await keys('legacy-key')).toEqual([]);
  });
});

describe('a batch in lambda(): payloads fetched per record, deleted once the invocation succeeded', () => {
  async function pointers(prefix: string, ids: readonly string[]) {
    const send = senderUnder(prefix);
    for (const id of ids) {
      await send.send(
        new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: JSON.stringify(order(id, 300_000)) }),
      );
    }
    return aws.sqs.receiveEvent('orders');
  }

  it('fetches each payload in its lane; a failed record keeps its payload, the others go after the invocation', async () => {
    const event = await pointers('lane/', ['o-a', 'o-b', 'o-c']);
    const log: string[] = [];
    const reading = new S3Client({ ...aws.s3.clientConfig, maxAttempts: 1 });
    clients.push(reading);
    reading.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetObjectCommand') log.push('get');
        if (context.commandName === 'DeleteObjectCommand') log.push('delete');
        return next(args);
      },
      { step: 'initialize', name: 'record-calls' },
    );
    const largePayloads = s3Payloads({ client: reading, deleteAfterSuccess: true, buckets: ['payloads'] });
    const handler = lambda().handle(async (e, ctx) => {
      const result = await processBatch(
        e,
        ctx,
        (record) => {
          log.push(`run ${record.body.orderId}`);
          if (record.body.orderId === 'o-b') throw new Error('refused');
        },
        { schema: sqs(Order, { largePayloads }), concurrency: 1 },
      );
      log.push(`stored ${(await keys('lane/')).length}`); // nothing deleted while the invocation runs
      return result;
    });
    const result = await handler(event, createContext());
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] });
    // One payload in memory at a time: each is read when its record starts.
    expect(log).toEqual(['get', 'run o-a', 'get', 'run o-b', 'get', 'run o-c', 'stored 3', 'delete', 'delete']);
    const [failed] = await keys('lane/');
    expect(event.Records[1]!.body).toContain(failed); // the failed record's payload stays for its retry
    expect(await keys('lane/')).toHaveLength(1);
  });

  it('keeps every payload when the invocation fails after its batch (Lambda retries the whole batch)', async () => {
    const event = await pointers('crash/', ['o-x', 'o-y']);
    const handler = lambda().handle(async (e, ctx) => {
      await processBatch(e, ctx, () => {}, { schema: sqs(Order, { largePayloads: deleting() }) });
      throw new Error('after the batch');
    });
    await expect(handler(event, createContext())).rejects.toThrow('after the batch');
    expect(await keys('crash/')).toHaveLength(2);
    // The retry finds them, succeeds, and only then deletes them.
    const retry = lambda().handle(async (e, ctx) =>
      processBatch(e, ctx, () => {}, { schema: sqs(Order, { largePayloads: deleting() }) }),
    );
    expect(await retry(event, createContext())).toEqual({ batchItemFailures: [] });
    expect(await keys('crash/')).toEqual([]);
  });

  it("names S3's 403 as access denied, which a later attempt does not pass", async () => {
    const event = await pointers('denied/', ['o-d']);
    const stranger = new S3Client({
      ...aws.s3.clientConfig,
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'nobody' },
    });
    clients.push(stranger);
    const errors: unknown[] = [];
    await processBatch(event, createContext(), () => {}, {
      schema: sqs(Order, { largePayloads: s3Payloads({ client: stranger }) }),
      onRecordError: (failure) => void errors.push(failure.error),
    });
    expect(errors[0]).toMatchObject({ code: 'PARSER_PAYLOAD_ACCESS_DENIED', retryable: false, recordIndex: 0 });
    expect((errors[0] as Error).message).toContain('s3:ListBucket');
  });
});

describe('parse(sqs(Order, { largePayloads })) on lambda()', () => {
  async function pointerEvent(lineBytes: number, prefix = 'parse/') {
    await senderUnder(prefix).send(
      new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: JSON.stringify(order('o-p', lineBytes)) }),
    );
    return aws.sqs.receiveEvent('orders');
  }

  it('parses the payload as if inline; deletes it after success, unless the record is reported failed', async () => {
    for (const report of [false, true]) {
      const event = await pointerEvent(300_000, `parse-${report}/`);
      const handler = lambda()
        .use(parse(sqs(Order, { largePayloads: deleting() })))
        .handle(async (e) => ({
          batchItemFailures: report ? [{ itemIdentifier: e.Records[0]!.messageId }] : [],
          size: e.Records[0]!.body.lines[0]!.length,
        }));
      expect(await handler(event, createContext())).toMatchObject({ size: 300_000 });
      expect((await keys(`parse-${report}/`)).length).toBe(report ? 1 : 0);
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
    const a = { a: { DataType: 'String', StringValue: 'v' } };
    // 262,136 + 1 + 6 + 1 bytes (body, the attribute's name, type and value): at the threshold, inline.
    await sender.send(
      new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: 'x'.repeat(262_136), MessageAttributes: a }),
    );
    expect(aws.sqs.messages('orders').at(-1)?.body.length).toBe(262_136);
    // One byte more: through S3.
    const boundary = senderUnder('boundary/');
    await boundary.send(
      new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: 'é'.repeat(131_069), MessageAttributes: a }),
    );
    expect(aws.sqs.messages('orders').at(-1)?.body).toContain('S3Pointer'); // 262,138 bytes in 131,069 characters
    expect((await aws.s3.objects('payloads')).find((o) => o.key.startsWith('boundary/'))?.size).toBe(262_138);
    const ten = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
    );
    await expect(
      sender.send(
        new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: 'x'.repeat(300_000), MessageAttributes: ten }),
      ),
    ).rejects.toMatchObject({
      code: 'PARSER_PAYLOAD_OFFLOAD_REFUSED',
      retryable: false,
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
    expect(aws.sqs.messages('orders').length).toBe(before + 3);
    expect((await aws.s3.objects('elsewhere')).map((o) => o.size)).toEqual([4]);
    const gone = offloadLargePayloads(new SQSClient(aws.sqs.clientConfig), { s3, bucket: 'no-such-bucket' });
    await expect(
      gone.send(new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: 'x'.repeat(300_000) })),
    ).rejects.toMatchObject({
      code: 'PARSER_PAYLOAD_OFFLOAD_FAILED',
      bucket: 'no-such-bucket',
      retryable: false, // S3 refused (no such bucket): trying again does not help
    });
    gone.destroy();
    expect(aws.sqs.messages('orders').length).toBe(before + 3);
  });

  it('keeps a batch send under its limit, counting the pointers it sends, and refuses a JSON-structured entry', async () => {
    const batch = senderUnder('fit/');
    const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: String(i).repeat(100_000 + i) }));
    await batch.send(new SendMessageBatchCommand({ QueueUrl: queueUrl(), Entries }));
    const sent = aws.sqs.messages('orders').slice(-10);
    const total = sent.reduce((sum, m) => sum + Buffer.byteLength(m.body) + (m.body.includes('S3Pointer') ? 31 : 0), 0);
    expect(total).toBeLessThanOrEqual(262_144);
    // The largest go first: the two smallest entries (100,000 and 100,001 bytes) fit beside eight pointers.
    expect(sent.filter((m) => !m.body.includes('S3Pointer')).map((m) => m.body.length)).toEqual([100_000, 100_001]);
    expect(await keys('fit/')).toHaveLength(8);

    const topic = aws.sns.topicArn('orders');
    const published = aws.sns.messages('orders').length;
    const structured = {
      Id: 'j',
      Message: JSON.stringify({ default: 'x'.repeat(300_000) }),
      MessageStructure: 'json',
    };
    await expect(
      publisher.send(
        new PublishBatchCommand({
          TopicArn: topic,
          PublishBatchRequestEntries: [{ Id: 'p', Message: 'y'.repeat(300_000) }, structured],
        }),
      ),
    ).rejects.toMatchObject({ code: 'PARSER_PAYLOAD_OFFLOAD_REFUSED', message: expect.stringContaining('entry j') });
    expect(aws.sns.messages('orders').length).toBe(published); // no entry sent, none written
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

  it("keeps the body's encoding headers on the object, and a single Set-Cookie header on the redirect", async () => {
    const text = JSON.stringify({ rows: 'z'.repeat(5_000) });
    const gzipped = gzipSync(text);
    const moved = (await offloadLargeResponse(
      {
        statusCode: 200,
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-disposition': 'attachment; filename="rows.json"',
          'set-cookie': 'session=2; HttpOnly',
        },
        isBase64Encoded: true,
        body: gzipped.toString('base64'),
      },
      { s3, bucket: 'payloads', thresholdBytes: 100, keyPrefix: 'encoded/' },
    )) as { headers: Record<string, string> };
    expect(moved.headers['Set-Cookie']).toBe('session=2; HttpOnly');
    const served = await fetch(moved.headers.Location!);
    expect(served.headers.get('content-encoding')).toBe('gzip');
    expect(served.headers.get('content-disposition')).toBe('attachment; filename="rows.json"');
    expect(await served.text()).toBe(text); // fetch decodes it, as a browser would
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
