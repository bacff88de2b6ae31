import { InvokeStore } from '@aws/lambda-invoke-store';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { defineMiddleware, lambda } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import { createContext, type LocalSqs, startLocalSqs } from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPTH_KEY, propagateDepth, recursionGuard } from './index.js';

// The guard hands the depth on wherever it sits in the chain: after a middleware that awaited (as
// config() does on a cold start), on lambdakit's pipeline and on Middy's, and, under the runtime's
// per-invocation store (Lambda's, and `lambdakit invoke`'s), for overlapping invocations too.
let sqs: LocalSqs;
let client: SQSClient;
let store: Awaited<ReturnType<typeof InvokeStore.getInstanceAsync>>;
beforeAll(async () => {
  // First, before any SDK call: the SDK's recursion-detection step makes the process's store on
  // first use (a single-invocation one, outside Managed Instances); this file wants the runtime's
  // multi-concurrency store, as Lambda makes it under AWS_LAMBDA_MAX_CONCURRENCY.
  store = await InvokeStore.getInstanceAsync(true);
  sqs = await startLocalSqs({ queues: ['loop'] });
  client = propagateDepth(new SQSClient({ ...sqs.clientConfig, maxAttempts: 1 }));
});
afterAll(async () => {
  client.destroy();
  await sqs.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const awaiting = defineMiddleware({ name: 'awaiting', before: () => pause(2) });
const plainMiddy = { before: () => pause(2) }; // undeclared: the chain runs on Middy
const eventAt = (depth: number, id: string, wait = 1) => ({
  'detail-type': 't',
  detail: { [DEPTH_KEY]: depth },
  id,
  wait,
});

function relay() {
  return async (event: unknown) => {
    const { id, wait } = event as { id: string; wait: number };
    await pause(wait);
    await client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl('loop'), MessageBody: id }));
  };
}

const sentDepths = (n: number) =>
  Object.fromEntries(
    sqs
      .messages('loop')
      .slice(-n)
      .map((m) => [m.body, m.attributes[DEPTH_KEY]?.StringValue]),
  );

describe('the depth reaches propagateDepth() wherever the guard is', () => {
  it('after a middleware that awaited, on both pipelines, the logger first', async () => {
    const chains = {
      lambdakit: lambda()
        .use(logger({ destination: { write() {} } }))
        .use(awaiting)
        .use(recursionGuard({ maxDepth: 9 }))
        .handle(relay()),
      middy: lambda()
        .use(logger({ destination: { write() {} } }))
        .use(plainMiddy as never)
        .use(recursionGuard({ maxDepth: 9 }))
        .handle(relay()),
    };
    await chains.lambdakit(eventAt(3, 'lambdakit'), createContext());
    await chains.middy(eventAt(5, 'middy'), createContext());
    expect(sentDepths(2)).toEqual({ lambdakit: '4', middy: '6' });
  });

  it('under the runtime’s invoke store, overlapping invocations keep their own depth', async () => {
    expect((globalThis as { awslambda?: { InvokeStore?: unknown } }).awslambda?.InvokeStore).toBe(store);
    const handler = lambda()
      .use(plainMiddy as never)
      .use(recursionGuard({ maxDepth: 9 }))
      .handle(relay());
    const invoke = (depth: number, id: string, wait: number) =>
      store.run({ [Symbol.for('_AWS_LAMBDA_REQUEST_ID')]: id }, () =>
        handler(eventAt(depth, id, wait), createContext()),
      );
    await Promise.all([invoke(1, 'slow', 20), invoke(6, 'fast', 1), invoke(3, 'mid', 10)]);
    expect(sentDepths(3)).toEqual({ slow: '2', fast: '7', mid: '4' });
  });
});
