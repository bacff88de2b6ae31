import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { lambda } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import { metrics } from '@lambdakit/metrics';
import { createContext, type LocalSqs, startLocalEventBridge, startLocalSqs } from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callDepth, DEPTH_KEY, guardRecursion, propagateDepth, RecursionLimitError, recursionGuard } from './index.js';

// A real SQS message as Lambda delivers it, carrying `depth` the way propagateDepth() writes it.
function sqsRecord(id: string, depth?: string, extra: Record<string, unknown> = {}) {
  return {
    messageId: id,
    receiptHandle: `handle-${id}`,
    body: '{"order":1}',
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1733380000000' },
    messageAttributes:
      depth === undefined
        ? {}
        : { [DEPTH_KEY]: { stringValue: depth, dataType: 'Number', stringListValues: [], binaryListValues: [] } },
    md5OfBody: 'x',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:loop',
    awsRegion: 'us-east-1',
    ...extra,
  };
}

function lines(chunks: string[]): Record<string, unknown>[] {
  return chunks.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('recursionGuard() reads the depth each event source carries', () => {
  const seen = vi.fn();
  const handler = lambda()
    .use(recursionGuard({ maxDepth: 3 }))
    .handle(async () => {
      seen(callDepth());
      return 'ran';
    });
  const cases: [string, unknown, Parameters<typeof createContext>[0]?, number?][] = [
    ['SQS message attribute', { Records: [sqsRecord('a', '2')] }],
    [
      'SQS AWSTraceHeader lineage (Lambda loop detection)',
      {
        Records: [
          sqsRecord('a', undefined, {
            attributes: {
              AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1;Lineage=a87bb6d2:1|68fd508a:2',
            },
          }),
        ],
      },
    ],
    [
      'SNS envelope in an SQS body',
      {
        Records: [
          sqsRecord('a', undefined, {
            body: JSON.stringify({
              Type: 'Notification',
              Message: 'x',
              MessageAttributes: { [DEPTH_KEY]: { Type: 'Number', Value: '2' } },
            }),
          }),
        ],
      },
    ],
    [
      'EventBridge event in an SQS body',
      {
        Records: [
          sqsRecord('a', undefined, {
            body: JSON.stringify({ 'detail-type': 'Order', source: 's', detail: { [DEPTH_KEY]: 2 } }),
          }),
        ],
      },
    ],
    [
      'SNS message attribute',
      {
        Records: [
          {
            EventSource: 'aws:sns',
            Sns: { MessageId: 'm', MessageAttributes: { [DEPTH_KEY]: { Type: 'Number', Value: '2' } } },
          },
        ],
      },
    ],
    ['EventBridge detail', { 'detail-type': 'Order placed', source: 'orders', detail: { [DEPTH_KEY]: 2, id: 1 } }],
  ];
  it.each(cases)('%s', async (_name, event) => {
    seen.mockClear();
    expect(await handler(event, createContext())).toBe('ran');
    expect(seen).toHaveBeenCalledWith(2);
  });

  it('a synchronous Invoke’s client context (custom, or Custom as the aws-lambda types say)', async () => {
    for (const key of ['custom', 'Custom']) {
      seen.mockClear();
      const context = { ...createContext(), clientContext: { [key]: { [DEPTH_KEY]: '3' } } as never };
      expect(await handler({ orderId: 1 }, context)).toBe('ran');
      expect(seen).toHaveBeenCalledWith(3);
    }
  });

  it('the invocation’s trace header lineage, the largest count of its entries', async () => {
    seen.mockClear();
    vi.stubEnv(
      '_X_AMZN_TRACE_ID',
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0;Lineage=12326a9d:1|a87bb6d2:3',
    );
    try {
      expect(await handler({}, createContext())).toBe('ran');
    } finally {
      vi.unstubAllEnvs();
    }
    expect(seen).toHaveBeenCalledWith(3);
  });

  it('no depth anywhere, or a malformed one, is depth 0', async () => {
    for (const value of ['-1', '1e3', 'abc', '', ' 2', '2.5', 2.5, -4, null, { n: 9 }]) {
      seen.mockClear();
      const context = { ...createContext(), clientContext: { custom: { [DEPTH_KEY]: value } } as never };
      expect(await handler({ 'detail-type': 'x', detail: { [DEPTH_KEY]: value } }, context)).toBe('ran');
      expect(seen).toHaveBeenCalledWith(0);
    }
  });

  it('refuses bad options when it is made', () => {
    for (const maxDepth of [-1, 1.5, Number.NaN, '3', undefined]) {
      expect(() => recursionGuard({ maxDepth } as never)).toThrow(
        /recursionGuard\(\{ maxDepth \}\): expected an integer ≥ 0/,
      );
    }
    expect(() => recursionGuard({ maxDepth: 1, metricName: '' })).toThrow(/metricName/);
    expect(() => recursionGuard({ maxDepth: 1, onRefused: 'x' as never })).toThrow(/onRefused/);
  });
});

describe('recursionGuard() refusals', () => {
  it('drops the records past the limit from a batch, one ERROR line and one metric each; the rest run', async () => {
    const logged: string[] = [];
    const emitted: string[] = [];
    const logic = vi.fn(async (event: { Records: { messageId: string }[] }) => ({
      batchItemFailures: [] as { itemIdentifier: string }[],
      ran: event.Records.map((r) => r.messageId),
    }));
    const handler = lambda()
      .use(logger({ destination: { write: (line) => logged.push(line) } }))
      .use(metrics({ namespace: 'Orders', destination: { write: (line) => emitted.push(line) } }))
      .use(recursionGuard({ maxDepth: 3 }))
      .handle(async (event) => logic(event as { Records: { messageId: string }[] }));
    const event = { Records: [sqsRecord('a', '3'), sqsRecord('b', '4'), sqsRecord('c'), sqsRecord('d', '99')] };
    const result = await handler(event, createContext());
    expect(result).toMatchObject({ ran: ['a', 'c'] });
    expect(event.Records).toHaveLength(4); // the caller's event is not modified
    const errors = lines(logged).filter((line) => line.level === 'ERROR');
    expect(errors).toHaveLength(2);
    expect(errors.map((e) => [e.messageId, e.depth, e.maxDepth, e.message])).toEqual([
      ['b', 4, 3, 'Recursion limit: record dropped'],
      ['d', 99, 3, 'Recursion limit: record dropped'],
    ]);
    const emf = lines(emitted)[0] as Record<string, unknown>;
    expect(emf.RecursionLimitExceeded).toBe(2);
  });

  it('answers a batch whose every record is past the limit with no failures, without running the logic', async () => {
    const logic = vi.fn();
    const onRefused = vi.fn();
    const handler = lambda()
      .use(recursionGuard({ maxDepth: 0, onRefused }))
      .handle(async () => logic());
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const result = await handler({ Records: [sqsRecord('a', '1'), sqsRecord('b', '1')] }, createContext());
      expect(result).toEqual({ batchItemFailures: [] });
      expect(error).toHaveBeenCalledTimes(2); // no logger in the chain: console.error, an ERROR line in Lambda
      expect(String(error.mock.calls[0]?.[0])).toMatch(
        /Recursion limit: record dropped: .*call depth 1, past maxDepth 0/,
      );
    } finally {
      error.mockRestore();
    }
    expect(logic).not.toHaveBeenCalled();
    expect(onRefused).toHaveBeenCalledTimes(2);
    expect(onRefused.mock.calls[0]?.[0].record).toMatchObject({ messageId: 'a' });
  });

  it('refuses a single event with a typed RecursionLimitError, without running the logic', async () => {
    const logged: string[] = [];
    const logic = vi.fn();
    const handler = lambda()
      .use(logger({ destination: { write: (line) => logged.push(line) }, outcomes: false }))
      .use(recursionGuard({ maxDepth: 2 }))
      .handle(async () => logic());
    const context = {
      ...createContext({ functionName: 'orders' }),
      clientContext: { custom: { [DEPTH_KEY]: '3' } } as never,
    };
    const error = await handler({}, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecursionLimitError);
    expect(error).toMatchObject({
      code: 'RESILIENCE_RECURSION_LIMIT',
      depth: 3,
      maxDepth: 2,
      resource: 'orders',
      retryable: false,
    });
    expect(logic).not.toHaveBeenCalled();
    expect(
      lines(logged)
        .filter((l) => l.level === 'ERROR')
        .map((l) => l.message),
    ).toEqual(['Recursion limit: event refused']);
  });
});

describe('propagateDepth() against the local SQS', () => {
  let sqs: LocalSqs;
  let client: SQSClient;
  beforeAll(async () => {
    sqs = await startLocalSqs({ queues: ['loop'] });
    client = propagateDepth(new SQSClient({ ...sqs.clientConfig, maxAttempts: 1 }));
  });
  afterAll(() => sqs.close());
  const depthsSent = () => sqs.messages('loop').map((m) => m.attributes[DEPTH_KEY]?.StringValue ?? 'none');

  const send = (body: string, attributes: Record<string, { DataType: string; StringValue: string }> = {}) =>
    client.send(
      new SendMessageCommand({ QueueUrl: sqs.queueUrl('loop'), MessageBody: body, MessageAttributes: attributes }),
    );

  it('adds one more than the invocation’s depth, in both pipelines, without touching the caller’s input', async () => {
    const plainMiddy = { before: () => undefined }; // not declared: the chain runs on Middy
    const attributes = { tenant: { DataType: 'String', StringValue: 'acme' } };
    for (const chain of ['lambdakit', 'middy'] as const) {
      sqs.resetRequests();
      const base = lambda().use(recursionGuard({ maxDepth: 5 }));
      const handler = (chain === 'middy' ? base.use(plainMiddy as never) : base).handle(async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 1)); // across a timer, too
        await send(chain, attributes);
        return (event as { Records: unknown[] }).Records.length;
      });
      await handler({ Records: [sqsRecord('a', '2'), sqsRecord('b', '1')] }, createContext());
    }
    expect(attributes).toEqual({ tenant: { DataType: 'String', StringValue: 'acme' } });
    const sent = sqs.messages('loop').slice(-2);
    expect(sent.map((m) => [m.body, m.attributes[DEPTH_KEY]?.StringValue, m.attributes.tenant?.StringValue])).toEqual([
      ['lambdakit', '3', 'acme'],
      ['middy', '3', 'acme'],
    ]);
  });

  it('keeps overlapping invocations’ depths apart', async () => {
    const handler = lambda()
      .use(recursionGuard({ maxDepth: 9 }))
      .handle(async (event) => {
        const { wait, id } = event as { wait: number; id: string; detail: unknown };
        await new Promise((resolve) => setTimeout(resolve, wait));
        await send(id);
      });
    const invoke = (id: string, depth: number, wait: number) =>
      handler({ 'detail-type': 't', detail: { [DEPTH_KEY]: depth }, id, wait }, createContext());
    await Promise.all([invoke('slow', 1, 20), invoke('fast', 6, 1), invoke('mid', 3, 10)]);
    const byBody = Object.fromEntries(
      sqs
        .messages('loop')
        .slice(-3)
        .map((m) => [m.body, m.attributes[DEPTH_KEY]?.StringValue]),
    );
    expect(byBody).toEqual({ slow: '2', fast: '7', mid: '4' });
  });

  it('adds nothing outside a guarded invocation, nor after it settled', async () => {
    let later: Promise<unknown> | undefined;
    const handler = lambda()
      .use(recursionGuard({ maxDepth: 9 }))
      .handle(async () => {
        later = new Promise((resolve) => setTimeout(resolve, 20)).then(() => send('after'));
      });
    await send('outside');
    await handler({}, createContext());
    await later;
    expect(depthsSent().slice(-2)).toEqual(['none', 'none']);
    expect(callDepth()).toBeUndefined();
  });

  it('tags each entry of a batch send; a message with 10 attributes already goes without, with one warning', async () => {
    const warnings: { code?: string }[] = [];
    const listen = (w: Error & { code?: string }) => warnings.push(w);
    process.on('warning', listen);
    const full = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: String(i) }]),
    );
    const handler = lambda()
      .use(recursionGuard({ maxDepth: 9 }))
      .handle(async () => {
        await client.send(
          new SendMessageBatchCommand({
            QueueUrl: sqs.queueUrl('loop'),
            Entries: [
              { Id: '1', MessageBody: 'b1' },
              { Id: '2', MessageBody: 'b2', MessageAttributes: full },
              { Id: '3', MessageBody: 'b3', MessageAttributes: full },
            ],
          }),
        );
      });
    try {
      await handler({ Records: [sqsRecord('a', '4')] }, createContext());
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    expect(depthsSent().slice(-3)).toEqual(['5', 'none', 'none']);
    expect(warnings.filter((w) => w.code === 'LAMBDAKIT_RESILIENCE_DEPTH_NOT_CARRIED')).toHaveLength(1);
  });

  it('guardRecursion() in a plain handler with Lambda’s own context: the same check, the same depth', async () => {
    const plain = async (event: { Records: { messageId: string }[] }, context: ReturnType<typeof createContext>) => {
      const { event: kept, depth, dropped } = guardRecursion(event, context, { maxDepth: 2 });
      if (kept.Records.length === 0) return { batchItemFailures: [], depth, dropped };
      await send('plain');
      return { ids: kept.Records.map((r) => r.messageId), depth, dropped };
    };
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await plain({ Records: [sqsRecord('a', '1'), sqsRecord('b', '5')] }, createContext())).toEqual({
        ids: ['a'],
        depth: 1,
        dropped: 1,
      });
      expect(await plain({ Records: [sqsRecord('c', '3')] }, createContext())).toEqual({
        batchItemFailures: [],
        depth: 0,
        dropped: 1,
      });
      expect(error).toHaveBeenCalledTimes(2);
    } finally {
      error.mockRestore();
    }
    expect(depthsSent().at(-1)).toBe('2');
    expect(() => guardRecursion({}, createContext(), { maxDepth: -1 })).toThrow('guardRecursion({ maxDepth })');
  });

  it('writes the depth into an EventBridge detail without re-serialising it, and replaces a relayed one', async () => {
    const bus = await startLocalEventBridge();
    const events = propagateDepth(new EventBridgeClient({ ...bus.clientConfig, maxAttempts: 1 }));
    const handler = lambda()
      .use(recursionGuard({ maxDepth: 9 }))
      .handle(async () => {
        await events.send(
          new PutEventsCommand({
            Entries: [
              { Source: 's', DetailType: 'big', Detail: ' {"id":12345678901234567890,"p":1.0}' },
              { Source: 's', DetailType: 'empty', Detail: '{}' },
              { Source: 's', DetailType: 'relayed', Detail: `{"${DEPTH_KEY}":2,"x":1}` },
            ],
          }),
        );
      });
    try {
      await handler({ 'detail-type': 't', detail: { [DEPTH_KEY]: 2 } }, createContext());
      const sent = bus.requests.find((r) => r.operation === 'PutEvents')?.body as { Entries: { Detail: string }[] };
      expect(sent.Entries.map((e) => e.Detail)).toEqual([
        ` {"${DEPTH_KEY}":3,"id":12345678901234567890,"p":1.0}`,
        `{"${DEPTH_KEY}":3}`,
        `{"${DEPTH_KEY}":3,"x":1}`,
      ]);
    } finally {
      events.destroy();
      await bus.close();
    }
  });

  it('refuses what is not an SDK client', () => {
    expect(() => propagateDepth({} as never)).toThrow('propagateDepth(client): expected an AWS SDK v3 client');
  });
});
