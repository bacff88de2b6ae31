import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalSecretsManager, startLocalSecretsManager } from './local-secrets.js';

// The real @aws-sdk/client-secrets-manager against the local endpoint: what the SDK sends and
// parses is what the config package will rely on.
let local: LocalSecretsManager;
let client: SecretsManagerClient;

beforeAll(async () => {
  local = await startLocalSecretsManager({
    secrets: {
      '/app/orders': { db: { host: 'db.local', password: 'hunter2' }, port: 5432 },
      '/app/orders/prod': { db: { host: 'db.prod' } },
      '/app/orders-v2': 'not a child of /app/orders',
      '/app/plain': 'just text',
    },
  });
  client = new SecretsManagerClient({ ...local.clientConfig, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await local.close();
});
beforeEach(() => {
  local.clearFaults();
  local.resetRequests();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => error,
  );

describe('startLocalSecretsManager: reads', () => {
  it('answers GetSecretValue with the AWSCURRENT version, a seeded object stored as its JSON', async () => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: '/app/orders' }));
    expect(JSON.parse(out.SecretString!)).toEqual({ db: { host: 'db.local', password: 'hunter2' }, port: 5432 });
    expect(out.Name).toBe('/app/orders');
    expect(out.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:\/app\/orders-[A-Za-z0-9]{6}$/);
    expect(out.VersionStages).toEqual(['AWSCURRENT']);
    expect(out.CreatedDate).toBeInstanceOf(Date);
    expect(local.count('GetSecretValue')).toBe(1);
  });

  it('finds a secret by its ARN as well as its name', async () => {
    const { ARN } = await client.send(new DescribeSecretCommand({ SecretId: '/app/plain' }));
    const out = await client.send(new GetSecretValueCommand({ SecretId: ARN }));
    expect(out.SecretString).toBe('just text');
  });

  it('refuses an unknown secret with ResourceNotFoundException', async () => {
    const error = await failure(client.send(new GetSecretValueCommand({ SecretId: '/app/nope' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toContain("can't find the specified secret");
  });

  it('batch-reads by name prefix (case-sensitive, a prefix of names, not of paths), page by page', async () => {
    const names: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const out = await client.send(
        new BatchGetSecretValueCommand({
          Filters: [{ Key: 'name', Values: ['/app/orders'] }],
          MaxResults: 2,
          NextToken,
        }),
      );
      names.push(...out.SecretValues!.map((s) => s.Name!));
      expect(out.Errors).toEqual([]);
      NextToken = out.NextToken;
      pages++;
    } while (NextToken !== undefined);
    expect(pages).toBe(2);
    expect(names).toEqual(['/app/orders', '/app/orders-v2', '/app/orders/prod']);
    const upper = await client.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['/APP'] }] }));
    expect(upper.SecretValues).toEqual([]);
  });

  it('batch-reads a list of ids, reporting a missing or denied secret in Errors, not as a failure', async () => {
    local.deny('/app/plain');
    try {
      const out = await client.send(
        new BatchGetSecretValueCommand({ SecretIdList: ['/app/orders/prod', '/app/missing', '/app/plain'] }),
      );
      expect(out.SecretValues!.map((s) => s.Name)).toEqual(['/app/orders/prod']);
      expect(out.Errors!.map((e) => [e.SecretId, e.ErrorCode])).toEqual([
        ['/app/missing', 'ResourceNotFoundException'],
        ['/app/plain', 'AccessDeniedException'],
      ]);
      const denied = await failure(client.send(new GetSecretValueCommand({ SecretId: '/app/plain' })));
      expect(denied.name).toBe('AccessDeniedException');
    } finally {
      local.deny('/app/plain', false);
    }
  });

  it('refuses a NextToken from another query, and Filters with SecretIdList together', async () => {
    const first = await client.send(
      new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['/app/'] }], MaxResults: 1 }),
    );
    const other = await failure(
      client.send(
        new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['/app/o'] }], NextToken: first.NextToken }),
      ),
    );
    expect(other.name).toBe('InvalidNextTokenException');
    const both = await failure(
      client.send(
        new BatchGetSecretValueCommand({ SecretIdList: ['/app/plain'], Filters: [{ Key: 'name', Values: ['/'] }] }),
      ),
    );
    expect(both.name).toBe('InvalidParameterException');
  });

  it('lists secrets with their versions and stages', async () => {
    const out = await client.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['/app/orders/'] }] }));
    expect(out.SecretList!.map((s) => s.Name)).toEqual(['/app/orders/prod']);
    expect(Object.values(out.SecretList![0]!.SecretVersionsToStages!)).toEqual([['AWSCURRENT']]);
    const described = await client.send(new DescribeSecretCommand({ SecretId: '/app/orders/prod' }));
    expect(Object.values(described.VersionIdsToStages!)).toEqual([['AWSCURRENT']]);
  });
});

describe('startLocalSecretsManager: writes, versions and rotation', () => {
  it('creates, versions and stages a secret as Secrets Manager does', async () => {
    const created = await client.send(new CreateSecretCommand({ Name: '/t/versions', SecretString: 'v1' }));
    const put = await client.send(new PutSecretValueCommand({ SecretId: '/t/versions', SecretString: 'v2' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    const current = await client.send(new GetSecretValueCommand({ SecretId: '/t/versions' }));
    const previous = await client.send(
      new GetSecretValueCommand({ SecretId: '/t/versions', VersionStage: 'AWSPREVIOUS' }),
    );
    expect([current.SecretString, current.VersionId]).toEqual(['v2', put.VersionId]);
    expect([previous.SecretString, previous.VersionId]).toEqual(['v1', created.VersionId]);
    // The same ClientRequestToken with the same value is idempotent; with another value, refused.
    const token = '11111111-2222-3333-4444-555555555555';
    await client.send(
      new PutSecretValueCommand({ SecretId: '/t/versions', SecretString: 'v3', ClientRequestToken: token }),
    );
    await client.send(
      new PutSecretValueCommand({ SecretId: '/t/versions', SecretString: 'v3', ClientRequestToken: token }),
    );
    const clash = await failure(
      client.send(
        new PutSecretValueCommand({ SecretId: '/t/versions', SecretString: 'v4', ClientRequestToken: token }),
      ),
    );
    expect(clash.name).toBe('ResourceExistsException');
    const exists = await failure(client.send(new CreateSecretCommand({ Name: '/t/versions', SecretString: 'x' })));
    expect(exists.name).toBe('ResourceExistsException');
  });

  it('serves the old value while a rotation is in progress, and the new one once it ends', async () => {
    local.put('/t/rotating', { password: 'old' });
    const pendingId = local.beginRotation('/t/rotating', { password: 'new' });
    const during = await client.send(new GetSecretValueCommand({ SecretId: '/t/rotating' }));
    const pending = await client.send(
      new GetSecretValueCommand({ SecretId: '/t/rotating', VersionStage: 'AWSPENDING' }),
    );
    expect(JSON.parse(during.SecretString!)).toEqual({ password: 'old' });
    expect([JSON.parse(pending.SecretString!), pending.VersionId]).toEqual([{ password: 'new' }, pendingId]);
    local.finishRotation('/t/rotating');
    const after = await client.send(new GetSecretValueCommand({ SecretId: '/t/rotating' }));
    expect(JSON.parse(after.SecretString!)).toEqual({ password: 'new' });
    expect(local.get('/t/rotating', 'AWSPREVIOUS')?.value).toBe('{"password":"old"}');
    expect(() => local.finishRotation('/t/rotating')).toThrow(/no rotation in progress/);
  });

  it('moves AWSCURRENT with UpdateSecretVersionStage only when told which version it leaves', async () => {
    local.put('/t/stage', 'a');
    const b = await client.send(
      new PutSecretValueCommand({ SecretId: '/t/stage', SecretString: 'b', VersionStages: ['AWSPENDING'] }),
    );
    const refused = await failure(
      client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: '/t/stage',
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: b.VersionId,
        }),
      ),
    );
    expect(refused.name).toBe('InvalidParameterException');
    const from = local.get('/t/stage')!.versionId;
    await client.send(
      new UpdateSecretVersionStageCommand({
        SecretId: '/t/stage',
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: b.VersionId,
        RemoveFromVersionId: from,
      }),
    );
    expect((await client.send(new GetSecretValueCommand({ SecretId: '/t/stage' }))).SecretString).toBe('b');
  });

  it('round-trips a binary secret and refuses a value over 65,536 bytes', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 254, 255]);
    await client.send(new CreateSecretCommand({ Name: '/t/binary', SecretBinary: bytes }));
    const out = await client.send(new GetSecretValueCommand({ SecretId: '/t/binary' }));
    expect([...out.SecretBinary!]).toEqual([...bytes]);
    expect(out.SecretString).toBeUndefined();
    const big = await failure(
      client.send(new CreateSecretCommand({ Name: '/t/big', SecretString: 'x'.repeat(65_537) })),
    );
    expect(big.name).toBe('InvalidParameterException');
  });

  it('refuses reads of a secret scheduled for deletion; a forced delete removes it', async () => {
    local.put('/t/deleted', 'x');
    await client.send(new DeleteSecretCommand({ SecretId: '/t/deleted' }));
    const error = await failure(client.send(new GetSecretValueCommand({ SecretId: '/t/deleted' })));
    expect(error.name).toBe('InvalidRequestException');
    await client.send(new DeleteSecretCommand({ SecretId: '/t/deleted', ForceDeleteWithoutRecovery: true }));
    expect(local.get('/t/deleted')).toBeUndefined();
  });
});

describe('startLocalSecretsManager: faults and mistakes', () => {
  it('throttles, denies and fails the next requests with the service’s own errors, then recovers', async () => {
    local.throttle(1);
    local.denyAccess(1);
    local.fail(1, 503);
    const get = () => client.send(new GetSecretValueCommand({ SecretId: '/app/plain' }));
    expect((await failure(get())).name).toBe('ThrottlingException');
    expect((await failure(get())).name).toBe('AccessDeniedException');
    const failed = await failure(get());
    expect([failed.name, failed.$metadata.httpStatusCode]).toEqual(['InternalServiceError', 503]);
    expect((await get()).SecretString).toBe('just text');
    expect(local.requests.map((r) => r.status)).toEqual([400, 400, 503, 200]);
  });

  it('names the mistake of a test that seeds a secret Secrets Manager would refuse', async () => {
    expect(() => local.put('bad name!', 'x')).toThrow(/LocalSecretsManager.put\(name, value\): Invalid name/);
    expect(() => local.put('/t/n', 42 as unknown as string)).toThrow(TypeError);
    expect(() => local.throttle(-1)).toThrow(/LocalSecretsManager.throttle\(count\)/);
    await expect(startLocalSecretsManager({ secrets: { '/x': 1 as unknown as string } })).rejects.toThrow(
      /startLocalSecretsManager\(\{ secrets \}\): secret "\/x"/,
    );
  });
});
