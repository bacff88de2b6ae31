import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { clearSecretValues, redactSecretValues, WARNING_TYPE } from '@lambdakit/core';
import { type LocalSecretsManager, type LocalSsm, startLocalSecretsManager, startLocalSsm } from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { secrets } from './secrets.js';
import { ssm } from './ssm-source.js';

// Secrets Manager as a source, against the local endpoint with the real SDK client.
let localSsm: LocalSsm;
let sm: LocalSecretsManager;
let fnCount = 0;

beforeAll(async () => {
  [localSsm, sm] = await Promise.all([startLocalSsm(), startLocalSecretsManager()]);
});
afterAll(async () => {
  clearSecretValues(); // values registered for the logger: not for other test files
  await Promise.all([localSsm.close(), sm.close()]);
});
afterEach(() => {
  localSsm.clearFaults();
  sm.clearFaults();
  vi.restoreAllMocks();
});

/** The stores named, with fresh clients per test: sources are memoized per client, so tests never share a cached tree. */
function stores(...kinds: ('ssm' | 'secrets')[]) {
  const client = new SSMClient({ ...localSsm.clientConfig, maxAttempts: 1 });
  const secretsClient = new SecretsManagerClient({ ...sm.clientConfig, maxAttempts: 1 });
  return { client, sources: kinds.map((kind) => (kind === 'ssm' ? ssm() : secrets({ client: secretsClient }))) };
}
const newFunction = () => `sfn-${++fnCount}`;
const arn = (fn: string, qualifier?: string) =>
  `arn:aws:lambda:us-east-1:123456789012:function:${fn}${qualifier === undefined ? '' : `:${qualifier}`}`;
const batchReads = (path: string) =>
  sm.requests.filter(
    (r) =>
      r.operation === 'BatchGetSecretValue' &&
      (r.body as { Filters?: { Values?: string[] }[] })?.Filters?.[0]?.Values?.[0] === path,
  );
const noSleep = { sleep: async () => {} };
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as ConfigError,
  );

const Settings = z.object({
  table: z.string(),
  db: z.object({ host: z.string(), port: z.number().int(), password: z.string() }),
});

describe('loadConfig from Secrets Manager', () => {
  it('reads the function’s secret and the qualifier’s, JSON objects laid out as the SSM tree, in one request', async () => {
    const fn = newFunction();
    sm.put(`/lambdakit/${fn}`, { table: 'orders', db: { host: 'db.local', port: 5432, password: 'hunter2' } });
    sm.put(`/lambdakit/${fn}/prod`, { db: { host: 'db.prod' } });
    sm.put(`/lambdakit/${fn}-v2`, { table: 'not this function' });
    const options = { schema: Settings, ...stores('secrets') };
    const prod = await loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, options);
    expect(prod).toEqual({ table: 'orders', db: { host: 'db.prod', port: 5432, password: 'hunter2' } });
    const latest = await loadConfig({ invokedFunctionArn: arn(fn) }, options);
    expect(latest.db.host).toBe('db.local');
    expect(batchReads(`/lambdakit/${fn}`)).toHaveLength(1);
    expect(localSsm.count()).toBe(0);
  });

  it('mixes SSM and secrets: a secret wins over SSM at the same level, a qualifier’s override over both bases', async () => {
    const fn = newFunction();
    localSsm.put(`/lambdakit/${fn}/table`, 'from-ssm');
    localSsm.put(`/lambdakit/${fn}/db/host`, 'ssm-host');
    localSsm.put(`/lambdakit/${fn}/db/password`, 'ssm-password');
    localSsm.put(`/lambdakit/${fn}/prod/db/host`, 'ssm-prod-host');
    sm.put(`/lambdakit/${fn}`, { db: { password: 'secret-password', port: 5432 } });
    const options = { schema: Settings, ...stores('ssm', 'secrets') };
    expect(await loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, options)).toEqual({
      table: 'from-ssm',
      db: { host: 'ssm-prod-host', port: 5432, password: 'secret-password' },
    });
  });

  it('loads once for 50 overlapping invocations, and serves warm ones from memory', async () => {
    const fn = newFunction();
    sm.put(`/lambdakit/${fn}`, { table: 't', db: { host: 'h', port: 1, password: 'p' } });
    const options = { schema: Settings, ...stores('secrets') };
    sm.pause();
    const pending = Array.from({ length: 50 }, () => loadConfig({ invokedFunctionArn: arn(fn) }, options));
    await vi.waitFor(() => expect(batchReads(`/lambdakit/${fn}`)).toHaveLength(1));
    sm.resume();
    const configs = await Promise.all(pending);
    expect(new Set(configs).size).toBe(1);
    await loadConfig({ invokedFunctionArn: arn(fn) }, options);
    expect(batchReads(`/lambdakit/${fn}`)).toHaveLength(1);
  });

  it('picks up a rotation in the background after maxAgeSeconds; a failed refresh keeps the last valid secret', async () => {
    const fn = newFunction();
    sm.put(`/lambdakit/${fn}`, { table: 't', db: { host: 'h', port: 1, password: 'old' } });
    let now = 1_000_000;
    const warnings: string[] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation(((warning: string, options?: { type?: string }) => {
      if (options?.type === WARNING_TYPE && warning.includes(`/lambdakit/${fn}`)) warnings.push(warning);
    }) as typeof process.emitWarning);
    const ctx = { invokedFunctionArn: arn(fn) };
    const options = {
      schema: Settings,
      maxAgeSeconds: 60,
      now: () => now,
      retry: { attempts: 1, ...noSleep },
      ...stores('secrets'),
    };
    const before = await loadConfig(ctx, options);
    sm.beginRotation(`/lambdakit/${fn}`, { table: 't', db: { host: 'h', port: 1, password: 'new' } });
    now += 61_000;
    // A rotation in progress: AWSCURRENT is still the old password.
    expect(await loadConfig(ctx, options)).toBe(before);
    await vi.waitFor(() => expect(batchReads(`/lambdakit/${fn}`)).toHaveLength(2));
    sm.finishRotation(`/lambdakit/${fn}`);
    now += 61_000;
    await loadConfig(ctx, options);
    await vi.waitFor(async () => expect((await loadConfig(ctx, options)).db.password).toBe('new'));
    expect(before.db.password).toBe('old'); // an invocation's object never changes under it
    // Access to the secret revoked: the refresh fails, the last valid value is served, one warning.
    sm.deny(`/lambdakit/${fn}`);
    now += 61_000;
    expect((await loadConfig(ctx, options)).db.password).toBe('new');
    await vi.waitFor(() => expect(warnings).toHaveLength(1));
    expect(warnings[0]).toContain(`Secrets Manager failed after 1 attempt(s)`);
    expect(warnings[0]).toContain('AccessDeniedException');
    expect(warnings[0]).not.toContain('new');
    expect((await loadConfig(ctx, options)).db.password).toBe('new');
    sm.deny(`/lambdakit/${fn}`, false);
  });
  it('loads a schema that hands back frozen objects; their secret values are still registered for the logger', async () => {
    const fn = newFunction();
    sm.put(`/lambdakit/${fn}`, { db: { password: 'frozen-hunter2' } });
    const schema = z.object({ db: z.object({ password: z.string() }).transform((db) => Object.freeze({ ...db })) });
    const loaded = await loadConfig({ invokedFunctionArn: arn(fn) }, { schema, ...stores('secrets') });
    expect(loaded.db.password).toBe('frozen-hunter2');
    expect(redactSecretValues('password frozen-hunter2')).toBe('password [secret]');
  });
});

describe('loadConfig from Secrets Manager: what goes wrong, and what is said', () => {
  it('names the secret and the key of an invalid value, never the value', async () => {
    const fn = newFunction();
    sm.put(`/lambdakit/${fn}`, { table: 't', db: { host: 'h', port: 'hunter2-port', password: 'hunter2' } });
    const error = await failure(
      loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Settings, ...stores('secrets') }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues).toEqual([
      expect.objectContaining({
        key: 'db.port',
        parameter: `/lambdakit/${fn}#db.port`,
        store: 'secrets',
        source: 'base',
      }),
    ]);
    expect(error.message).toContain(`the secrets of /lambdakit/${fn} in Secrets Manager`);
    expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toContain('hunter2');
  });

  it('says where a missing key may be set, the secret included', async () => {
    const fn = newFunction();
    sm.put(`/lambdakit/${fn}`, { table: 't', db: { host: 'h', port: 1 } });
    const error = await failure(
      loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, { schema: Settings, ...stores('ssm', 'secrets') }),
    );
    expect(error.message).toContain(
      `db.password (missing: set /lambdakit/${fn}/db/password or /lambdakit/${fn}/prod/db/password or key db.password of secret /lambdakit/${fn} (or /lambdakit/${fn}/prod) or LAMBDAKIT_CONFIG__db__password)`,
    );
  });

  it('refuses a secret that is not a JSON object, or binary, naming it and not its text', async () => {
    for (const value of ['hunter2', '["a"]', Uint8Array.from([1, 2])]) {
      const fn = newFunction();
      sm.put(`/lambdakit/${fn}`, value);
      const error = await failure(
        loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Settings, ...stores('secrets') }),
      );
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toMatch(new RegExp(`^Secret /lambdakit/${fn} cannot be read as configuration: `));
      expect(error.message).not.toContain('hunter2');
    }
  });

  it('fails the load with the secret named when it cannot be read, and retries what may heal', async () => {
    const fn = newFunction();
    sm.put(`/lambdakit/${fn}`, { table: 't', db: { host: 'h', port: 1, password: 'p' } });
    sm.deny(`/lambdakit/${fn}`);
    try {
      const denied = await failure(
        loadConfig(
          { invokedFunctionArn: arn(fn) },
          { schema: Settings, retry: { attempts: 3, ...noSleep }, ...stores('secrets') },
        ),
      );
      expect(denied.code).toBe('CONFIG_LOAD_FAILED');
      expect(denied.message).toContain(`Could not read secret `);
      expect(denied.message).toContain('AccessDeniedException');
      expect(batchReads(`/lambdakit/${fn}`)).toHaveLength(1); // access denied does not heal: no retry
    } finally {
      sm.deny(`/lambdakit/${fn}`, false);
    }
    sm.throttle(2);
    const loaded = await loadConfig(
      { invokedFunctionArn: arn(fn) },
      { schema: Settings, retry: { attempts: 3, ...noSleep }, ...stores('secrets') },
    );
    expect(loaded.db.password).toBe('p');
  });

  it('refuses bad sources and clients where the door is called', async () => {
    const ctx = { invokedFunctionArn: arn('x') };
    const expected = /loadConfig\(\{ sources \}\): expected a list of stores such as \[ssm\(\), secrets\(\)\]/;
    for (const sources of [[], ['secrets'], [secrets(), secrets()], {}]) {
      await expect(loadConfig(ctx, { schema: Settings, sources: sources as never })).rejects.toThrow(expected);
    }
    expect(() => secrets({ client: {} as never })).toThrow('secrets({ client }): expected a SecretsManagerClient');
    expect(() => ssm({ decrypt: 'yes' as never })).toThrow('ssm({ decrypt }): expected a boolean');
  });
});
