import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { testStack } from '../test/test-stack.js';
import { LambdakitFunction, SqsSource } from './index.js';

const entry = fileURLToPath(new URL('../test/fixtures/batched.ts', import.meta.url));
const setup = (timeout = Duration.seconds(30)) => {
  const stack = testStack();
  return { stack, fn: new LambdakitFunction(stack, 'Fn', { entry, timeout }) };
};

describe('SqsSource', () => {
  it('makes the queue with six times the function’s timeout plus the batching window, a DLQ after 5 receives, and its alarm', () => {
    const { stack, fn } = setup(Duration.seconds(20));
    const source = new SqsSource(stack, 'Source', {
      function: fn,
      batchSize: 50,
      maxBatchingWindow: Duration.seconds(5),
      maxConcurrency: 4,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 125,
      RedrivePolicy: { maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 5,
      ScalingConfig: { MaximumConcurrency: 4 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(fn.alarms?.deadLetters).toHaveLength(1);
    expect(source.deadLetterQueue).toBeDefined();
  });

  it('takes a queue of your own whose visibility timeout is above the function’s', () => {
    const { stack, fn } = setup();
    const deadLetters = new Queue(stack, 'Dlq');
    const queue = new Queue(stack, 'Own', {
      visibilityTimeout: Duration.seconds(31),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
    });
    expect(new SqsSource(stack, 'Source', { function: fn, queue }).deadLetterQueue).toBe(deadLetters);
  });

  it('refuses a queue whose messages would come back while still being handled, or that has no DLQ', () => {
    const { stack, fn } = setup();
    const dlq = { queue: new Queue(stack, 'Dlq'), maxReceiveCount: 3 };
    const short = new Queue(stack, 'Short', { visibilityTimeout: Duration.seconds(30), deadLetterQueue: dlq });
    expect(() => new SqsSource(stack, 'A', { function: fn, queue: short })).toThrow(
      /\{ queue \}: its visibility timeout \(30 s\) must be above the function's timeout plus the batching window \(30 s\)/,
    );
    // SQS's default visibility timeout, 30 s, is not above a 30 s function either.
    const unset = new Queue(stack, 'Unset', { deadLetterQueue: dlq });
    expect(() => new SqsSource(stack, 'B', { function: fn, queue: unset })).toThrow(/visibility timeout \(30 s\)/);
    const noDlq = new Queue(stack, 'NoDlq', { visibilityTimeout: Duration.minutes(5) });
    expect(() => new SqsSource(stack, 'C', { function: fn, queue: noDlq })).toThrow(
      /\{ queue \}: the queue has no dead-letter queue/,
    );
    expect(() => new SqsSource(stack, 'D', { function: fn, maxReceiveCount: 0 })).toThrow(
      /\{ maxReceiveCount \}: expected a whole number from 1 to 1000, got 0/,
    );
  });
});
