import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, lambdakit, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

describe('lambdakit invoke --local-aws', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('starts local SSM and DynamoDB seeded from files, points the real SDK clients at them, and stops them after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambdakit-local-aws-'));
    writeFileSync(join(dir, 'params.json'), JSON.stringify({ '/hello/greeting': 'hi from local SSM' }));
    writeFileSync(join(dir, 'tables.json'), JSON.stringify([{ tableName: 'greetings', partitionKey: 'id' }]));
    writeFileSync(
      join(dir, 'event.json'),
      JSON.stringify({ parameterName: '/hello/greeting', tableName: 'greetings' }),
    );
    const run = await lambdakit(
      [
        'invoke',
        'test/fixtures/local-aws.mjs',
        '--local-aws',
        '--params',
        join(dir, 'params.json'),
        '--tables',
        join(dir, 'tables.json'),
        '--event',
        join(dir, 'event.json'),
        '--timeout',
        '30',
      ],
      // Credentials of a real account in the shell must not reach the function.
      {
        env: {
          AWS_ACCESS_KEY_ID: 'AKIAREALKEY',
          AWS_SECRET_ACCESS_KEY: 'real',
          AWS_PROFILE: 'prod',
          AWS_SESSION_TOKEN: 'real-session',
        },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const [result] = jsonLines(run.stdout) as Array<{
      parameterValue: string;
      storedGreeting: string;
      endpoints: { ssm: string; dynamodb: string };
      accessKeyId: string;
      profile?: string;
      sessionToken?: string;
    }>;
    expect(result!.parameterValue).toBe('hi from local SSM');
    expect(result!.storedGreeting).toBe('hi from local SSM');
    expect(result!.endpoints.ssm).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result!.endpoints.dynamodb).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result!.accessKeyId).not.toBe('AKIAREALKEY');
    // Removed from the sandbox's environment, not only overridden.
    expect(result).not.toHaveProperty('profile');
    expect(result).not.toHaveProperty('sessionToken');
    expect(run.stderr).toContain(`SSM at ${result!.endpoints.ssm}, DynamoDB at ${result!.endpoints.dynamodb}`);
    // Torn down: nothing listens there any more.
    await expect(fetch(result!.endpoints.ssm, { method: 'POST' })).rejects.toThrow();
    await expect(fetch(result!.endpoints.dynamodb, { method: 'POST' })).rejects.toThrow();
  });

  it('seeds local Secrets Manager from --secrets, objects stored as their JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambdakit-local-aws-'));
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ '/lambdakit/orders': { db: { password: 'hunter2' } } }));
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ secretName: '/lambdakit/orders' }));
    const run = await lambdakit([
      'invoke',
      'test/fixtures/local-secrets.mjs',
      '--local-aws',
      '--secrets',
      join(dir, 'secrets.json'),
      '--event',
      join(dir, 'event.json'),
      '--timeout',
      '30',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const [result] = jsonLines(run.stdout) as Array<{ secret: unknown; endpoint: string }>;
    expect(result!.secret).toEqual({ db: { password: 'hunter2' } });
    expect(run.stderr).toContain(`Secrets Manager at ${result!.endpoint}`);
  });

  it('names a --secrets file in the wrong shape, exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambdakit-local-aws-'));
    writeFileSync(join(dir, 'secrets.json'), '{"/lambdakit/orders": ["a"]}');
    const run = await lambdakit([
      'invoke',
      'test/fixtures/echo.mjs',
      '--local-aws',
      '--secrets',
      join(dir, 'secrets.json'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `--secrets ${join(dir, 'secrets.json')}: "/lambdakit/orders": expected a string or a JSON object`,
    );
  });

  it('names a --tables file in the wrong shape, exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambdakit-local-aws-'));
    writeFileSync(join(dir, 'tables.json'), '{"greetings": {}}');
    const run = await lambdakit([
      'invoke',
      'test/fixtures/echo.mjs',
      '--local-aws',
      '--tables',
      join(dir, 'tables.json'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--tables ${join(dir, 'tables.json')}: expected an array of tables`);
  });

  it('refuses --params without --local-aws', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--params', 'params.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--params, --secrets, --tables and --payloads seed the local services: add --local-aws',
    );
  });
});
