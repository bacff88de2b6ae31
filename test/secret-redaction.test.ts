// A secret read by @lambdakit/config never reaches a log line of @lambdakit/logger, nor the error
// Lambda's runtime prints, wherever the handler put it: checked on the logger's real output.
import { inspect } from 'node:util';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { config, encryptedEnv, secrets, ssm as ssmStore } from '@lambdakit/config';
import { clearSecretValues, lambda } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import {
  createContext,
  type LocalKms,
  type LocalSecretsManager,
  type LocalSsm,
  startLocalKms,
  startLocalSecretsManager,
  startLocalSsm,
} from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const PASSWORD = 'pa"ss-hunter2\\x';
const API_KEY = 'ak_live_51HxY2e';
let ssm: LocalSsm;
let sm: LocalSecretsManager;
let kms: LocalKms;

beforeAll(async () => {
  [ssm, sm, kms] = await Promise.all([startLocalSsm(), startLocalSecretsManager(), startLocalKms()]);
});
afterAll(async () => {
  clearSecretValues();
  await Promise.all([ssm.close(), sm.close(), kms.close()]);
});

const Settings = z.object({
  region: z.string(),
  db: z.object({ host: z.string(), password: z.string() }),
  apiKey: z.string(),
});

function handlerFor(fn: string, lines: string[]) {
  const { keyId } = kms.createKey();
  return lambda()
    .use(logger({ destination: { write: (line: string) => void lines.push(line) }, env: {} }))
    .use(
      config({
        schema: Settings,
        client: new SSMClient({ ...ssm.clientConfig, maxAttempts: 1 }),
        sources: [
          ssmStore(),
          secrets({ client: new SecretsManagerClient({ ...sm.clientConfig, maxAttempts: 1 }) }),
          encryptedEnv({ apiKey: 'API_KEY' }, { client: new KMSClient({ ...kms.clientConfig, maxAttempts: 1 }) }),
        ],
        env: { API_KEY: kms.encrypt(keyId, API_KEY, { LambdaFunctionName: fn }) },
        prefetch: false,
      }),
    )
    .handle(async (event: unknown, ctx) => {
      const { password } = ctx.config.db;
      ctx.log.info({ password, nested: { conn: `postgres://app:${password}@db` }, key: ctx.config.apiKey }, 'fields');
      ctx.log.warn(`connecting with ${password} and ${ctx.config.apiKey}`);
      ctx.log.info({ config: ctx.config }, 'the whole config');
      if ((event as { fail?: boolean }).fail) throw new Error(`authentication failed for password ${password}`);
      return { passwordLength: password.length, serialised: JSON.stringify(ctx.config), shown: inspect(ctx.config) };
    });
}

describe('secrets from config are never printed', () => {
  it('keeps them out of every log line, while the handler reads them as they are', async () => {
    const fn = 'redacted-fn';
    ssm.put(`/lambdakit/${fn}/region`, 'eu-west-1');
    ssm.put(`/lambdakit/${fn}/db/host`, 'db.local');
    sm.put(`/lambdakit/${fn}`, { db: { password: PASSWORD } });
    const lines: string[] = [];
    const handler = handlerFor(fn, lines);
    const result = await handler({}, createContext({ functionName: fn }));
    expect(result.passwordLength).toBe(PASSWORD.length);
    // The config serialised or inspected: secrets as [secret], everything else as it is.
    expect(JSON.parse(result.serialised)).toEqual({
      region: 'eu-west-1',
      db: { host: 'db.local', password: '[secret]' },
      apiKey: '[secret]',
    });
    expect(result.shown).toContain("password: '[secret]'");
    expect(result.shown).toContain("host: 'db.local'");
    const text = lines.join('');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const secret of [PASSWORD, JSON.stringify(PASSWORD).slice(1, -1), API_KEY]) expect(text).not.toContain(secret);
    const records = lines.map((line) => JSON.parse(line));
    // Where a value was quoted rather than logged under a key the logger redacts by name.
    expect(records.find((r) => r.message === 'fields').nested.conn).toBe('postgres://app:[secret]@db');
    expect(records.find((r) => r.level === 'WARN' || r.level === 40)?.message).toBe(
      'connecting with [secret] and [secret]',
    );
    expect(records.find((r) => r.message === 'the whole config').config.region).toBe('eu-west-1');
  });

  it('keeps them out of the error Lambda’s runtime prints when the handler throws', async () => {
    const fn = 'redacted-throw-fn';
    ssm.put(`/lambdakit/${fn}/region`, 'eu-west-1');
    sm.put(`/lambdakit/${fn}`, { db: { host: 'db.local', password: PASSWORD } });
    const lines: string[] = [];
    const handler = handlerFor(fn, lines);
    const thrown = await handler({ fail: true }, createContext({ functionName: fn })).catch((error: Error) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe('authentication failed for password [secret]');
    expect((thrown as Error).stack).not.toContain(PASSWORD);
    expect(lines.join('')).not.toContain(PASSWORD);
  });
});
