import { SSMClient } from '@aws-sdk/client-ssm';
import { InvalidArnError, TimeoutError, WARNING_TYPE } from '@lambdakit/core';
import { type LocalSsm, type LocalSsmParameterInput, startLocalSsm } from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

let ssm: LocalSsm;
let fnCount = 0;

beforeAll(async () => {
  ssm = await startLocalSsm();
});
afterAll(() => ssm.close());
afterEach(() => {
  ssm.clearFaults();
  vi.restoreAllMocks();
});

/** A fresh SDK client per test: the memo is per client, so tests never share cached config. */
const newClient = () => new SSMClient({ ...ssm.clientConfig, maxAttempts: 1 });
/** A real SDK client (the SDK's paginator takes no other) whose requests `send` answers instead of the server. */
function clientSending(send: (...args: never[]) => unknown): SSMClient {
  const client = newClient();
  vi.spyOn(client, 'send').mockImplementation(send as never);
  return client;
}
/** A function name of its own per test, so tests never read each other's parameters. */
function newFunction(parameters: Record<string, LocalSsmParameterInput> = {}, prefix = '/lambdakit'): string {
  const name = `fn-${++fnCount}`;
  for (const [rel, value] of Object.entries(parameters)) ssm.put(`${prefix}/${name}/${rel}`, value);
  return name;
}
const arn = (fn: string, qualifier?: string) =>
  `arn:aws:lambda:us-east-1:123456789012:function:${fn}${qualifier === undefined ? '' : `:${qualifier}`}`;
/** GetParametersByPath requests for one path (the server is shared by the tests in this file). */
const reads = (path: string) =>
  ssm.requests.filter((r) => r.operation === 'GetParametersByPath' && (r.body as { Path?: string })?.Path === path);
const noSleep = { sleep: async () => {} };

interface Warning {
  code: string | undefined;
  message: string;
}
/**
 * lambdakit's warnings about one function's tree, recorded instead of printed: core's emitWarning
 * goes through process.emitWarning. Restored after each test.
 */
function recordWarnings(fn: string): Warning[] {
  const about = new RegExp(`/lambdakit/${fn}\\b`);
  const warnings: Warning[] = [];
  vi.spyOn(process, 'emitWarning').mockImplementation(((
    warning: string | Error,
    options?: { type?: string; code?: string },
  ) => {
    const message = typeof warning === 'string' ? warning : warning.message;
    if (options?.type === WARNING_TYPE && about.test(message)) warnings.push({ code: options.code, message });
  }) as typeof process.emitWarning);
  return warnings;
}

const Db = z.object({
  db: z.object({ host: z.string(), port: z.coerce.number().int() }),
});

describe('loadConfig', () => {
  it('reads {prefix}/{function}/… into a typed object: nested names, StringList, SecureString', async () => {
    const fn = newFunction({
      'db/host': 'db.internal',
      'db/port': '5432',
      'db/password': { type: 'SecureString', value: 'hunter2' },
      hosts: ['a.example', 'b.example'],
      greeting: 'hello, world',
    });
    const schema = z.object({
      db: z.object({ host: z.string(), port: z.coerce.number(), password: z.string() }),
      hosts: z.array(z.string()),
      greeting: z.string(),
    });
    const config = await loadConfig({ invokedFunctionArn: arn(fn) }, { schema, client: newClient() });
    expect(config).toEqual({
      db: { host: 'db.internal', port: 5432, password: 'hunter2' },
      hosts: ['a.example', 'b.example'],
      greeting: 'hello, world',
    });
  });

  it('reads a SecureString as ciphertext with decrypt: false, and caches it apart from the decrypted read', async () => {
    const fn = newFunction({ token: { type: 'SecureString', value: 'plain-secret' } });
    const schema = z.object({ token: z.string() });
    const client = newClient();
    const raw = await loadConfig({ invokedFunctionArn: arn(fn) }, { schema, client, decrypt: false });
    const decrypted = await loadConfig({ invokedFunctionArn: arn(fn) }, { schema, client });
    expect(raw.token).toMatch(/^AQICAH/);
    expect(raw.token).not.toContain('plain-secret');
    expect(decrypted.token).toBe('plain-secret');
    expect(reads(`/lambdakit/${fn}`).map((r) => (r.body as { WithDecryption: boolean }).WithDecryption)).toEqual([
      false,
      true,
    ]);
  });

  it('lets an alias override win over the base, key by key', async () => {
    const fn = newFunction({ 'db/host': 'base-host', 'db/port': '5432', 'prod/db/host': 'prod-host' });
    const client = newClient();
    expect(await loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, { schema: Db, client })).toEqual({
      db: { host: 'prod-host', port: 5432 },
    });
    expect(await loadConfig({ invokedFunctionArn: arn(fn, 'dev') }, { schema: Db, client })).toEqual({
      db: { host: 'base-host', port: 5432 },
    });
  });

  it('reads `{version}/…` for a version and `latest/…` for $LATEST and unqualified ARNs', async () => {
    const fn = newFunction({
      'db/host': 'base',
      'db/port': '1',
      '7/db/host': 'v7',
      'latest/db/host': 'latest',
    });
    const client = newClient();
    const host = async (qualifier?: string) =>
      (await loadConfig({ invokedFunctionArn: arn(fn, qualifier) }, { schema: Db, client })).db.host;
    expect(await host('7')).toBe('v7');
    expect(await host('8')).toBe('base');
    expect(await host('$LATEST')).toBe('latest');
    expect(await host()).toBe('latest');
  });

  it('never leaks one qualifier’s overrides into another qualifier or into the base', async () => {
    const fn = newFunction({
      'db/host': 'base',
      'db/port': '1',
      'prod/db/host': 'prod',
      'prod/db/extra': 'prod-only',
      'staging/db/port': '2',
    });
    const schema = z.looseObject({ db: z.looseObject({ host: z.string(), port: z.coerce.number() }) });
    const client = newClient();
    const staging = await loadConfig({ invokedFunctionArn: arn(fn, 'staging') }, { schema, client });
    const base = await loadConfig({ invokedFunctionArn: arn(fn, '3') }, { schema, client });
    expect(staging).toEqual({ db: { host: 'base', port: 2 } });
    expect(base).toEqual({ db: { host: 'base', port: 1 } });
    expect(Object.keys(base)).toEqual(['db']);
  });

  it('costs one paged read of the function’s tree on a cold start, every page followed via NextToken', async () => {
    const parameters: Record<string, string> = { 'db/host': 'h', 'db/port': '1' };
    for (let i = 0; i < 12; i++) parameters[`items/k${String(i).padStart(2, '0')}`] = `base${i}`;
    for (let i = 0; i < 11; i++) parameters[`prod/items/k${String(i).padStart(2, '0')}`] = `prod${i}`;
    const fn = newFunction(parameters); // 25 parameters: three pages of at most 10
    const schema = Db.extend({ items: z.record(z.string(), z.string()) });
    const client = newClient();
    const config = await loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, { schema, client });
    expect(Object.keys(config.items)).toHaveLength(12);
    expect(config.items.k00).toBe('prod0');
    expect(config.items.k11).toBe('base11');
    const requests = reads(`/lambdakit/${fn}`);
    expect(requests.map((r) => r.body)).toEqual([
      { Path: `/lambdakit/${fn}`, Recursive: true, WithDecryption: true, MaxResults: 10 },
      expect.objectContaining({ NextToken: expect.any(String), MaxResults: 10 }),
      expect.objectContaining({ NextToken: expect.any(String), MaxResults: 10 }),
    ]);
    // Another alias and the base need no further read: the tree holds every layer.
    await loadConfig({ invokedFunctionArn: arn(fn, 'staging') }, { schema, client });
    await loadConfig({ invokedFunctionArn: arn(fn) }, { schema, client });
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(3);
  });

  it('costs zero requests on warm invocations and returns the same frozen object', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const client = newClient();
    const first = await loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, { schema: Db, client });
    const before = ssm.count();
    for (let i = 0; i < 5; i++)
      expect(await loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, { schema: Db, client })).toBe(first);
    expect(ssm.count()).toBe(before);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.db)).toBe(true);
    expect(() => {
      (first.db as { host: string }).host = 'changed';
    }).toThrow(TypeError);
  });

  it('keeps a separate config per alias of one function', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1', 'blue/db/port': '2', 'green/db/port': '3' });
    const client = newClient();
    const [blue, green] = await Promise.all([
      loadConfig({ invokedFunctionArn: arn(fn, 'blue') }, { schema: Db, client }),
      loadConfig({ invokedFunctionArn: arn(fn, 'green') }, { schema: Db, client }),
    ]);
    expect([blue.db.port, green.db.port]).toEqual([2, 3]);
    expect(await loadConfig({ invokedFunctionArn: arn(fn, 'blue') }, { schema: Db, client })).toBe(blue);
  });

  it('shares one request among concurrent first callers', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const client = newClient();
    ssm.setLatency(50);
    const configs = await Promise.all(
      ['prod', 'prod', 'dev', undefined, 'prod'].map((q) =>
        loadConfig({ invokedFunctionArn: arn(fn, q) }, { schema: Db, client }),
      ),
    );
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(1);
    expect(configs[0]).toBe(configs[1]);
    expect(configs[0]).toEqual(configs[2]);
  });

  it('keys the memo by everything that changes the value: prefix and schema', async () => {
    const fn = newFunction({ 'db/host': 'one', 'db/port': '1' });
    ssm.put(`/other/${fn}/db/host`, 'two');
    ssm.put(`/other/${fn}/db/port`, '2');
    const client = newClient();
    const one = await loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Db, client });
    const two = await loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Db, client, prefix: '/other/' });
    expect([one.db.host, two.db.host]).toEqual(['one', 'two']);
    const Upper = z.object({ db: z.object({ host: z.string().transform((s) => s.toUpperCase()) }) });
    expect((await loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Upper, client })).db.host).toBe('ONE');
    expect(await loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Db, client })).toBe(one);
  });

  it('lists every missing and invalid key with the parameter it came from, never the value', async () => {
    const fn = newFunction({
      'db/port': 'not-a-number',
      apiKey: { type: 'SecureString', value: 'hunter2-very-secret' },
      'prod/limits/max': '-5',
    });
    const schema = Db.extend({
      apiKey: z.string().min(64),
      limits: z.object({ max: z.coerce.number().positive() }),
    });
    const error = await loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, { schema, client: newClient() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.path).toBe(`/lambdakit/${fn}`);
    expect(e.issues.map(({ key, parameter, source }) => ({ key, parameter, source }))).toEqual(
      expect.arrayContaining([
        { key: 'db.host', parameter: `/lambdakit/${fn}/db/host`, source: 'missing' },
        { key: 'db.port', parameter: `/lambdakit/${fn}/db/port`, source: 'base' },
        { key: 'apiKey', parameter: `/lambdakit/${fn}/apiKey`, source: 'base' },
        { key: 'limits.max', parameter: `/lambdakit/${fn}/prod/limits/max`, source: 'override' },
      ]),
    );
    expect(e.issues).toHaveLength(4);
    expect(e.message).toContain(
      `db.host (missing: set /lambdakit/${fn}/db/host or /lambdakit/${fn}/prod/db/host or LAMBDAKIT_CONFIG__db__host)`,
    );
    const everything = `${e.message} ${JSON.stringify(e.issues)} ${JSON.stringify(e)}`;
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain('not-a-number');
  });

  it('reports a name that is both a value and a parent of another value', async () => {
    const fn = newFunction({ db: 'flat', 'db/host': 'h', 'db/port': '1' });
    const error = (await loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Db, client: newClient() }).catch(
      (e) => e,
    )) as ConfigError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues[0]).toMatchObject({ key: 'db', parameter: `/lambdakit/${fn}/db` });
    expect(error.issues[0]?.message).toContain(`/lambdakit/${fn}/db/host`);
  });

  it('refuses a qualifier named like a top-level key, whose overrides could not be told apart', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const error = (await loadConfig({ invokedFunctionArn: arn(fn, 'db') }, { schema: Db, client: newClient() }).catch(
      (e) => e,
    )) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues[0]).toMatchObject({ key: 'db', parameter: `/lambdakit/${fn}/db` });
  });

  it('keeps a bounded memo when the schema is created on every call, and says so once', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const client = newClient();
    const warnings = recordWarnings(fn);
    for (let i = 0; i < 300; i++) {
      // The mistake: a new schema object per invocation, so every call resolves (and validates) afresh.
      const schema = z.object({ db: z.object({ host: z.string(), port: z.coerce.number() }) });
      const config = await loadConfig({ invokedFunctionArn: arn(fn) }, { schema, client });
      expect(config.db).toEqual({ host: 'h', port: 1 });
    }
    expect(warnings.map((w) => w.code)).toEqual(['LAMBDAKIT_CONFIG_MEMO_FULL']);
    expect(warnings[0]?.message).toContain('module scope');
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(1); // still one read of SSM
  });

  it('ignores hostile parameter names with a warning, and nothing reaches a prototype', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1', 'db/__proto__/polluted': 'yes' });
    const warnings = recordWarnings(fn);
    const schema = z.looseObject({ db: z.looseObject({ host: z.string() }) });
    const config = await loadConfig({ invokedFunctionArn: arn(fn) }, { schema, client: newClient() });
    expect(config.db).toEqual({ host: 'h', port: '1' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((config.db as Record<string, unknown>).polluted).toBeUndefined();
    expect(warnings.map((w) => w.code)).toEqual(['LAMBDAKIT_CONFIG_PARAMETER_IGNORED']);
    expect(warnings[0]?.message).toContain('__proto__');
  });

  it('fails with a ConfigError naming the ARN problem and the way to run without SSM', async () => {
    const error = (await loadConfig({ invokedFunctionArn: '' }, { schema: Db, client: newClient() }).catch(
      (e) => e,
    )) as ConfigError;
    expect(error.code).toBe('CONFIG_LOAD_FAILED');
    expect(error.cause).toBeInstanceOf(InvalidArnError);
    expect(error.message).toContain('LAMBDAKIT_CONFIG_SOURCE=env');
  });
});

describe('loadConfig first load', () => {
  it('retries throttling with growing backoff, then succeeds', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const delays: number[] = [];
    ssm.throttle(2);
    const config = await loadConfig(
      { invokedFunctionArn: arn(fn) },
      {
        schema: Db,
        client: newClient(),
        retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, sleep: async (ms) => void delays.push(ms) },
      },
    );
    expect(config.db.host).toBe('h');
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it('fails with a ConfigError carrying the SSM error once the attempts run out', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    ssm.fail(10, 503);
    const error = (await loadConfig(
      { invokedFunctionArn: arn(fn) },
      {
        schema: Db,
        client: newClient(),
        retry: { attempts: 4, ...noSleep },
      },
    ).catch((e) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_LOAD_FAILED');
    expect(error.message).toContain('after 4 attempt(s)');
    expect((error.cause as Error).name).toBe('InternalServerError');
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(4);
  });

  it('starts afresh on the next call after a failed first load', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const client = newClient();
    ssm.throttle(1);
    await expect(
      loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Db, client, retry: { attempts: 1 } }),
    ).rejects.toBeInstanceOf(ConfigError);
    await expect(
      loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Db, client, retry: { attempts: 1 } }),
    ).resolves.toMatchObject({
      db: { host: 'h' },
    });
  });

  it('does not retry errors that will not heal (access denied)', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform ssm:GetParametersByPath'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    const send = vi.fn().mockRejectedValue(denied);
    const error = (await loadConfig(
      { invokedFunctionArn: arn('denied-fn') },
      {
        schema: Db,
        client: clientSending(send),
        retry: { attempts: 5, ...noSleep },
      },
    ).catch((e) => e)) as ConfigError;
    expect(error.cause).toBe(denied);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('refuses a parameter value over 64 KiB, naming the parameter, at once and without retrying', async () => {
    // SSM itself stores at most 8 KB: such a value comes from a server that is not SSM.
    const send = vi.fn().mockResolvedValue({
      Parameters: [
        { Name: '/lambdakit/huge-fn/db/host', Type: 'String', Value: 'h' },
        { Name: '/lambdakit/huge-fn/blob', Type: 'String', Value: 'x'.repeat(65_537) },
      ],
    });
    const error = (await loadConfig(
      { invokedFunctionArn: arn('huge-fn') },
      {
        schema: Db,
        client: clientSending(send),
        retry: { attempts: 5, ...noSleep },
      },
    ).catch((e) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_TOO_LARGE');
    expect(error.path).toBe('/lambdakit/huge-fn');
    expect(error.message).toBe(
      "The configuration at SSM path /lambdakit/huge-fn is too large: the value of /lambdakit/huge-fn/blob is 65537 bytes; a configuration value is at most 65536 (SSM's own limit is 8 KB)",
    );
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('accepts a value of exactly 64 KiB', async () => {
    const send = vi.fn().mockResolvedValue({
      Parameters: [
        { Name: '/lambdakit/edge-fn/db/host', Type: 'String', Value: 'h'.repeat(65_536) },
        { Name: '/lambdakit/edge-fn/db/port', Type: 'String', Value: '5432' },
      ],
    });
    const config = await loadConfig(
      { invokedFunctionArn: arn('edge-fn') },
      { schema: Db, client: clientSending(send) },
    );
    expect(config.db.host).toHaveLength(65_536);
  });

  it('refuses a tree of more than 10,000 parameters after 1,000 pages, once, without retrying', async () => {
    // A server that never stops handing out pages: each a new token, ten parameters each.
    let page = 0;
    const send = vi.fn().mockImplementation(async () => {
      page++;
      return {
        Parameters: Array.from({ length: 10 }, (_, i) => ({
          Name: `/lambdakit/endless-fn/p${page}/v${i}`,
          Type: 'String',
          Value: 'v',
        })),
        NextToken: `t${page}`,
      };
    });
    const error = (await loadConfig(
      { invokedFunctionArn: arn('endless-fn') },
      {
        schema: Db,
        client: clientSending(send),
        retry: { attempts: 3, ...noSleep },
      },
    ).catch((e) => e)) as ConfigError;
    expect(error.code).toBe('CONFIG_TOO_LARGE');
    expect(error.message).toContain('it holds more than 10000 parameters');
    expect(send).toHaveBeenCalledTimes(1001);
  });

  it('refuses values that add up to more than 16 MiB', async () => {
    let page = 0;
    const send = vi.fn().mockImplementation(async () => {
      page++;
      return {
        Parameters: Array.from({ length: 10 }, (_, i) => ({
          Name: `/lambdakit/heavy-fn/p${page}/v${i}`,
          Type: 'String',
          Value: 'x'.repeat(65_536),
        })),
        NextToken: `t${page}`,
      };
    });
    const error = (await loadConfig(
      { invokedFunctionArn: arn('heavy-fn') },
      {
        schema: Db,
        client: clientSending(send),
        retry: { attempts: 3, ...noSleep },
      },
    ).catch((e) => e)) as ConfigError;
    expect(error.code).toBe('CONFIG_TOO_LARGE');
    expect(error.message).toContain('its values add up to more than 16777216 bytes');
    // 256 values of 64 KiB make 16 MiB exactly: the 257th is one too many.
    expect(send).toHaveBeenCalledTimes(26);
  });

  it('fails at once, with the real SDK, when there are no credentials: no retry can find them', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const client = new SSMClient({
      endpoint: ssm.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
          tryNextLink: false,
        });
      },
    });
    const error = (await loadConfig(
      { invokedFunctionArn: arn(fn) },
      { schema: Db, client, retry: { attempts: 5, ...noSleep } },
    ).catch((e) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('after 1 attempt(s)');
    expect(error.message).toContain('Could not load credentials');
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(0);
  });

  it('retries a connection that fails (nothing listening), then gives up', async () => {
    const client = new SSMClient({ ...ssm.clientConfig, endpoint: 'http://127.0.0.1:1', maxAttempts: 1 });
    const send = vi.spyOn(client, 'send');
    const error = (await loadConfig(
      { invokedFunctionArn: arn('unreachable-fn') },
      {
        schema: Db,
        client,
        retry: { attempts: 3, ...noSleep },
      },
    ).catch((e) => e)) as ConfigError;
    expect(error.message).toContain('after 3 attempt(s)');
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('gives up when the signal aborts, aborting the request, and the next call starts a new load', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const client = newClient();
    const send = vi.spyOn(client, 'send');
    ssm.pause();
    const controller = new AbortController();
    const pending = loadConfig({ invokedFunctionArn: arn(fn), signal: controller.signal }, { schema: Db, client });
    await vi.waitFor(() => expect(reads(`/lambdakit/${fn}`)).toHaveLength(1));
    const reason = new TimeoutError('CORE_TIMEOUT', 'timed out', {
      deadline: Date.now(),
      marginMs: 500,
      remainingTimeMs: 500,
    });
    controller.abort(reason);
    const error = (await pending.catch((e) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_LOAD_FAILED');
    expect(error.cause).toBe(reason);
    const sdkOptions = send.mock.calls[0]?.[1] as { abortSignal: AbortSignal };
    expect(sdkOptions.abortSignal.aborted).toBe(true);
    ssm.clearFaults();
    await expect(loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Db, client })).resolves.toMatchObject({
      db: { host: 'h' },
    });
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(2);
  });

  it('gives up when the signal aborts during backoff, with the throttling that was failing it as the cause', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    ssm.throttle(100);
    const controller = new AbortController();
    const reason = new TimeoutError('CORE_TIMEOUT', 'timed out', {
      deadline: Date.now(),
      marginMs: 500,
      remainingTimeMs: 500,
    });
    const error = (await loadConfig(
      { invokedFunctionArn: arn(fn), signal: controller.signal },
      {
        schema: Db,
        client: newClient(),
        retry: {
          attempts: 10,
          // The deadline arrives while waiting before the third attempt.
          sleep: async (_ms, signal) => {
            if (reads(`/lambdakit/${fn}`).length >= 2) controller.abort(reason);
            if (signal?.aborted) throw signal.reason;
          },
        },
      },
    ).catch((e) => e)) as ConfigError;
    ssm.clearFaults();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_LOAD_FAILED');
    expect((error.cause as Error).name).toBe('ThrottlingException');
    expect(error.message).toContain('ThrottlingException');
    expect(error.message).toContain('signal aborted');
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(2);
  });

  it('keeps loading for the callers still waiting when one caller’s signal aborts', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const client = newClient();
    ssm.setLatency(200);
    const impatient = new AbortController();
    const patient = new AbortController();
    const first = loadConfig({ invokedFunctionArn: arn(fn, 'a'), signal: impatient.signal }, { schema: Db, client });
    const second = loadConfig({ invokedFunctionArn: arn(fn, 'b'), signal: patient.signal }, { schema: Db, client });
    impatient.abort(new Error('deadline'));
    await expect(first).rejects.toBeInstanceOf(ConfigError);
    await expect(second).resolves.toMatchObject({ db: { host: 'h' } });
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(1);
  });

  it('fails at once for a signal that has already aborted, without a request', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const error = await loadConfig(
      { invokedFunctionArn: arn(fn), signal: AbortSignal.abort() },
      { schema: Db, client: newClient() },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(0);
  });
});

describe('loadConfig refresh (stale-while-revalidate)', () => {
  function clock(start = 1_000_000) {
    let now = start;
    return {
      now: () => now,
      advance: (seconds: number) => {
        now += seconds * 1000;
      },
    };
  }

  it('refreshes in the background after maxAgeSeconds, serving the cached config meanwhile', async () => {
    const fn = newFunction({ 'db/host': 'v1', 'db/port': '1' });
    const time = clock();
    const ctx = { invokedFunctionArn: arn(fn) };
    const options = { schema: Db, client: newClient(), maxAgeSeconds: 60, now: time.now };
    const v1 = await loadConfig(ctx, options);
    ssm.put(`/lambdakit/${fn}/db/host`, 'v2');
    time.advance(59);
    expect(await loadConfig(ctx, options)).toBe(v1);
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(1);
    time.advance(1);
    ssm.pause();
    // The stale invocation gets v1 at once while the refresh is still waiting on SSM.
    expect(await loadConfig(ctx, options)).toBe(v1);
    await vi.waitFor(() => expect(reads(`/lambdakit/${fn}`)).toHaveLength(2));
    expect(reads(`/lambdakit/${fn}`)[1]?.status).toBe(0);
    expect(await loadConfig(ctx, options)).toBe(v1);
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(2); // one refresh at a time
    ssm.resume();
    await vi.waitFor(async () => expect((await loadConfig(ctx, options)).db.host).toBe('v2'));
    // The object an invocation already holds never changes.
    expect(v1.db.host).toBe('v1');
    expect(Object.isFrozen(v1.db)).toBe(true);
  });

  it('keeps the same object when a refresh finds nothing changed', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const time = clock();
    const client = newClient();
    const send = vi.spyOn(client, 'send');
    const ctx = { invokedFunctionArn: arn(fn) };
    const options = { schema: Db, client, maxAgeSeconds: 10, now: time.now };
    const first = await loadConfig(ctx, options);
    time.advance(11);
    await loadConfig(ctx, options);
    expect(send).toHaveBeenCalledTimes(2);
    await send.mock.results[1]?.value;
    await new Promise((resolve) => setImmediate(resolve)); // let the refresh store its snapshot
    expect(await loadConfig(ctx, options)).toBe(first);
    time.advance(5);
    expect(await loadConfig(ctx, options)).toBe(first);
    expect(send).toHaveBeenCalledTimes(2); // the refresh restarted the max-age clock
  });

  it('serves stale values while SSM throttles the refresh, warns, and backs off before trying again', async () => {
    const fn = newFunction({ 'db/host': 'v1', 'db/port': '1' });
    const time = clock();
    const warnings = recordWarnings(fn);
    const ctx = { invokedFunctionArn: arn(fn) };
    const options = {
      schema: Db,
      client: newClient(),
      maxAgeSeconds: 30,
      now: time.now,
      retry: { attempts: 2, ...noSleep },
    };
    const v1 = await loadConfig(ctx, options);
    ssm.put(`/lambdakit/${fn}/db/host`, 'v2');
    time.advance(31);
    ssm.throttle(100);
    expect(await loadConfig(ctx, options)).toBe(v1);
    await vi.waitFor(() => expect(warnings).toHaveLength(1));
    expect(warnings[0]?.code).toBe('LAMBDAKIT_CONFIG_REFRESH_FAILED');
    expect(warnings[0]?.message).toContain(`SSM path /lambdakit/${fn} failed after 2 attempt(s) (ThrottlingException:`);
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(3); // the first load, then two refresh attempts
    expect(await loadConfig(ctx, options)).toBe(v1);
    time.advance(29);
    expect(await loadConfig(ctx, options)).toBe(v1);
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(3); // no new attempt within min(maxAge, 60 s)
    ssm.clearFaults();
    time.advance(1);
    await loadConfig(ctx, options);
    await vi.waitFor(async () => expect((await loadConfig(ctx, options)).db.host).toBe('v2'));
  });

  it('keeps the last good config when a refreshed one fails validation, and warns', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const time = clock();
    const warnings = recordWarnings(fn);
    const ctx = { invokedFunctionArn: arn(fn) };
    const options = { schema: Db, client: newClient(), maxAgeSeconds: 5, now: time.now };
    const good = await loadConfig(ctx, options);
    ssm.put(`/lambdakit/${fn}/db/port`, 'oops');
    time.advance(6);
    await loadConfig(ctx, options);
    await vi.waitFor(async () => {
      expect(await loadConfig(ctx, options)).toBe(good);
      expect(warnings.map((w) => w.code)).toEqual(['LAMBDAKIT_CONFIG_INVALID_AFTER_REFRESH']);
    });
    expect(warnings[0]?.message).not.toContain('oops');
  });

  it('never refreshes with maxAgeSeconds: Infinity', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const time = clock();
    const ctx = { invokedFunctionArn: arn(fn) };
    const options = { schema: Db, client: newClient(), maxAgeSeconds: Infinity, now: time.now };
    await loadConfig(ctx, options);
    time.advance(10 ** 9);
    await loadConfig(ctx, options);
    expect(reads(`/lambdakit/${fn}`)).toHaveLength(1);
  });
});

describe('loadConfig environment overrides', () => {
  it('merges LAMBDAKIT_CONFIG__… variables over SSM, key by key', async () => {
    const fn = newFunction({ 'db/host': 'ssm-host', 'db/port': '1', 'prod/db/port': '2' });
    const env = { LAMBDAKIT_CONFIG__db__host: 'env-host' };
    const config = await loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, { schema: Db, client: newClient(), env });
    expect(config).toEqual({ db: { host: 'env-host', port: 2 } });
  });

  it('names the variable a bad value came from', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1' });
    const env = { LAMBDAKIT_CONFIG__db__port: 'many' };
    const error = (await loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Db, client: newClient(), env }).catch(
      (e) => e,
    )) as ConfigError;
    expect(error.issues).toEqual([
      expect.objectContaining({ key: 'db.port', parameter: 'LAMBDAKIT_CONFIG__db__port', source: 'env' }),
    ]);
    expect(error.message).not.toContain('many');
  });

  it('skips SSM entirely with LAMBDAKIT_CONFIG_SOURCE=env, splitting lists on commas', async () => {
    const send = vi.fn();
    const schema = Db.extend({ hosts: z.array(z.string()), name: z.string() });
    const env = {
      LAMBDAKIT_CONFIG_SOURCE: 'env',
      LAMBDAKIT_CONFIG__db__host: 'localhost',
      LAMBDAKIT_CONFIG__db__port: '5432',
      LAMBDAKIT_CONFIG__hosts: 'a,b',
      LAMBDAKIT_CONFIG__name: 'x,y',
    };
    const config = await loadConfig(
      { invokedFunctionArn: '' },
      { schema, client: { send } as unknown as SSMClient, env },
    );
    expect(config).toEqual({ db: { host: 'localhost', port: 5432 }, hosts: ['a', 'b'], name: 'x,y' });
    expect(send).not.toHaveBeenCalled();
    expect(await loadConfig({ invokedFunctionArn: '' }, { schema, env })).toBe(config);
  });

  it('reports missing keys in env-only mode by the variable to set', async () => {
    const error = (await loadConfig({ invokedFunctionArn: '' }, { schema: Db, source: 'env', env: {} }).catch(
      (e) => e,
    )) as ConfigError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.path).toBeUndefined();
    expect(error.issues.map((i) => i.parameter)).toEqual(['LAMBDAKIT_CONFIG__db']);
  });
});

describe('loadConfig options', () => {
  it.each([
    ['a schema that is not zod', { schema: {} }, 'schema'],
    ['a schema whose keys cannot be listed', { schema: z.record(z.string(), z.string()) }, 'schema'],
    ['a prefix that is not an SSM path', { prefix: 'lambdakit' }, 'prefix'],
    ['a prefix with an empty level', { prefix: '/a//b' }, 'prefix'],
    ['a negative maxAgeSeconds', { maxAgeSeconds: -1 }, 'maxAgeSeconds'],
    ['retry settings that are not an object', { retry: 3 }, 'retry'],
    ['unbounded retries', { retry: { attempts: 1000 } }, 'attempts'],
    ['a negative backoff', { retry: { baseDelayMs: -1 } }, 'baseDelayMs'],
    ['a decrypt that is not a boolean', { decrypt: 'false' }, 'decrypt'],
    ['a clock that is not a function', { now: 0 }, 'now'],
    ['an unknown source', { source: 'disk' }, 'source'],
  ])('rejects %s with a TypeError naming the door and the option', async (_what, overrides, option) => {
    const error = await loadConfig({ invokedFunctionArn: arn('x') }, {
      schema: Db,
      client: newClient(),
      ...(overrides as object),
    } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toMatch(new RegExp(`^loadConfig\\b.*\\{ ${option} \\}`));
  });

  it('accepts refined, transformed and union schemas, listing their top-level keys', async () => {
    const fn = newFunction({ 'db/host': 'h', 'db/port': '1', mode: 'a' });
    const client = newClient();
    const refined = Db.refine((c) => c.db.port > 0);
    const transformed = Db.transform((c) => `${c.db.host}:${c.db.port}`);
    const union = z.union([z.object({ mode: z.literal('a') }), z.object({ db: z.object({ host: z.string() }) })]);
    expect(await loadConfig({ invokedFunctionArn: arn(fn) }, { schema: refined, client })).toEqual({
      db: { host: 'h', port: 1 },
    });
    expect(await loadConfig({ invokedFunctionArn: arn(fn) }, { schema: transformed, client })).toBe('h:1');
    expect(await loadConfig({ invokedFunctionArn: arn(fn) }, { schema: union, client })).toEqual({ mode: 'a' });
  });
});
