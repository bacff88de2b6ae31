import type { Requirement } from './available.js';

/** Which local servers a variant's handler talks to. */
export type Server = 'ssm' | 'dynamo' | 'secrets';

/** A handler variant: a module under src/variants exporting `handler`. */
export interface VariantSpec {
  /** Unique within its stack. */
  id: string;
  label: string;
  /** Path under src/variants, without extension. */
  entry: string;
  requires: Requirement[];
  servers: Server[];
}

/** A set of variants running the same business logic, compared with each other. */
export interface Stack {
  id: string;
  title: string;
  /** The id of the variant ratios are taken against. */
  baseline: string;
  /** Further reference variants for a second ratio column (Powertools, Middy). */
  references: string[];
  variants: VariantSpec[];
}

const localSsm: Requirement = { pkg: '@lambdakit/testing', exports: ['startLocalSsm'] };
const localDynamo: Requirement = { pkg: '@lambdakit/testing', exports: ['startLocalDynamo'] };
const lambdakitApi: Requirement[] = ['@lambdakit/logger', '@lambdakit/parser', '@lambdakit/config', localSsm];

/** Order logic (JSON.parse + zod + one pino line) under different wrappers: what core costs. */
export const coreStack: Stack = {
  id: 'core',
  title: 'core stack: order logic wrapped by nothing / lambda() / Middy',
  baseline: 'bare',
  references: ['middy'],
  variants: [
    { id: 'bare', label: 'bare async handler', entry: 'core/bare', requires: [], servers: [] },
    {
      id: 'lambda+timeout',
      label: 'lambdakit `lambda()` + `timeout()`',
      entry: 'core/lambda-timeout',
      requires: [],
      servers: [],
    },
    { id: 'middy', label: '`@middy/core` (defaults)', entry: 'core/middy', requires: [], servers: [] },
  ],
};

/**
 * The API order handler with a logger, body parsing and validation, and configuration read
 * once from SSM and memoized: issue 10's "full stack" (idempotency is measured separately,
 * as its cost is DynamoDB round trips, not CPU).
 */
export const apiStack: Stack = {
  id: 'api',
  title: 'api stack: logger + parse + memoized SSM config',
  baseline: 'bare',
  references: ['floor', 'powertools', 'middy'],
  variants: [
    {
      id: 'bare',
      label: 'bare (JSON.parse + zod + pino + hand-written SSM config)',
      entry: 'api/bare',
      requires: [localSsm],
      servers: ['ssm'],
    },
    {
      id: 'floor',
      label: 'floor: the lambdakit stack’s work written by hand (same line, envelope, 400, config, deadline)',
      entry: 'api/floor',
      requires: [localSsm],
      servers: ['ssm'],
    },
    {
      id: 'middy',
      label: '`@middy/core` + small hand-written middlewares',
      entry: 'api/middy',
      requires: [localSsm],
      servers: ['ssm'],
    },
    {
      id: 'powertools',
      label: 'Powertools logger + parser + parameters on Middy',
      entry: 'api/powertools',
      requires: [localSsm],
      servers: ['ssm'],
    },
    {
      id: 'lambdakit',
      label: 'lambdakit logger + timeout + parse + config',
      entry: 'api/lambdakit',
      requires: lambdakitApi,
      servers: ['ssm'],
    },
  ],
};

/** The API stack plus idempotency records in DynamoDB (Powertools and lambdakit only). */
export const idempotentStack: Stack = {
  id: 'api-idempotent',
  title: 'api stack + idempotency on DynamoDB',
  baseline: 'bare',
  references: ['powertools'],
  variants: [
    {
      id: 'bare',
      label: 'bare api handler, no idempotency (reference)',
      entry: 'api/bare',
      requires: [localSsm],
      servers: ['ssm'],
    },
    {
      id: 'powertools',
      label: 'Powertools logger + parser + parameters + idempotency on Middy',
      entry: 'api/powertools-idempotent',
      requires: [localSsm, localDynamo],
      servers: ['ssm', 'dynamo'],
    },
    {
      id: 'lambdakit',
      label: 'lambdakit logger + timeout + parse + config + idempotency',
      entry: 'api/lambdakit-idempotent',
      requires: [...lambdakitApi, '@lambdakit/idempotency', localDynamo],
      servers: ['ssm', 'dynamo'],
    },
  ],
};

/** Every stack, in report order. */
export const stacks: Stack[] = [coreStack, apiStack, idempotentStack];

/** The variants of `stack` that can run now, and what the others await. */
export async function selectVariants(stack: Stack): Promise<{ ready: VariantSpec[]; awaiting: string[] }> {
  const { missing } = await import('./available.js');
  const ready: VariantSpec[] = [];
  const awaiting: string[] = [];
  for (const v of stack.variants) {
    const absent = await missing(v.requires);
    if (absent.length === 0) ready.push(v);
    else awaiting.push(`${stack.id}/${v.id} needs ${absent.join(', ')}`);
  }
  // Without its baseline a stack has nothing to compare against.
  if (!ready.some((v) => v.id === stack.baseline)) return { ready: [], awaiting };
  return { ready, awaiting };
}
