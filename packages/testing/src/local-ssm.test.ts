import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalSsm } from './local-ssm.js';
import type { LocalSsm } from './local-ssm-types.js';

// Protocol-level checks with plain HTTP; the real @aws-sdk/client-ssm is used against this
// server in packages/config (this package does not depend on the SDK).
let ssm: LocalSsm;

async function call(operation: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${ssm.endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AmazonSSM.${operation}`,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as any };
}

beforeAll(async () => {
  ssm = await startLocalSsm({
    parameters: {
      '/app/a': 'one',
      '/app/list': ['x', 'y'],
      '/app/secret': { type: 'SecureString', value: 's3cr3t-value' },
      '/app/db/host': 'db.local',
      '/other/a': 'elsewhere',
    },
  });
});
afterAll(() => ssm.close());
beforeEach(() => {
  ssm.clearFaults();
  ssm.resetRequests();
});

describe('startLocalSsm', () => {
  it('listens on 127.0.0.1 on a random port and offers a ready-made client configuration', () => {
    expect(ssm.endpoint).toBe(`http://127.0.0.1:${ssm.port}`);
    expect(ssm.port).toBeGreaterThan(0);
    expect(ssm.clientConfig).toMatchObject({ endpoint: ssm.endpoint, region: 'us-east-1' });
  });

  it('answers GetParametersByPath recursively in the JSON 1.1 shape', async () => {
    const res = await call('GetParametersByPath', { Path: '/app', Recursive: true, WithDecryption: true });
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/x-amz-json-1.1');
    expect(res.body.Parameters.map((p: { Name: string }) => p.Name)).toEqual([
      '/app/a',
      '/app/db/host',
      '/app/list',
      '/app/secret',
    ]);
    expect(res.body.Parameters[0]).toMatchObject({
      Name: '/app/a',
      Type: 'String',
      Value: 'one',
      Version: 1,
      DataType: 'text',
      ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/a',
    });
    expect(typeof res.body.Parameters[0].LastModifiedDate).toBe('number');
    expect(res.body.NextToken).toBeUndefined();
  });

  it('returns only direct children when Recursive is false', async () => {
    const res = await call('GetParametersByPath', { Path: '/app' });
    expect(res.body.Parameters.map((p: { Name: string }) => p.Name)).toEqual(['/app/a', '/app/list', '/app/secret']);
  });

  it('stores StringList values comma-separated, as SSM does', async () => {
    const res = await call('GetParameter', { Name: '/app/list' });
    expect(res.body.Parameter).toMatchObject({ Type: 'StringList', Value: 'x,y' });
  });

  it('never returns a SecureString plaintext without WithDecryption', async () => {
    const hidden = await call('GetParameter', { Name: '/app/secret' });
    expect(hidden.body.Parameter.Type).toBe('SecureString');
    expect(hidden.body.Parameter.Value).toMatch(/^AQICAH[A-Za-z0-9+/=]+$/);
    expect(hidden.body.Parameter.Value).not.toContain('s3cr3t');
    const shown = await call('GetParameter', { Name: '/app/secret', WithDecryption: true });
    expect(shown.body.Parameter.Value).toBe('s3cr3t-value');
  });

  it('pages with MaxResults and an opaque NextToken that is bound to the path', async () => {
    const first = await call('GetParametersByPath', { Path: '/app', Recursive: true, MaxResults: 3 });
    expect(first.body.Parameters).toHaveLength(3);
    expect(typeof first.body.NextToken).toBe('string');
    const second = await call('GetParametersByPath', {
      Path: '/app',
      Recursive: true,
      MaxResults: 3,
      NextToken: first.body.NextToken,
    });
    expect(second.body.Parameters.map((p: { Name: string }) => p.Name)).toEqual(['/app/secret']);
    expect(second.body.NextToken).toBeUndefined();
    const stolen = await call('GetParametersByPath', {
      Path: '/other',
      Recursive: true,
      NextToken: first.body.NextToken,
    });
    expect(stolen).toMatchObject({ status: 400, body: { __type: 'InvalidNextToken' } });
    const garbage = await call('GetParametersByPath', { Path: '/app', NextToken: '!!not-a-token' });
    expect(garbage).toMatchObject({ status: 400, body: { __type: 'InvalidNextToken' } });
  });

  it.each([0, 11, 2.5, '5'])('rejects MaxResults %j with ValidationException', async (maxResults) => {
    const res = await call('GetParametersByPath', { Path: '/app', MaxResults: maxResults });
    expect(res).toMatchObject({ status: 400, body: { __type: 'ValidationException' } });
    expect(res.body.message).toEqual(expect.any(String));
  });

  it('rejects a path that does not start with a slash', async () => {
    const res = await call('GetParametersByPath', { Path: 'app' });
    expect(res).toMatchObject({ status: 400, body: { __type: 'ValidationException' } });
  });

  it('reports unknown names of GetParameters as InvalidParameters', async () => {
    const res = await call('GetParameters', { Names: ['/app/a', '/nope', '/app/a'] });
    expect(res.status).toBe(200);
    expect(res.body.Parameters.map((p: { Name: string }) => p.Name)).toEqual(['/app/a']);
    expect(res.body.InvalidParameters).toEqual(['/nope']);
    const tooMany = await call('GetParameters', { Names: Array.from({ length: 11 }, (_, i) => `/p${i}`) });
    expect(tooMany.body.__type).toBe('ValidationException');
  });

  it('creates with PutParameter, refuses to overwrite without Overwrite, and increments the version', async () => {
    expect((await call('PutParameter', { Name: '/put/x', Value: 'v1', Type: 'String' })).body).toEqual({
      Version: 1,
      Tier: 'Standard',
    });
    const again = await call('PutParameter', { Name: '/put/x', Value: 'v2', Type: 'String' });
    expect(again).toMatchObject({ status: 400, body: { __type: 'ParameterAlreadyExists' } });
    expect((await call('PutParameter', { Name: '/put/x', Value: 'v2', Overwrite: true })).body.Version).toBe(2);
    expect(ssm.get('/put/x')).toMatchObject({ type: 'String', value: 'v2', version: 2 });
  });

  it.each([
    ['a type that SSM does not know', { Name: '/put/y', Value: 'v', Type: 'Number' }],
    ['a new parameter without a type', { Name: '/put/z', Value: 'v' }],
    ['an empty value', { Name: '/put/e', Value: '', Type: 'String' }],
    ['a name with forbidden characters', { Name: '/put/a b', Value: 'v', Type: 'String' }],
    ['a name with an empty level', { Name: '/put//x', Value: 'v', Type: 'String' }],
    ['a name deeper than 15 levels', { Name: `/${'a/'.repeat(15)}b`, Value: 'v', Type: 'String' }],
    ['a name reserved for AWS', { Name: '/aws/x', Value: 'v', Type: 'String' }],
    ['a value over 4 KB', { Name: '/put/big', Value: 'x'.repeat(4097), Type: 'String' }],
  ])('rejects PutParameter with %s', async (_what, body) => {
    const res = await call('PutParameter', body);
    expect(res).toMatchObject({ status: 400, body: { __type: 'ValidationException' } });
  });

  it('deletes with DeleteParameter and answers ParameterNotFound for a missing name', async () => {
    ssm.put('/del/x', 'v');
    expect(await call('DeleteParameter', { Name: '/del/x' })).toMatchObject({ status: 200, body: {} });
    expect(await call('DeleteParameter', { Name: '/del/x' })).toMatchObject({
      status: 400,
      body: { __type: 'ParameterNotFound' },
    });
    expect(await call('GetParameter', { Name: '/del/x' })).toMatchObject({
      status: 400,
      body: { __type: 'ParameterNotFound' },
    });
  });

  it('answers malformed and hostile requests with protocol errors, never a crash', async () => {
    expect((await call('GetParameter', '{not json')).body.__type).toBe('SerializationException');
    expect((await call('GetParameter', '[1,2]')).body.__type).toBe('SerializationException');
    expect((await call('GetParameter', { Name: 42 })).body.__type).toBe('ValidationException');
    expect((await call('GetParametersByPath', { Path: '/app', Recursive: 'yes' })).body.__type).toBe(
      'SerializationException',
    );
    expect((await call('__proto__', {})).body.__type).toBe('UnknownOperationException');
    expect((await call('DescribeParameters', {})).body.__type).toBe('UnknownOperationException');
    expect((await call('GetParameter', { Name: '/app/a' })).status).toBe(200);
  });

  it('throttles the next N requests with ThrottlingException, then recovers', async () => {
    ssm.throttle(2);
    expect(await call('GetParameter', { Name: '/app/a' })).toMatchObject({
      status: 400,
      body: { __type: 'ThrottlingException' },
    });
    expect((await call('GetParameter', { Name: '/app/a' })).body.__type).toBe('ThrottlingException');
    expect((await call('GetParameter', { Name: '/app/a' })).status).toBe(200);
  });

  it('fails the next N requests with a 5xx InternalServerError', async () => {
    ssm.fail(1, 503);
    expect(await call('GetParameter', { Name: '/app/a' })).toMatchObject({
      status: 503,
      body: { __type: 'InternalServerError' },
    });
    expect((await call('GetParameter', { Name: '/app/a' })).status).toBe(200);
  });

  it('delays responses by the latency in force when each request arrived', async () => {
    ssm.setLatency(1000);
    const order: string[] = [];
    const slow = call('GetParameter', { Name: '/app/a' }).then((res) => {
      order.push('slow');
      return res;
    });
    await vi.waitFor(() => expect(ssm.count()).toBe(1));
    ssm.setLatency(0);
    const fast = call('GetParameter', { Name: '/app/a' }).then((res) => {
      order.push('fast');
      return res;
    });
    expect((await fast).status).toBe(200);
    expect((await slow).status).toBe(200);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('holds responses while paused and answers them on resume', async () => {
    ssm.pause();
    let answered = false;
    const pending = call('GetParameter', { Name: '/app/a' }).then((res) => {
      answered = true;
      return res;
    });
    await vi.waitFor(() => expect(ssm.count()).toBe(1));
    expect(ssm.requests[0]?.status).toBe(0);
    expect(answered).toBe(false);
    ssm.resume();
    expect((await pending).status).toBe(200);
  });

  it('counts requests per operation, faulted ones included', async () => {
    ssm.throttle(1);
    await call('GetParameter', { Name: '/app/a' });
    await call('GetParameter', { Name: '/app/a' });
    await call('GetParametersByPath', { Path: '/app' });
    expect(ssm.count('GetParameter')).toBe(2);
    expect(ssm.count('GetParametersByPath')).toBe(1);
    expect(ssm.count()).toBe(3);
    expect(ssm.requests.map((r) => r.status)).toEqual([400, 200, 200]);
    ssm.resetRequests();
    expect(ssm.count()).toBe(0);
  });

  it('refuses nonsensical fault settings', () => {
    expect(() => ssm.throttle(-1)).toThrow(TypeError);
    expect(() => ssm.setLatency(Number.NaN)).toThrow(TypeError);
  });

  it('closes, after which the port refuses connections', async () => {
    const other = await startLocalSsm();
    await other.close();
    await expect(fetch(`${other.endpoint}/`, { method: 'POST' })).rejects.toThrow();
  });
});
