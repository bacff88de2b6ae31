import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  InternalServerError,
  InvalidNextToken,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  paginateGetParametersByPath,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { type LocalSsm, startLocalSsm } from '@lambdakit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// The local SSM server (from @lambdakit/testing) against the real @aws-sdk/client-ssm: the SDK must
// parse its answers and raise the same named exceptions it raises against AWS.
let ssm: LocalSsm;
let client: SSMClient;

beforeAll(async () => {
  ssm = await startLocalSsm({
    parameters: {
      '/sdk/a': 'one',
      '/sdk/list': ['x', 'y'],
      '/sdk/secret': { type: 'SecureString', value: 'top-secret' },
    },
  });
  client = new SSMClient({ ...ssm.clientConfig, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await ssm.close();
});
afterEach(() => ssm.clearFaults());

describe('local SSM with the real SDK client', () => {
  it('reads a parameter with its type, version and modification date', async () => {
    const { Parameter } = await client.send(new GetParameterCommand({ Name: '/sdk/list' }));
    expect(Parameter).toMatchObject({ Name: '/sdk/list', Type: 'StringList', Value: 'x,y', Version: 1 });
    expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('decrypts a SecureString only when asked', async () => {
    const hidden = await client.send(new GetParameterCommand({ Name: '/sdk/secret' }));
    const shown = await client.send(new GetParameterCommand({ Name: '/sdk/secret', WithDecryption: true }));
    expect(hidden.Parameter?.Value).not.toContain('top-secret');
    expect(shown.Parameter?.Value).toBe('top-secret');
  });

  it('pages through GetParametersByPath with the SDK paginator', async () => {
    for (let i = 0; i < 23; i++) ssm.put(`/paged/p${String(i).padStart(2, '0')}`, `v${i}`);
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateGetParametersByPath({ client }, { Path: '/paged', MaxResults: 10 })) {
      pages++;
      names.push(...(page.Parameters ?? []).map((p) => p.Name ?? ''));
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(23);
    expect(new Set(names).size).toBe(23);
  });

  it('raises ParameterNotFound, ParameterAlreadyExists and InvalidNextToken as the SDK’s own classes', async () => {
    await expect(client.send(new GetParameterCommand({ Name: '/sdk/missing' }))).rejects.toBeInstanceOf(
      ParameterNotFound,
    );
    await expect(client.send(new DeleteParameterCommand({ Name: '/sdk/missing' }))).rejects.toBeInstanceOf(
      ParameterNotFound,
    );
    await expect(
      client.send(new PutParameterCommand({ Name: '/sdk/a', Value: 'two', Type: 'String' })),
    ).rejects.toBeInstanceOf(ParameterAlreadyExists);
    await expect(
      client.send(new GetParametersByPathCommand({ Path: '/sdk', NextToken: 'forged' })),
    ).rejects.toBeInstanceOf(InvalidNextToken);
  });

  it('raises ValidationException for MaxResults above 10', async () => {
    const error = await client.send(new GetParametersByPathCommand({ Path: '/sdk', MaxResults: 11 })).catch((e) => e);
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it('overwrites with PutParameter and increments the version', async () => {
    await client.send(new PutParameterCommand({ Name: '/sdk/v', Value: '1', Type: 'String' }));
    const { Version } = await client.send(new PutParameterCommand({ Name: '/sdk/v', Value: '2', Overwrite: true }));
    expect(Version).toBe(2);
    await client.send(new DeleteParameterCommand({ Name: '/sdk/v' }));
    await expect(client.send(new GetParameterCommand({ Name: '/sdk/v' }))).rejects.toBeInstanceOf(ParameterNotFound);
  });

  it('lists unknown names of GetParameters in InvalidParameters', async () => {
    const out = await client.send(new GetParametersCommand({ Names: ['/sdk/a', '/sdk/nope'] }));
    expect(out.Parameters?.map((p) => p.Name)).toEqual(['/sdk/a']);
    expect(out.InvalidParameters).toEqual(['/sdk/nope']);
  });

  it('throttles with ThrottlingException, which the SDK classifies as throttling', async () => {
    ssm.throttle(1);
    const error = await client.send(new GetParameterCommand({ Name: '/sdk/a' })).catch((e) => e);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    // With the SDK's own retries on, a short throttle is absorbed.
    const retrying = new SSMClient({ ...ssm.clientConfig, maxAttempts: 3 });
    ssm.throttle(1);
    await expect(retrying.send(new GetParameterCommand({ Name: '/sdk/a' }))).resolves.toMatchObject({
      Parameter: { Value: 'one' },
    });
    retrying.destroy();
  });

  it('fails with InternalServerError and the injected 5xx status', async () => {
    ssm.fail(1, 503);
    const error = await client.send(new GetParameterCommand({ Name: '/sdk/a' })).catch((e) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.$metadata.httpStatusCode).toBe(503);
  });
});
