import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSecretsManager, startLocalSecretsManager } from './local-secrets.js';
import { type LocalSecretsExtension, startLocalSecretsExtension } from './local-secrets-extension.js';

// The emulated extension, over plain HTTP as a function calls it.
let sm: LocalSecretsManager;
let extension: LocalSecretsExtension;

beforeAll(async () => {
  sm = await startLocalSecretsManager({ secrets: { '/app/db': { password: 'one' } } });
  extension = await startLocalSecretsExtension({ secretsManager: sm, token: 't0ken' });
});
afterAll(async () => {
  await Promise.all([extension.close(), sm.close()]);
});

const get = (secretId: string, headers: Record<string, string> = { 'X-Aws-Parameters-Secrets-Token': 't0ken' }) =>
  fetch(`${extension.endpoint}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, { headers }).then(
    async (res) => ({ status: res.status, text: await res.text() }),
  );

describe('startLocalSecretsExtension', () => {
  it('answers GetSecretValue’s body, then the same from its cache until it is cleared', async () => {
    const first = await get('/app/db');
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toMatchObject({
      Name: '/app/db',
      SecretString: '{"password":"one"}',
      VersionStages: ['AWSCURRENT'],
    });
    sm.put('/app/db', { password: 'two' });
    expect(JSON.parse((await get('/app/db')).text).SecretString).toBe('{"password":"one"}');
    expect(extension.requests.map((r) => r.cached)).toEqual([false, true]);
    extension.clearCache();
    expect(JSON.parse((await get('/app/db')).text).SecretString).toBe('{"password":"two"}');
    expect(extension.env).toEqual({
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port),
      AWS_SESSION_TOKEN: 't0ken',
    });
  });

  it('refuses a request without the token (401) or with X-Forwarded-For (403), and names a missing secret (400)', async () => {
    expect((await get('/app/db', {})).status).toBe(401);
    expect((await get('/app/db', { 'X-Aws-Parameters-Secrets-Token': 'other' })).status).toBe(401);
    expect(
      (await get('/app/db', { 'X-Aws-Parameters-Secrets-Token': 't0ken', 'X-Forwarded-For': '10.0.0.1' })).status,
    ).toBe(403);
    const missing = await get('/app/none');
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('ResourceNotFoundException');
    await expect(startLocalSecretsExtension({ ttlSeconds: -1 })).rejects.toThrow(
      'startLocalSecretsExtension({ ttlSeconds }): expected a number of seconds, at least 0, got -1',
    );
  });
});
