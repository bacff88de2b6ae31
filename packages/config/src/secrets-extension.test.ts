import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clearSecretValues } from '@lambdakit/core';
import {
  type LocalSecretsExtension,
  type LocalSecretsManager,
  startLocalSecretsExtension,
  startLocalSecretsManager,
} from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { secrets } from './secrets.js';

// Secrets through Lambda's Parameters and Secrets extension (its local emulation, in front of the
// local Secrets Manager): the same config as through the SDK.
let sm: LocalSecretsManager;
let extension: LocalSecretsExtension;
let fnCount = 0;

beforeAll(async () => {
  sm = await startLocalSecretsManager();
  extension = await startLocalSecretsExtension({ secretsManager: sm, ttlSeconds: 300 });
});
afterAll(async () => {
  clearSecretValues();
  await Promise.all([extension.close(), sm.close()]);
});

const Settings = z.object({ db: z.object({ host: z.string(), password: z.string() }) });
const arn = (fn: string, qualifier?: string) =>
  `arn:aws:lambda:us-east-1:123456789012:function:${fn}${qualifier === undefined ? '' : `:${qualifier}`}`;
const newFunction = () => {
  const fn = `xfn-${++fnCount}`;
  sm.put(`/lambdakit/${fn}`, { db: { host: 'db.local', password: 'hunter2-base' } });
  sm.put(`/lambdakit/${fn}/prod`, { db: { password: 'hunter2-prod' } });
  return fn;
};
const viaExtension = (fn: string) =>
  extension.requests.filter((r) => decodeURIComponent(r.path).includes(`/lambdakit/${fn}`));

describe('secrets() through the Parameters and Secrets extension', () => {
  it('gives the same config as the SDK, reading the base and the qualifier’s secret by name', async () => {
    const fn = newFunction();
    const byExtension = await loadConfig(
      { invokedFunctionArn: arn(fn, 'prod') },
      { schema: Settings, env: { ...extension.env }, sources: [secrets()] },
    );
    const bySdk = await loadConfig(
      { invokedFunctionArn: arn(fn, 'prod') },
      {
        schema: Settings,
        env: {},
        sources: [
          secrets({ transport: 'sdk', client: new SecretsManagerClient({ ...sm.clientConfig, maxAttempts: 1 }) }),
        ],
      },
    );
    expect(byExtension).toEqual({ db: { host: 'db.local', password: 'hunter2-prod' } });
    expect(byExtension).toEqual(bySdk);
    // `auto` found the extension by its port variable; no SDK client was needed for it.
    expect(viaExtension(fn).map((r) => [decodeURIComponent(r.path), r.status])).toEqual([
      [`/secretsmanager/get?secretId=/lambdakit/${fn}`, 200],
      [`/secretsmanager/get?secretId=/lambdakit/${fn}/prod`, 200],
    ]);
    // An alias without a secret of its own reads the base alone (the extension answers 400: absent).
    const latest = await loadConfig(
      { invokedFunctionArn: arn(fn, 'staging') },
      { schema: Settings, env: { ...extension.env }, sources: [secrets()] },
    );
    expect(latest.db.password).toBe('hunter2-base');
  });

  it('serves a rotation only once the extension’s own cache has expired it', async () => {
    const fn = newFunction();
    let now = 1_000_000;
    const options = {
      schema: Settings,
      env: { ...extension.env },
      sources: [secrets({ transport: 'extension' })],
      maxAgeSeconds: 60,
      now: () => now,
    };
    const ctx = { invokedFunctionArn: arn(fn) };
    expect((await loadConfig(ctx, options)).db.password).toBe('hunter2-base');
    sm.put(`/lambdakit/${fn}`, { db: { host: 'db.local', password: 'rotated' } });
    now += 61_000;
    await loadConfig(ctx, options); // starts the background refresh
    const base = () => viaExtension(fn).filter((r) => decodeURIComponent(r.path).endsWith(`/lambdakit/${fn}`));
    await expect.poll(() => base().length).toBe(2);
    expect(base()[1]?.cached).toBe(true); // the extension answered from its cache
    expect((await loadConfig(ctx, options)).db.password).toBe('hunter2-base');
    extension.clearCache(); // its TTL passed
    now += 61_000;
    await loadConfig(ctx, options);
    await expect.poll(async () => (await loadConfig(ctx, options)).db.password).toBe('rotated');
  });

  it('fails with a clear error when the token is wrong, and when the extension is asked for without one', async () => {
    const fn = newFunction();
    const wrong = await loadConfig(
      { invokedFunctionArn: arn(fn) },
      {
        schema: Settings,
        env: { ...extension.env, AWS_SESSION_TOKEN: 'another-token' },
        sources: [secrets({ transport: 'extension' })],
        retry: { attempts: 1 },
      },
    ).catch((error: ConfigError) => error);
    expect(wrong).toBeInstanceOf(ConfigError);
    expect((wrong as ConfigError).message).toContain('the Parameters and Secrets extension answered 401');
    await expect(
      loadConfig(
        { invokedFunctionArn: arn(fn) },
        { schema: Settings, env: {}, sources: [secrets({ transport: 'extension' })] },
      ),
    ).rejects.toThrow('the Parameters and Secrets extension needs AWS_SESSION_TOKEN');
    expect(() => secrets({ transport: 'layer' as never })).toThrow(
      'secrets({ transport }): expected "auto", "sdk" or "extension", got layer',
    );
  });
});
