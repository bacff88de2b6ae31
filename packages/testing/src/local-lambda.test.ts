import {
  InvokeCommand,
  LambdaClient,
  type LambdaServiceException,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalFunctionInvocation, type LocalLambda, startLocalLambda } from './local-lambda.js';

let lambda: LocalLambda;
let client: LambdaClient;
const seen: LocalFunctionInvocation[] = [];
let releaseAsync: () => void = () => {};

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? []).toString('utf8');

beforeAll(async () => {
  lambda = await startLocalLambda({
    functions: {
      echo: (event, invocation) => {
        seen.push(invocation);
        return { event, clientContext: invocation.clientContext ?? null };
      },
      fails: () => {
        throw new RangeError('out of stock');
      },
      slow: () => new Promise<string>((resolve) => (releaseAsync = () => resolve('done'))),
      nothing: () => undefined,
    },
  });
  client = new LambdaClient({ ...lambda.clientConfig, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await lambda.close();
});

describe('startLocalLambda() with the real Lambda client', () => {
  it('invokes synchronously by name, ARN or partial ARN, with the client context decoded', async () => {
    for (const FunctionName of [
      'echo',
      'arn:aws:lambda:us-east-1:123456789012:function:echo:live',
      '123456789012:function:echo',
    ]) {
      const out = await client.send(
        new InvokeCommand({
          FunctionName,
          Payload: JSON.stringify({ id: 1 }),
          ClientContext: encode({ custom: { 'lambdakit-depth': '2' } }),
        }),
      );
      expect(out.StatusCode).toBe(200);
      expect(out.FunctionError).toBeUndefined();
      expect(out.ExecutedVersion).toBe('$LATEST');
      expect(JSON.parse(text(out.Payload))).toEqual({
        event: { id: 1 },
        clientContext: { custom: { 'lambdakit-depth': '2' } },
      });
    }
    expect(seen.map((s) => s.qualifier)).toEqual([undefined, 'live', undefined]);
    const numbered = await client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: '7' }));
    expect(numbered.ExecutedVersion).toBe('7');
    expect(text((await client.send(new InvokeCommand({ FunctionName: 'nothing' }))).Payload)).toBe('null');
  });

  it('answers a throw as FunctionError Unhandled with the runtime’s error payload', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'fails', Payload: '{}' }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(out.Payload))).toMatchObject({
      errorType: 'RangeError',
      errorMessage: 'out of stock',
      trace: expect.any(Array),
    });
    expect(lambda.invocations('fails')[0]?.outcome).toMatchObject({ status: 'error' });
  });

  it('runs an Event invocation in the background, without the client context; DryRun runs nothing', async () => {
    const out = await client.send(
      new InvokeCommand({ FunctionName: 'slow', InvocationType: 'Event', ClientContext: encode({ custom: { a: 1 } }) }),
    );
    expect(out.StatusCode).toBe(202);
    const [record] = lambda.invocations('slow');
    expect(record).toMatchObject({ invocationType: 'Event', clientContext: undefined, outcome: { status: 'pending' } });
    releaseAsync();
    await lambda.settled();
    expect(record?.outcome).toEqual({ status: 'ok', result: 'done' });
    expect((await client.send(new InvokeCommand({ FunctionName: 'slow', InvocationType: 'DryRun' }))).StatusCode).toBe(
      204,
    );
    expect(lambda.invocations('slow')).toHaveLength(1);
  });

  it('answers bad requests with Lambda’s errors', async () => {
    const fail = (input: ConstructorParameters<typeof InvokeCommand>[0]) =>
      client.send(new InvokeCommand(input)).then(
        () => undefined,
        (e: unknown) => e as LambdaServiceException,
      );
    const missing = await fail({ FunctionName: 'gone' });
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing?.message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:gone');
    expect((await fail({ FunctionName: 'echo', Payload: '{not json' }))?.name).toBe('InvalidRequestContentException');
    expect((await fail({ FunctionName: 'echo', ClientContext: Buffer.from('[1]').toString('base64') }))?.message).toBe(
      'Client context must be a valid Base64-encoded JSON object.',
    );
    expect(
      (await fail({ FunctionName: 'echo', ClientContext: encode({ custom: { x: 'y'.repeat(3000) } }) }))?.name,
    ).toBe('InvalidParameterValueException');
    expect((await fail({ FunctionName: 'echo', Payload: JSON.stringify('x'.repeat(6 * 1024 * 1024)) }))?.name).toBe(
      'RequestTooLargeException',
    );
    expect((await fail({ FunctionName: 'echo:a', Qualifier: 'b' }))?.name).toBe('InvalidParameterValueException');
    lambda.throttle(1);
    expect((await fail({ FunctionName: 'echo' }))?.name).toBe('ThrottlingException');
  });

  it('refuses bad options', async () => {
    await expect(startLocalLambda({ functions: { 'bad name': () => 1 } })).rejects.toThrow(
      /startLocalLambda\(\{ functions \}\)/,
    );
    await expect(startLocalLambda({} as never)).rejects.toThrow(/functions/);
  });
});
