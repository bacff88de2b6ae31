import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { type App, Aws } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testStack } from '../test/test-stack.js';
import { IdempotencyTable, LambdakitFunction, resolveLocalRun } from './index.js';
import { dotenvValue } from './resolve-local-run.js';

describe('resolveLocalRun', () => {
  it('gives tables their logical ids, the pseudo parameters the local run’s values, and lists what only a deploy knows', () => {
    const stack = testStack();
    const queue = new Queue(stack, 'Jobs');
    const fn = new LambdakitFunction(stack, 'Fn', {
      entry: fileURLToPath(new URL('../test/fixtures/idempotent.ts', import.meta.url)),
      idempotencyTable: new IdempotencyTable(stack, 'Records'),
      config: { values: { origins: ['https://a.example', 'https://b.example'] } },
      environment: { MODE: "it's `live`", REGION: Aws.REGION, JOBS_URL: queue.queueUrl, JOBS_ARN: queue.queueArn },
    });
    const run = resolveLocalRun(
      fn.node.root.node.children.length ? (fn.node.root as App).synth() : (undefined as never),
      fn,
    );
    expect(run.environment).toEqual({
      MODE: "it's `live`",
      REGION: 'us-east-1',
      IDEMPOTENCY_TABLE: expect.stringMatching(/^Records/),
    });
    expect(run.unresolved.sort()).toEqual(['JOBS_ARN', 'JOBS_URL']);
    expect(run.tables).toEqual([
      { tableName: run.environment.IDEMPOTENCY_TABLE, partitionKey: 'id', timeToLiveAttribute: 'expiration' },
    ]);
    expect(run.parameters).toEqual({
      [`/lambdakit/${run.functionName}/origins`]: ['https://a.example', 'https://b.example'],
    });
    expect(run.handler).toBe('handler');
    expect(run.file).toMatch(/asset\.[0-9a-f]{64}\/index\.mjs$/);
  });

  it('writes env values that Node’s parseEnv (behind --env-file) reads back unchanged, and refuses what it cannot carry', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((v) => !/[\r\n]/.test(v) && !(v.includes("'") && v.includes('`'))),
        (value) => {
          expect(parseEnv(`KEY=${dotenvValue('KEY', value)}\n`).KEY).toBe(value);
        },
      ),
    );
    expect(() => dotenvValue('KEY', 'a\nb')).toThrow(/variable KEY holds a line break/);
    expect(() => dotenvValue('KEY', "'`")).toThrow(/variable KEY/);
  });
});
