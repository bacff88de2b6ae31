import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type LocalAws, type LocalLambda, startLocalAws, startLocalLambda } from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A function that relays every event back to itself, run by the real CLI (`lambdakit invoke`, a
// sandbox process per invocation) against the local SQS, SNS, EventBridge and Lambda servers: the
// loop stops because recursionGuard() refuses the hop past maxDepth, and only because of that.
const MAX_DEPTH = 2;
const cli = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const DEPTH = 'lambdakit-depth';

let aws: LocalAws;
let functions: LocalLambda;
let env: NodeJS.ProcessEnv;
let scratch: string;

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** One invocation of the loop function in its own sandbox, as `lambdakit invoke` runs it. */
function invoke(event: unknown, clientContext?: unknown): Promise<Run> {
  const file = join(scratch, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(event));
  const args = [cli, 'invoke', 'loop-handler.mjs', '--event', file, '--function-name', 'loop', '--timeout', '60'];
  if (clientContext !== undefined) args.push('--client-context', JSON.stringify(clientContext));
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: here, env }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error === null ? 0 : Number((error as { code?: unknown }).code ?? 1) });
    });
  });
}

const refusals = (run: Run) => run.stderr.match(/"level":"ERROR".*"message":"Recursion limit: [a-z ]+"/g) ?? [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'lambdakit-loop-'));
  aws = await startLocalAws({ queues: ['loop'], topics: ['loop'] });
  // The function's own name, served by a local Lambda whose every invocation is `lambdakit invoke`.
  functions = await startLocalLambda({
    functions: {
      loop: async (event, invocation) => {
        const run = await invoke(event, invocation.clientContext);
        const answer = JSON.parse(run.stdout) as { errorType?: string; errorMessage?: string };
        if (run.code === 0) return answer;
        throw Object.assign(new Error(answer.errorMessage), { name: answer.errorType });
      },
    },
  });
  env = {
    ...process.env,
    ...aws.env,
    AWS_ENDPOINT_URL_LAMBDA: functions.endpoint,
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    MAX_DEPTH: String(MAX_DEPTH),
    LOOP_QUEUE_URL: aws.sqs.queueUrl('loop'),
    LOOP_TOPIC_ARN: aws.sns.topicArn('loop'),
  };
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([aws?.close(), functions?.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

// Spawns the CLI a dozen times: the limit guards against a hang on a loaded machine, it measures nothing.
describe('a function that re-sends its own event stops at maxDepth', { timeout: 120_000 }, () => {
  it('through SQS: the message past the limit is dropped, not redelivered', async () => {
    const plain = new SQSClient(aws.sqs.clientConfig);
    await plain.send(new SendMessageCommand({ QueueUrl: aws.sqs.queueUrl('loop'), MessageBody: '{"order":1}' }));
    plain.destroy();
    const runs: Run[] = [];
    const depths: string[] = [];
    for (let event = aws.sqs.receiveEvent('loop'); event.Records.length > 0; event = aws.sqs.receiveEvent('loop')) {
      expect(runs.length).toBeLessThan(MAX_DEPTH + 5); // a runaway loop fails here instead of running on
      depths.push(event.Records[0]?.messageAttributes[DEPTH]?.stringValue ?? 'none');
      const run = await invoke(event);
      runs.push(run);
      expect(run.code).toBe(0);
      // The event source mapping deletes what a successful invocation did not report as failed.
      const client = new SQSClient(aws.sqs.clientConfig);
      for (const record of event.Records) {
        await client.send(
          new DeleteMessageCommand({ QueueUrl: aws.sqs.queueUrl('loop'), ReceiptHandle: record.receiptHandle }),
        );
      }
      client.destroy();
    }
    expect(depths).toEqual(['none', '1', '2', '3']);
    expect(runs.map((r) => JSON.parse(r.stdout))).toEqual([
      { batchItemFailures: [] },
      { batchItemFailures: [] },
      { batchItemFailures: [] },
      { batchItemFailures: [] },
    ]);
    expect(runs.map((r) => refusals(r).length)).toEqual([0, 0, 0, 1]);
    expect(refusals(runs[3]!)[0]).toContain('Recursion limit: record dropped');
    expect(runs[3]!.stderr).not.toContain('relaying the event to itself');
    expect(aws.sqs.messages('loop')).toEqual([]);
  });

  it('through SNS', async () => {
    const plain = new SNSClient(aws.sns.clientConfig);
    await plain.send(new PublishCommand({ TopicArn: aws.sns.topicArn('loop'), Message: 'order 1' }));
    plain.destroy();
    const runs: Run[] = [];
    for (let delivered = 0; delivered < aws.sns.messages('loop').length; delivered++) {
      expect(runs.length).toBeLessThan(MAX_DEPTH + 5);
      runs.push(await invoke(aws.sns.lambdaEvent(aws.sns.messages('loop')[delivered]!)));
    }
    expect(aws.sns.messages('loop').map((m) => m.attributes[DEPTH]?.StringValue ?? 'none')).toEqual([
      'none',
      '1',
      '2',
      '3',
    ]);
    expect(runs.map((r) => refusals(r).length)).toEqual([0, 0, 0, 1]);
    expect(JSON.parse(runs[3]!.stdout)).toEqual({ batchItemFailures: [] });
  });

  it('through EventBridge', async () => {
    const plain = new EventBridgeClient(aws.eventBridge.clientConfig);
    await plain.send(
      new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'Order placed', Detail: '{"order":1}' }] }),
    );
    plain.destroy();
    const runs: Run[] = [];
    for (let delivered = 0; delivered < aws.eventBridge.events().length; delivered++) {
      expect(runs.length).toBeLessThan(MAX_DEPTH + 5);
      runs.push(await invoke(aws.eventBridge.lambdaEvent(aws.eventBridge.events()[delivered]!)));
    }
    expect(aws.eventBridge.events().map((e) => e.detail[DEPTH] ?? 'none')).toEqual(['none', 1, 2, 3]);
    expect(aws.eventBridge.events().every((e) => e.detail.order === 1)).toBe(true);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 1]);
    expect(JSON.parse(runs[3]!.stdout)).toMatchObject({ errorType: 'RecursionLimitError' });
    expect(refusals(runs[3]!)[0]).toContain('Recursion limit: event refused');
  });

  it('through a synchronous Invoke of itself', async () => {
    const top = await invoke({ order: 1 });
    expect(top.code).toBe(0);
    expect(JSON.parse(top.stdout)).toEqual({
      depth: 0,
      inner: { depth: 1, inner: { depth: 2, inner: { functionError: 'RecursionLimitError' } } },
    });
    const calls = functions.invocations('loop');
    expect(calls.map((c) => (c.clientContext?.custom as Record<string, unknown> | undefined)?.[DEPTH])).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(calls.map((c) => c.outcome.status)).toEqual(['ok', 'ok', 'error']);
  });
});
