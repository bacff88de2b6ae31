// A function that triggers itself: it relays every event it gets back to where it came from (its
// queue, its topic, its event bus, or itself through a synchronous Invoke). Only recursionGuard()
// and propagateDepth() stop it. Run by recursion-loop.test.ts through `lambdakit invoke`.
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { lambda } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import { callDepth, propagateDepth, recursionGuard } from '@lambdakit/resilience';

// Created with no options, as in Lambda: the endpoints come from AWS_ENDPOINT_URL_*.
const sqs = propagateDepth(new SQSClient({}));
const sns = propagateDepth(new SNSClient({}));
const events = propagateDepth(new EventBridgeClient({}));
const functions = propagateDepth(new LambdaClient({}));

const text = (payload) => Buffer.from(payload ?? []).toString('utf8');

// A plain Middy middleware that awaits before the guard runs (as config() on a cold start does): it
// moves the chain onto Middy's pipeline, the hardest place for the guard to hand the depth on.
const warmUp = {
  before: async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
  },
};

export const handler = lambda()
  .use(logger())
  .use(warmUp)
  .use(recursionGuard({ maxDepth: Number(process.env.MAX_DEPTH) }))
  .handle(async (event, ctx) => {
    const depth = callDepth();
    ctx.log.info({ depth }, 'relaying the event to itself');
    const record = event.Records?.[0];
    if (record?.eventSource === 'aws:sqs') {
      await sqs.send(new SendMessageCommand({ QueueUrl: process.env.LOOP_QUEUE_URL, MessageBody: record.body }));
      return { batchItemFailures: [] };
    }
    if (record?.EventSource === 'aws:sns') {
      await sns.send(new PublishCommand({ TopicArn: process.env.LOOP_TOPIC_ARN, Message: record.Sns.Message }));
      return { depth };
    }
    if (event['detail-type'] !== undefined) {
      const entry = { Source: 'loop', DetailType: 'relay', Detail: JSON.stringify(event.detail) };
      await events.send(new PutEventsCommand({ Entries: [entry] }));
      return { depth };
    }
    const out = await functions.send(
      new InvokeCommand({ FunctionName: ctx.functionName, Payload: JSON.stringify(event) }),
    );
    const inner = JSON.parse(text(out.Payload));
    return { depth, inner: out.FunctionError === undefined ? inner : { functionError: inner.errorType } };
  });
