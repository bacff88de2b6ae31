import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { batch } from '@lambdakit/batch';
import { lambda } from '@lambdakit/core';
import { sqs } from '@lambdakit/parser';
import {
  createContext,
  type LocalSqs,
  type LocalXrayDaemon,
  startLocalSqs,
  startLocalXrayDaemon,
} from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { createTracer, traceClient, tracer, xrayDaemonExporter } from '../src/index.js';

// One trace across two functions through SQS: the sender's SendMessage span is the parent its
// message carries (AWSTraceHeader), and the consumer's invocation and record spans link to it.
let daemon: LocalXrayDaemon;
let queue: LocalSqs;
beforeAll(async () => {
  daemon = await startLocalXrayDaemon();
  queue = await startLocalSqs({ queues: ['orders'] });
});
afterAll(async () => {
  await daemon.close();
  await queue.close();
});
afterEach(() => vi.unstubAllEnvs());

const SENDER_ROOT = '5759e988bd862e3fe1be46a994272793';

it('the trace goes into an SQS message and comes out of the batch record as links', async () => {
  const t = createTracer({ exporter: xrayDaemonExporter({ address: daemon.address }) });
  const client = traceClient(new SQSClient({ ...queue.clientConfig, maxAttempts: 1 }));
  const sender = lambda()
    .use(tracer({ tracer: t }))
    .handle(async () => {
      await client.send(
        new SendMessageCommand({ QueueUrl: queue.queueUrl('orders'), MessageBody: '{"orderId":"o-1"}' }),
      );
      await client.send(
        new SendMessageCommand({ QueueUrl: queue.queueUrl('orders'), MessageBody: '{"orderId":"o-2"}' }),
      );
    });
  vi.stubEnv('_X_AMZN_TRACE_ID', `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`);
  await sender({}, createContext({ functionName: 'sender' }));
  const sent = (await daemon.waitForSpans(3)).filter((s) => s.name === 'SQS.SendMessage');
  expect(sent).toHaveLength(2);
  const messages = queue.messages('orders');
  expect(messages.map((m) => m.traceHeader)).toEqual(
    sent.map((s) => `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${s.spanId};Sampled=1`),
  );

  daemon.clear();
  const consumer = lambda()
    .use(tracer({ tracer: t }))
    .handle(
      batch(
        async (record, ctx) => {
          await ctx.trace.span('ship', async () => record.body.orderId);
          if (record.body.orderId === 'o-2') throw new Error('carrier down');
        },
        { schema: sqs(z.object({ orderId: z.string() })) },
      ),
    );
  vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-00000000-00000000000000000000000c;Parent=000000000000000c;Sampled=1');
  const event = queue.receiveEvent('orders');
  expect(event.Records.map((r) => r.attributes.AWSTraceHeader)).toEqual(messages.map((m) => m.traceHeader));
  const result = await consumer(event, createContext({ functionName: 'consumer' }));
  expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] });

  const spans = await daemon.waitForSpans(5);
  const root = spans.find((s) => s.name === 'consumer')!;
  const records = spans.filter((s) => s.name === 'sqs record');
  const ships = spans.filter((s) => s.name === 'ship');
  expect(root.links.map((l) => l.spanId).sort()).toEqual(sent.map((s) => s.spanId).sort());
  expect(root.attributes['lambdakit.batch_item_failures']).toBe(1);
  expect(records).toHaveLength(2);
  for (const [i, record] of records
    .sort(
      (a, b) =>
        Number(a.attributes['lambdakit.batch.record_index']) - Number(b.attributes['lambdakit.batch.record_index']),
    )
    .entries()) {
    expect(record.parentSpanId).toBe(root.spanId);
    expect(record.links).toEqual([{ traceId: SENDER_ROOT, spanId: sent[i]!.spanId }]);
    expect(record.attributes['messaging.message.id']).toBe(event.Records[i]!.messageId);
    expect(ships.find((s) => s.parentSpanId === record.spanId)).toBeDefined();
  }
  expect(records[1]!.status).toEqual({ code: 2, message: 'Error: carrier down' });
  expect(records[0]!.status.code).toBe(0);
  client.destroy();
});

it('a message sent with AWSTraceHeader as a system attribute keeps it; a malformed one is refused', async () => {
  const client = new SQSClient({ ...queue.clientConfig, maxAttempts: 1 });
  const header = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
  await client.send(
    new SendMessageCommand({
      QueueUrl: queue.queueUrl('orders'),
      MessageBody: 'x',
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: header } },
    }),
  );
  expect(queue.messages('orders').at(-1)?.traceHeader).toBe(header);
  await expect(
    client.send(
      new SendMessageCommand({
        QueueUrl: queue.queueUrl('orders'),
        MessageBody: 'x',
        MessageSystemAttributes: { Other: { DataType: 'String', StringValue: 'x' } } as never,
      }),
    ),
  ).rejects.toThrow("Message system attribute name 'Other' is invalid.");
  client.destroy();
});
