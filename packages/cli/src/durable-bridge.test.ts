import {
  CheckpointDurableExecutionCommand,
  GetDurableExecutionStateCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableBridge, type DurableStateClient } from './durable-bridge.js';
import { type StartedCallback, timeTravel } from './durable-time-travel.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders:$LATEST/durable-execution/run-1/4b1c';
const started = new Date('2026-12-06T10:00:00.250Z');

/** The runner's side, recorded: what each call passed, and the answer it gives. */
function storeClient(fail?: Error): DurableStateClient & { calls: unknown[] } {
  const calls: unknown[] = [];
  const answer = async (params: unknown) => {
    calls.push(params);
    if (fail !== undefined) throw fail;
    return {
      CheckpointToken: 'token-2',
      NewExecutionState: { Operations: [{ Id: 'w1', Type: 'WAIT', Status: 'STARTED', StartTimestamp: started }] },
      Operations: [{ Id: 'e', Type: 'EXECUTION', Status: 'STARTED', StartTimestamp: started }],
    };
  };
  return { calls, checkpoint: answer, getExecutionState: answer };
}

let bridge: DurableBridge | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

async function start(skip: boolean, callbacks: StartedCallback[] = []) {
  bridge = await DurableBridge.start(timeTravel(skip, new Set(['approve']), (callback) => callbacks.push(callback)));
  const lambda = new LambdaClient({
    endpoint: bridge.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return { bridge, lambda };
}

const UPDATES = [
  { Id: 'w1', Type: 'WAIT', Action: 'START', Name: 'cool-off', WaitOptions: { WaitSeconds: 3600 } },
  { Id: 's1', Type: 'STEP', Action: 'RETRY', Name: 'charge', StepOptions: { NextAttemptDelaySeconds: 300 } },
  { Id: 'c0', Type: 'CONTEXT', Action: 'START', Name: 'approve', SubType: 'WaitForCallback' },
  { Id: 'c1', Type: 'CALLBACK', Action: 'START', ParentId: 'c0', CallbackOptions: { TimeoutSeconds: 60 } },
  { Id: 'c2', Type: 'CALLBACK', Action: 'START', Name: 'shipping', CallbackOptions: { TimeoutSeconds: 90 } },
] as const;

describe('the local durable endpoint, through the AWS SDK', () => {
  it('passes a checkpoint to the runner, skipping time, and answers in REST-JSON (dates back as Dates)', async () => {
    const callbacks: StartedCallback[] = [];
    const { bridge, lambda } = await start(true, callbacks);
    const store = storeClient();
    bridge.attach(ARN, store);
    const answer = await lambda.send(
      new CheckpointDurableExecutionCommand({
        DurableExecutionArn: ARN,
        CheckpointToken: 'token-1',
        Updates: UPDATES.map((update) => ({ ...update })),
      }),
    );
    expect(answer.CheckpointToken).toBe('token-2');
    expect(answer.NewExecutionState?.Operations?.[0]?.StartTimestamp).toEqual(started);
    const [forwarded] = store.calls as Array<{ DurableExecutionArn: string; Updates: Array<Record<string, unknown>> }>;
    expect(forwarded?.DurableExecutionArn).toBe(ARN);
    expect(
      forwarded?.Updates.map((update) => [update.WaitOptions, update.StepOptions, update.CallbackOptions]),
    ).toEqual([
      [{ WaitSeconds: 0 }, undefined, undefined],
      [undefined, { NextAttemptDelaySeconds: 0 }, undefined],
      [undefined, undefined, undefined],
      // Answered by the command line (by its waitForCallback's name): it keeps its timeout.
      [undefined, undefined, { TimeoutSeconds: 60 }],
      [undefined, undefined, { TimeoutSeconds: 0 }],
    ]);
    expect(Object.fromEntries(bridge.timeTravel.skipped)).toEqual({ w1: 3600, s1: 300, c2: 90 });
    expect(callbacks).toEqual([
      { id: 'c1', names: ['approve'], waitForCallback: 'c0', answeredAs: 'approve', timeoutSeconds: 60 },
      { id: 'c2', names: ['shipping'], waitForCallback: undefined, answeredAs: undefined, timeoutSeconds: 90 },
    ]);
    // The name's answer went to its first callback: a second one of that name is not answered.
    expect(bridge.timeTravel.unclaimed.size).toBe(0);
  });

  it('leaves every duration as asked in real time', async () => {
    const { bridge, lambda } = await start(false);
    const store = storeClient();
    bridge.attach(ARN, store);
    await lambda.send(
      new CheckpointDurableExecutionCommand({
        DurableExecutionArn: ARN,
        CheckpointToken: 'token-1',
        Updates: [...UPDATES],
      }),
    );
    const [forwarded] = store.calls as Array<{ Updates: unknown }>;
    expect(forwarded?.Updates).toEqual(UPDATES);
    expect(bridge.timeTravel.skipped.size).toBe(0);
  });

  it('pages the execution state with the marker and size the SDK asks for', async () => {
    const { bridge, lambda } = await start(true);
    const store = storeClient();
    bridge.attach(ARN, store);
    const state = await lambda.send(
      new GetDurableExecutionStateCommand({
        DurableExecutionArn: ARN,
        CheckpointToken: 'token-1',
        Marker: 'm-2',
        MaxItems: 1000,
      }),
    );
    expect(state.Operations?.[0]?.StartTimestamp).toEqual(started);
    expect(store.calls).toEqual([
      { DurableExecutionArn: ARN, CheckpointToken: 'token-1', Marker: 'm-2', MaxItems: 1000 },
    ]);
  });

  it("answers an unknown execution and the runner's refusals as Lambda's typed errors", async () => {
    const { bridge, lambda } = await start(true);
    await expect(
      lambda.send(new GetDurableExecutionStateCommand({ DurableExecutionArn: ARN, CheckpointToken: 't' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: `no durable execution ${ARN} in this run` });
    const refusal = Object.assign(new Error('Invalid checkpoint token'), { name: 'InvalidParameterValueException' });
    bridge.attach(ARN, storeClient(refusal));
    await expect(
      lambda.send(
        new CheckpointDurableExecutionCommand({ DurableExecutionArn: ARN, CheckpointToken: 'stale', Updates: [] }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: 'Invalid checkpoint token' });
  });

  it('refuses what is not a checkpoint or a state read, and a body that is not JSON', async () => {
    const { bridge } = await start(true);
    bridge.attach(ARN, storeClient());
    const other = await fetch(`${bridge.url}/2025-12-01/functions/orders/durable-executions`);
    expect(other.status).toBe(404);
    expect(other.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const path = `${bridge.url}/2025-12-01/durable-executions/${encodeURIComponent(ARN)}/checkpoint`;
    const broken = await fetch(path, { method: 'POST', body: '{"CheckpointToken":' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { message: string }).message).toMatch(/^the checkpoint body is not JSON: /);
    const noToken = await fetch(path, { method: 'POST', body: '{}' });
    expect(((await noToken.json()) as { message: string }).message).toBe('CheckpointToken is required');
    const notList = await fetch(path, { method: 'POST', body: '{"CheckpointToken":"t","Updates":[null]}' });
    expect(((await notList.json()) as { message: string }).message).toBe('Updates must be a list of operation updates');
    const badArn = await fetch(`${bridge.url}/2025-12-01/durable-executions/%E0%A4%A/state?CheckpointToken=t`);
    expect(badArn.status).toBe(400);
    const badMax = await fetch(
      `${bridge.url}/2025-12-01/durable-executions/${encodeURIComponent(ARN)}/state?CheckpointToken=t&MaxItems=lots`,
    );
    expect(((await badMax.json()) as { message: string }).message).toBe('MaxItems must be a whole number');
  });
});
