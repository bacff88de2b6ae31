import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type InvocationContext, type LambdaContext, lambda, type Middleware } from '@lambdakit/core';
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { config } from './config.js';
import type { ConfigStore } from './config-store.js';
import { encryptedEnv } from './encrypted-env.js';
import { loadConfig } from './load-config.js';
import { refreshOnAuthFailure } from './refresh-on-auth-failure.js';
import { secrets } from './secrets.js';
import { ssm } from './ssm-source.js';

const Settings = z.object({
  db: z.object({ host: z.string(), port: z.coerce.number() }),
  hosts: z.array(z.string()),
  debug: z.stringbool().default(false),
});
type Settings = { db: { host: string; port: number }; hosts: string[]; debug: boolean };

describe('config types', () => {
  it('types ctx.config from the schema’s output', () => {
    lambda()
      .use(config({ schema: Settings }))
      .handle((_event, ctx) => {
        expectTypeOf(ctx.config).toEqualTypeOf<Settings>();
        expectTypeOf(ctx).toExtend<InvocationContext>();
        return null;
      });
  });

  it('declares a middleware that leaves the event unchanged and adds config', () => {
    expectTypeOf(config({ schema: Settings })).toEqualTypeOf<Middleware<unknown, unknown, { config: Settings }>>();
    lambda()
      .use(config({ schema: Settings }))
      .handle((event) => {
        expectTypeOf(event).toBeUnknown();
        return null;
      });
  });

  it('follows transforms: ctx.config is what the schema outputs, not its input', () => {
    const Url = z.object({ endpoint: z.string() }).transform((c) => new URL(c.endpoint));
    lambda()
      .use(config({ schema: Url }))
      .handle((_event, ctx) => {
        expectTypeOf(ctx.config).toEqualTypeOf<URL>();
        return null;
      });
    expectTypeOf(loadConfig({ invokedFunctionArn: '' }, { schema: Url })).toEqualTypeOf<Promise<URL>>();
  });

  it('takes lambdakit’s ctx, Lambda’s own context, or an ARN alone as the invocation', () => {
    lambda().handle(async (_event, ctx) => {
      expectTypeOf(await loadConfig(ctx, { schema: Settings })).toEqualTypeOf<Settings>();
      return null;
    });
    const context = {} as LambdaContext;
    expectTypeOf(loadConfig(context, { schema: Settings })).toEqualTypeOf<Promise<Settings>>();
    const signal = new AbortController().signal;
    expectTypeOf(
      loadConfig({ invokedFunctionArn: context.invokedFunctionArn, signal }, { schema: Settings }),
    ).toEqualTypeOf<Promise<Settings>>();
  });

  it('has no onWarning: warnings leave through process warnings', () => {
    // @ts-expect-error no per-package warning hook
    config({ schema: Settings, onWarning: () => {} });
  });

  it('has no ctx.config without the middleware', () => {
    lambda().handle((_event, ctx) => {
      // @ts-expect-error config is only on ctx after .use(config(...))
      ctx.config;
      return null;
    });
  });

  it('requires a zod schema and an ARN for loadConfig', () => {
    const ctx = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' };
    // @ts-expect-error schema is required
    loadConfig(ctx, {});
    // @ts-expect-error the invocation's ARN is required
    loadConfig({}, { schema: Settings });
    // @ts-expect-error the signal comes with the invocation, not the options
    loadConfig(ctx, { schema: Settings, signal: AbortSignal.abort() });
    // @ts-expect-error the schema must be a zod schema
    config({ schema: { parse: () => 1 } });
    // @ts-expect-error maxAgeSeconds is a number
    config({ schema: Settings, maxAgeSeconds: '60' });
  });
});

describe('config() takes an object schema only', () => {
  it('refuses a schema of a string, a number or an array', () => {
    // @ts-expect-error a configuration is an object of keys
    config({ schema: z.string() });
    // @ts-expect-error nor a number
    loadConfig({ invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' }, { schema: z.number() });
    // @ts-expect-error nor an array
    config({ schema: z.array(z.string()) });
  });

  it('takes objects, refined, transformed, and unions of objects', () => {
    const Db = z.object({ host: z.string() });
    config({ schema: Db });
    config({ schema: Db.refine((db) => db.host !== '') });
    config({ schema: Db.transform((db) => db.host) });
    config({ schema: z.union([Db, z.object({ mode: z.literal('a') })]) });
  });
});

describe('secrets: the stores of sources', () => {
  it('takes stores made by ssm(), secrets() and encryptedEnv(); the config type is the schema’s', () => {
    const Secret = z.object({ db: z.object({ password: z.string() }) });
    const ctx = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f' };
    expectTypeOf(
      loadConfig(ctx, {
        schema: Secret,
        sources: [
          ssm(),
          secrets({ client: new SecretsManagerClient({}) }),
          encryptedEnv({ 'db.password': 'DB_PASSWORD' }, { client: new KMSClient({}) }),
        ],
      }),
    ).resolves.toEqualTypeOf<{ db: { password: string } }>();
    expectTypeOf(secrets()).toEqualTypeOf<ConfigStore>();
    // @ts-expect-error a store is made by its function, not named
    config({ schema: Secret, sources: ['secrets'] });
    // @ts-expect-error encrypted variables are named by key path, each a variable name
    encryptedEnv({ 'db.password': 1 });
    // @ts-expect-error a Secrets Manager client, not a name
    secrets({ client: 'client' });
  });
});

describe('refreshOnAuthFailure', () => {
  it('gives fn the config typed as the schema, and returns what fn returns', () => {
    const Db = z.object({ db: z.object({ password: z.string() }) });
    lambda()
      .use(config({ schema: Db }))
      .handle(async (_event, ctx) => {
        const result = refreshOnAuthFailure(ctx, (settings) => {
          expectTypeOf(settings).toEqualTypeOf<{ db: { password: string } }>();
          return settings.db.password.length;
        });
        expectTypeOf(result).toEqualTypeOf<Promise<number>>();
        // @ts-expect-error isAuthFailure is a predicate
        refreshOnAuthFailure(ctx, () => 1, { isAuthFailure: 'yes' });
      });
  });
});
