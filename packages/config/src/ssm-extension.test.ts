import { SSMClient } from '@aws-sdk/client-ssm';
import { clearSecretValues } from '@lambdakit/core';
import {
  type LocalSecretsExtension,
  type LocalSsm,
  type LocalSsmParameterInput,
  startLocalSecretsExtension,
  startLocalSsm,
} from '@lambdakit/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { config } from './config.js';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { schemaLeafPaths } from './schema-leaf-paths.js';
import { ssmExtension } from './ssm-extension.js';
import { ssm } from './ssm-source.js';

// SSM parameters through Lambda's Parameters and Secrets extension (its local emulation, in front of
// the local SSM): the extension serves one parameter by name, so the schema names what is read.
let local: LocalSsm;
let extension: LocalSecretsExtension;
let fnCount = 0;

beforeAll(async () => {
  local = await startLocalSsm();
  extension = await startLocalSecretsExtension({ ssm: local, ttlSeconds: 300 });
});
afterAll(async () => {
  clearSecretValues();
  await Promise.all([extension.close(), local.close()]);
});

const Settings = z.object({
  currency: z.string().length(3),
  maxItems: z.coerce.number().int(),
  regions: z.array(z.string()),
  db: z.object({ host: z.string(), password: z.string(), port: z.coerce.number().optional() }),
});
const arn = (fn: string, qualifier?: string) =>
  `arn:aws:lambda:us-east-1:123456789012:function:${fn}${qualifier === undefined ? '' : `:${qualifier}`}`;
function newFunction(parameters: Record<string, LocalSsmParameterInput>): string {
  const fn = `pfn-${++fnCount}`;
  for (const [rel, value] of Object.entries(parameters)) local.put(`/lambdakit/${fn}/${rel}`, value);
  return fn;
}
const orders = () =>
  newFunction({
    currency: 'EUR',
    maxItems: '10',
    regions: { type: 'StringList', value: 'eu-west-1,eu-central-1' },
    'db/host': 'db.local',
    'db/password': { type: 'SecureString', value: 'hunter2-base' },
    'prod/maxItems': '50',
    'prod/db/password': { type: 'SecureString', value: 'hunter2-prod' },
    unnamed: 'not in the schema',
  });
const asked = (fn: string) =>
  extension.requests
    .filter((r) => decodeURIComponent(r.path).includes(`/lambdakit/${fn}/`))
    .map((r) => decodeURIComponent(r.path).replace(/^\/systemsmanager\/parameters\/get\?name=/, ''))
    .sort();

describe('ssmExtension(): SSM through the Parameters and Secrets extension', () => {
  it('gives the same config as GetParametersByPath, asking for each parameter the schema names, and its override', async () => {
    const fn = orders();
    const ctx = { invokedFunctionArn: arn(fn, 'prod') };
    const byExtension = await loadConfig(ctx, {
      schema: Settings,
      env: { ...extension.env },
      sources: [ssmExtension()],
    });
    const bySdk = await loadConfig(ctx, {
      schema: Settings,
      env: {},
      sources: [ssm({ client: new SSMClient({ ...local.clientConfig, maxAttempts: 1 }) })],
    });
    expect(byExtension).toEqual({
      currency: 'EUR',
      maxItems: 50,
      regions: ['eu-west-1', 'eu-central-1'],
      db: { host: 'db.local', password: 'hunter2-prod' },
    });
    expect(byExtension).toEqual(bySdk);
    expect(JSON.stringify(byExtension)).toBe(JSON.stringify(bySdk));
    const names = ['currency', 'maxItems', 'regions', 'db/host', 'db/password', 'db/port'];
    expect(asked(fn)).toEqual(
      [...names.map((n) => `/lambdakit/${fn}/${n}`), ...names.map((n) => `/lambdakit/${fn}/prod/${n}`)]
        .map((name) => `${name}&withDecryption=true`)
        .sort(),
    );
  });

  it('with a fallback, reads through the extension when it is there and the schema names every parameter', async () => {
    const fn = orders();
    const before = local.count('GetParametersByPath');
    const config = await loadConfig(
      { invokedFunctionArn: arn(fn) },
      { schema: Settings, env: { ...extension.env }, sources: [ssmExtension({ fallback: ssm() })] },
    );
    expect(config.maxItems).toBe(10);
    expect(asked(fn).length).toBeGreaterThan(0);
    expect(local.count('GetParametersByPath')).toBe(before);
  });

  it('with a fallback, reads by path through the SDK when the schema cannot name every parameter (a record)', async () => {
    const fn = newFunction({ 'limits/eu': '5', 'limits/us': '7' });
    const Limits = z.object({ limits: z.record(z.string(), z.coerce.number()) });
    const config = await loadConfig(
      { invokedFunctionArn: arn(fn) },
      {
        schema: Limits,
        env: { ...extension.env },
        sources: [
          ssmExtension({ fallback: ssm({ client: new SSMClient({ ...local.clientConfig, maxAttempts: 1 }) }) }),
        ],
      },
    );
    expect(config).toEqual({ limits: { eu: 5, us: 7 } });
    expect(asked(fn)).toEqual([]);
  });

  it('without a fallback, refuses a schema that cannot name every parameter, when the door is called', async () => {
    const Loose = z.object({ limits: z.record(z.string(), z.string()) });
    const sources = [ssmExtension()];
    const why =
      'ssmExtension() reads each parameter by name, so the schema must name them all: z.objects all the way down, no records, loose or catchall objects (or give it a fallback: ssm())';
    expect(() => config({ schema: Loose, sources, prefetch: false })).toThrow(
      new TypeError(`config({ sources }): ${why}`),
    );
    await expect(loadConfig({ invokedFunctionArn: arn('x') }, { schema: Loose, sources })).rejects.toThrow(
      new TypeError(`loadConfig({ sources }): ${why}`),
    );
  });

  it('fails with a clear error when the token is wrong, and when the extension is asked for without one', async () => {
    const fn = orders();
    const wrong = await loadConfig(
      { invokedFunctionArn: arn(fn) },
      {
        schema: Settings,
        env: { ...extension.env, AWS_SESSION_TOKEN: 'another-token' },
        sources: [ssmExtension()],
        retry: { attempts: 1 },
      },
    ).catch((error: ConfigError) => error);
    expect(wrong).toBeInstanceOf(ConfigError);
    expect((wrong as ConfigError).message).toContain('the Parameters and Secrets extension answered 401 for parameter');
    await expect(
      loadConfig({ invokedFunctionArn: arn(fn) }, { schema: Settings, env: {}, sources: [ssmExtension()] }),
    ).rejects.toThrow('the Parameters and Secrets extension needs AWS_SESSION_TOKEN');
    expect(() => ssmExtension({ fallback: 'ssm' as never })).toThrow(
      new TypeError('ssmExtension({ fallback }): expected a store such as ssm(), got ssm'),
    );
  });

  it('prefetches at config(), by the names of config()’s schema, before any invocation', async () => {
    const fn = orders();
    const middleware = config({
      schema: Settings,
      env: { ...extension.env, AWS_LAMBDA_FUNCTION_NAME: fn, AWS_REGION: 'us-east-1' },
      sources: [ssmExtension()],
    });
    expect(middleware.name).toBe('config');
    // No invocation yet: the base names were asked for at init (the qualifier is not known before one).
    await vi.waitFor(() => expect(asked(fn)).toHaveLength(6), { timeout: 10_000 });
    expect(asked(fn).every((name) => !name.includes('/prod/'))).toBe(true);
  }, 20_000);

  it('passes SSM’s own errors on: access denied through the extension fails the load, naming the parameter', async () => {
    const fn = orders();
    local.denyAccess(100);
    try {
      const error = await loadConfig(
        { invokedFunctionArn: arn(fn) },
        {
          schema: Settings,
          env: { ...extension.env },
          sources: [ssmExtension()],
          retry: { attempts: 1 },
        },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(
        /answered 400 for parameter \/lambdakit\/pfn-\d+\/\S+: AccessDeniedException/,
      );
    } finally {
      local.clearFaults();
    }
  });
});

describe('schemaLeafPaths()', () => {
  it('lists every parameter a schema names, through wrappers, transforms, unions and intersections of objects', () => {
    const schema = z
      .object({
        a: z.string().optional(),
        b: z.object({ c: z.coerce.number(), d: z.array(z.string()).default([]) }),
        mode: z.union([z.literal('x'), z.literal('y')]),
      })
      .and(z.object({ e: z.union([z.object({ f: z.string() }), z.object({ g: z.string() })]) }))
      .transform((value) => value);
    expect(schemaLeafPaths(schema)).toEqual([['a'], ['b', 'c'], ['b', 'd'], ['mode'], ['e', 'f'], ['e', 'g']]);
  });

  it.each([
    ['a record', z.object({ limits: z.record(z.string(), z.string()) })],
    ['a loose object', z.looseObject({ a: z.string() })],
    ['a catchall object', z.object({ a: z.object({ b: z.string() }).catchall(z.string()) })],
    ['a union of an object and a value', z.object({ a: z.union([z.string(), z.object({ b: z.string() })]) })],
    ['no object at all', z.string()],
  ])('cannot list them for %s', (_what, schema) => {
    expect(schemaLeafPaths(schema as z.ZodType)).toBeUndefined();
  });
});
