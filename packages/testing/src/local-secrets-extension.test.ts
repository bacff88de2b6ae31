import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSecretsManager, startLocalSecretsManager } from './local-secrets.js';
import { type LocalSecretsExtension, startLocalSecretsExtension } from './local-secrets-extension.js';
import { startLocalSsm } from './local-ssm.js';

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

  it('answers GetParameter’s body for one parameter by name from a local SSM, its faults and SecureString rules included', async () => {
    const ssm = await startLocalSsm({
      parameters: { '/app/host': 'db.local', '/app/password': { type: 'SecureString', value: 'hunter2' } },
    });
    const both = await startLocalSecretsExtension({ ssm, token: 't0ken' });
    const param = (query: string) =>
      fetch(`${both.endpoint}/systemsmanager/parameters/get?${query}`, {
        headers: { 'X-Aws-Parameters-Secrets-Token': 't0ken' },
      }).then(async (res) => ({ status: res.status, text: await res.text() }));
    try {
      const host = await param('name=%2Fapp%2Fhost');
      expect(host.status).toBe(200);
      expect(JSON.parse(host.text)).toMatchObject({
        Parameter: { Name: '/app/host', Type: 'String', Value: 'db.local' },
      });
      const decrypted = JSON.parse((await param('name=%2Fapp%2Fpassword&withDecryption=true')).text);
      expect(decrypted.Parameter.Value).toBe('hunter2');
      const sealed = JSON.parse((await param('name=%2Fapp%2Fpassword')).text);
      expect(sealed.Parameter.Value).not.toBe('hunter2');
      expect(await param('name=%2Fapp%2Fnone')).toEqual({
        status: 400,
        text: expect.stringMatching(/^ParameterNotFound: /),
      });
      ssm.denyAccess(1);
      expect(await param('name=%2Fapp%2Fother')).toMatchObject({
        status: 400,
        text: expect.stringMatching(/^AccessDeniedException: /),
      });
      // Served from the extension's cache: the local SSM is not asked again.
      const asked = ssm.count('GetParameter');
      expect((await param('name=%2Fapp%2Fhost')).status).toBe(200);
      expect(ssm.count('GetParameter')).toBe(asked);
    } finally {
      await Promise.all([both.close(), ssm.close()]);
    }
  });
});
