import { SSMClient } from '@aws-sdk/client-ssm';
import { lambda, TimeoutError } from '@lambdakit/core';
import { createContext, invoke, type LocalSsm, startLocalSsm } from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { config } from './config.js';
import { ConfigError } from './config-error.js';
import { prefetchConfig } from './prefetch-config.js';

let ssm: LocalSsm;
let fnCount = 0;

beforeAll(async () => {
  ssm = await startLocalSsm();
});
afterAll(() => ssm.close());
afterEach(() => ssm.clearFaults());

const newClient = () => new SSMClient({ ...ssm.clientConfig, maxAttempts: 1 });
function newFunction(parameters: Record<string, string>): string {
  const name = `mw-${++fnCount}`;
  for (const [rel, value] of Object.entries(parameters)) ssm.put(`/lambdakit/${name}/${rel}`, value);
  return name;
}
const reads = (fn: string) =>
  ssm.requests.filter(
    (r) => r.operation === 'GetParametersByPath' && (r.body as { Path?: string })?.Path === `/lambdakit/${fn}`,
  );

const Settings = z.object({ table: z.string(), batchSize: z.coerce.number().int().positive() });

describe('config() middleware', () => {
  it('puts the config for the invoked alias at ctx.config', async () => {
    const fn = newFunction({ table: 'orders', batchSize: '10', 'prod/batchSize': '50' });
    const handler = lambda()
      .use(config({ schema: Settings, client: newClient() }))
      .handle((_event, ctx) => ctx.config);
    await expect(handler({}, createContext({ functionName: fn, qualifier: 'prod' }))).resolves.toEqual({
      table: 'orders',
      batchSize: 50,
    });
    await expect(handler({}, createContext({ functionName: fn, qualifier: '3' }))).resolves.toEqual({
      table: 'orders',
      batchSize: 10,
    });
  });

  it('costs warm invocations no request and never creates their ctx.signal', async () => {
    const fn = newFunction({ table: 't', batchSize: '1' });
    let signalReads = 0;
    // A plain Middy middleware placed before config(): counts reads of ctx.signal (a lazy getter).
    const countSignalReads = {
      before: (request: { context: object }) => {
        const ctx = request.context;
        const get = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(ctx), 'signal')?.get;
        Object.defineProperty(ctx, 'signal', {
          get() {
            signalReads++;
            return get?.call(ctx);
          },
        });
      },
    };
    const handler = lambda()
      .use(countSignalReads)
      .use(config({ schema: Settings, client: newClient() }))
      .handle((_event, ctx) => ctx.config.table);
    await expect(handler({}, createContext({ functionName: fn }))).resolves.toBe('t');
    expect(signalReads).toBe(1); // the cold start waits for SSM within ctx.signal
    const before = ssm.count();
    for (let i = 0; i < 3; i++) await expect(handler({}, createContext({ functionName: fn }))).resolves.toBe('t');
    expect(ssm.count()).toBe(before);
    expect(signalReads).toBe(1);
  });

  it('fails the invocation with a ConfigError when the first load fails', async () => {
    const fn = newFunction({ table: 't', batchSize: '1' });
    ssm.throttle(10);
    const handler = lambda()
      .use(config({ schema: Settings, client: newClient(), retry: { attempts: 2, sleep: async () => {} } }))
      .handle(() => 'unreachable');
    const result = await invoke(handler, {}, { functionName: fn });
    expect(result).toMatchObject({ ok: false, error: { errorType: 'ConfigError' } });
    expect(reads(fn)).toHaveLength(2);
  });

  it('stops waiting for SSM at ctx.signal, before Lambda’s deadline', async () => {
    const fn = newFunction({ table: 't', batchSize: '1' });
    ssm.pause();
    const handler = lambda()
      .use(config({ schema: Settings, client: newClient() }))
      .handle(() => 'unreachable');
    // 600 ms to run, and ctx.signal aborts 500 ms before the deadline.
    const error = await handler({}, createContext({ functionName: fn, timeoutMs: 600 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).cause).toBeInstanceOf(TimeoutError);
  });

  it('prefetches at module load from AWS_LAMBDA_FUNCTION_NAME and AWS_REGION; the first invocation joins it', async () => {
    const fn = newFunction({ table: 't', batchSize: '1' });
    const client = newClient();
    const env = { AWS_LAMBDA_FUNCTION_NAME: fn, AWS_REGION: 'us-east-1' };
    ssm.pause();
    const handler = lambda()
      .use(config({ schema: Settings, client, env }))
      .handle((_event, ctx) => ctx.config.batchSize);
    await vi.waitFor(() => expect(reads(fn)).toHaveLength(1));
    const pending = handler({}, createContext({ functionName: fn, qualifier: 'live' }));
    ssm.resume();
    await expect(pending).resolves.toBe(1);
    expect(reads(fn)).toHaveLength(1);
  });

  it('starts the read inside config() itself, unless prefetch: false', () => {
    const env = { AWS_LAMBDA_FUNCTION_NAME: 'prefetched', AWS_REGION: 'us-east-1' };
    // Real clients (the SDK's paginator takes no other) whose requests never answer.
    const silent = () => {
      const client = newClient();
      return { client, send: vi.spyOn(client, 'send').mockImplementation(() => new Promise(() => {})) };
    };
    const eager = silent();
    config({ schema: Settings, client: eager.client, env });
    expect(eager.send).toHaveBeenCalledTimes(1);
    const lazy = silent();
    config({ schema: Settings, client: lazy.client, env, prefetch: false });
    expect(lazy.send).not.toHaveBeenCalled();
  });

  it('throws at construction for options that can never work', () => {
    expect(() => config({ schema: z.string() as never })).toThrow(TypeError);
    expect(() => config({ schema: Settings, env: { LAMBDAKIT_CONFIG_SOURCE: 'nope' } })).toThrow(TypeError);
  });

  it('runs with no SSM at all when LAMBDAKIT_CONFIG_SOURCE=env', async () => {
    const env = { LAMBDAKIT_CONFIG_SOURCE: 'env', LAMBDAKIT_CONFIG__table: 'local', LAMBDAKIT_CONFIG__batchSize: '5' };
    const handler = lambda()
      .use(config({ schema: Settings, env }))
      .handle((_event, ctx) => ctx.config);
    // No Lambda context at all: a local run.
    await expect(handler({}, {} as never)).resolves.toEqual({ table: 'local', batchSize: 5 });
  });
});

describe('prefetchConfig', () => {
  it('loads the function’s tree ahead of the first invocation and reports success', async () => {
    const fn = newFunction({ table: 't', batchSize: '1' });
    const client = newClient();
    await expect(
      prefetchConfig({ client, env: { AWS_LAMBDA_FUNCTION_NAME: fn, AWS_REGION: 'us-east-1' } }),
    ).resolves.toBe(true);
    const handler = lambda()
      .use(config({ schema: Settings, client, prefetch: false }))
      .handle((_event, ctx) => ctx.config.table);
    await expect(handler({}, createContext({ functionName: fn }))).resolves.toBe('t');
    expect(reads(fn)).toHaveLength(1);
  });

  it('resolves false, never rejects, when it cannot or fails to load', async () => {
    await expect(prefetchConfig({ client: newClient(), env: {} })).resolves.toBe(false);
    await expect(prefetchConfig({ env: { AWS_LAMBDA_FUNCTION_NAME: 'x' } })).resolves.toBe(false);
    await expect(prefetchConfig({ client: newClient(), env: { AWS_LAMBDA_FUNCTION_NAME: 'bad name!' } })).resolves.toBe(
      false,
    );
    ssm.throttle(1);
    const fn = newFunction({ table: 't', batchSize: '1' });
    await expect(
      prefetchConfig({
        client: newClient(),
        retry: { attempts: 1 },
        env: { AWS_LAMBDA_FUNCTION_NAME: fn, AWS_REGION: 'us-east-1' },
      }),
    ).resolves.toBe(false);
  });
});
