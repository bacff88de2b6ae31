import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';
import { clearSecretValues } from '@lambdakit/core';
import { type LocalKms, type LocalSsm, startLocalKms, startLocalSsm } from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { encryptedEnv } from './encrypted-env.js';
import { loadConfig } from './load-config.js';
import { ssm } from './ssm-source.js';

// KMS-encrypted environment variables, as Lambda's console encryption helper writes them, against
// the local KMS (real AES-GCM: a wrong encryption context cannot decrypt).
let localSsm: LocalSsm;
let kms: LocalKms;
let keyId: string;
let fnCount = 0;

beforeAll(async () => {
  [localSsm, kms] = await Promise.all([startLocalSsm(), startLocalKms()]);
  keyId = kms.createKey({ alias: 'alias/lambda-env' }).keyId;
});
afterAll(async () => {
  clearSecretValues(); // values registered for the logger: not for other test files
  await Promise.all([localSsm.close(), kms.close()]);
});
afterEach(() => {
  kms.clearFaults();
});

/** SSM and the encrypted variables, with fresh clients per test (sources are memoized per client). */
const stores = (variables: Record<string, string> = { 'db.password': 'DB_PASSWORD' }) => ({
  client: new SSMClient({ ...localSsm.clientConfig, maxAttempts: 1 }),
  sources: [ssm(), encryptedEnv(variables, { client: new KMSClient({ ...kms.clientConfig, maxAttempts: 1 }) })],
});
const arn = (fn: string, qualifier?: string) =>
  `arn:aws:lambda:us-east-1:123456789012:function:${fn}${qualifier === undefined ? '' : `:${qualifier}`}`;
/** A function with its SSM tree and the encrypted variable Lambda's helper would write for it. */
function newFunction(password = 'hunter2', encryptedFor?: string) {
  const fn = `kfn-${++fnCount}`;
  localSsm.put(`/lambdakit/${fn}/db/host`, 'db.local');
  const env = { DB_PASSWORD: kms.encrypt(keyId, password, { LambdaFunctionName: encryptedFor ?? fn }) };
  return { fn, env };
}
const decrypts = () => kms.requests.filter((r) => r.operation === 'Decrypt').length;
const Settings = z.object({ db: z.object({ host: z.string(), password: z.string() }) });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as ConfigError,
  );

describe('loadConfig with KMS-encrypted environment variables', () => {
  it('decrypts with the function’s name as encryption context, once per sandbox', async () => {
    const { fn, env } = newFunction();
    const options = { schema: Settings, env, ...stores() };
    const before = decrypts();
    const first = await loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, options);
    expect(first).toEqual({ db: { host: 'db.local', password: 'hunter2' } });
    await loadConfig({ invokedFunctionArn: arn(fn, 'prod') }, options);
    await loadConfig({ invokedFunctionArn: arn(fn) }, options);
    expect(decrypts() - before).toBe(1);
  });

  it('refuses a value encrypted for another function with a clear error that names the variable, not the value', async () => {
    const { fn, env } = newFunction('hunter2', 'payments');
    const error = await failure(loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Settings, env, ...stores() }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.code).toBe('CONFIG_LOAD_FAILED');
    expect(error.message).toContain(
      `Could not decrypt environment variable DB_PASSWORD with KMS (encryption context LambdaFunctionName=${fn}): InvalidCiphertextException`,
    );
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses a variable that is not base64 ciphertext, without calling KMS', async () => {
    const { fn } = newFunction();
    const before = decrypts();
    const error = await failure(
      loadConfig(
        { invokedFunctionArn: arn(fn) },
        { schema: Settings, env: { DB_PASSWORD: 'plain text!' }, ...stores() },
      ),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues[0]).toMatchObject({ key: 'db.password', parameter: 'DB_PASSWORD' });
    expect(error.message).not.toContain('plain text');
    expect(decrypts()).toBe(before);
  });

  it('retries a throttled Decrypt, and names the variable of a value that fails validation', async () => {
    const { fn } = newFunction();
    const before = decrypts();
    kms.throttle(1);
    const error = await failure(
      loadConfig(
        { invokedFunctionArn: arn(fn) },
        {
          schema: z.object({ db: z.object({ host: z.string(), password: z.string().min(8) }) }),
          env: { DB_PASSWORD: kms.encrypt(keyId, 'short', { LambdaFunctionName: fn }) },
          retry: { attempts: 2, sleep: async () => {} },
          ...stores(),
        },
      ),
    );
    expect(decrypts() - before).toBe(2); // throttled, then decrypted
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues).toEqual([
      expect.objectContaining({ key: 'db.password', parameter: 'DB_PASSWORD', store: 'kms' }),
    ]);
    expect(error.message).not.toContain('short');
  });

  it('reads the variable as it is with source "env" (local runs: no KMS, no SSM)', async () => {
    const before = decrypts();
    const config = await loadConfig(
      { invokedFunctionArn: arn('local') },
      {
        schema: Settings,
        sources: [encryptedEnv({ 'db.password': 'DB_PASSWORD' })],
        source: 'env',
        env: { DB_PASSWORD: 'local-password', LAMBDAKIT_CONFIG__db__host: 'localhost' },
      },
    );
    expect(config).toEqual({ db: { host: 'localhost', password: 'local-password' } });
    expect(decrypts()).toBe(before);
  });

  it('configures from the environment alone when the only store is encrypted variables and none is set', async () => {
    const config = await loadConfig(
      { invokedFunctionArn: arn('kfn-none') },
      {
        schema: Settings,
        env: { LAMBDAKIT_CONFIG__db__host: 'h', LAMBDAKIT_CONFIG__db__password: 'from-env' },
        sources: [encryptedEnv({ 'db.password': 'DB_PASSWORD' })],
      },
    );
    expect(config).toEqual({ db: { host: 'h', password: 'from-env' } });
  });

  it('refuses a key outside the schema or a bad variable name where the door is called', async () => {
    const ctx = { invokedFunctionArn: arn('x') };
    await expect(
      loadConfig(ctx, { schema: Settings, sources: [ssm(), encryptedEnv({ 'cache.key': 'KEY' })] }),
    ).rejects.toThrow(
      'loadConfig({ sources }): kms sets "cache.key", which is not under a top-level key of the schema (db)',
    );
    expect(() => encryptedEnv({ 'db.password': '1BAD' })).toThrow(
      /encryptedEnv\(variables\): expected an environment variable name for "db.password"/,
    );
    expect(() => encryptedEnv({ 'db..x': 'A' })).toThrow(/expected config key paths/);
    expect(() => encryptedEnv({}, { client: 'kms' as never })).toThrow(
      'encryptedEnv(variables, { client }): expected a KMSClient',
    );
  });
});
