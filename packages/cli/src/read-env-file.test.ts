import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { readEnvFile } from './read-env-file.js';

function envFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lambdakit-env-')), '.env');
  writeFileSync(file, text);
  return file;
}

describe('readEnvFile', () => {
  it('reads KEY=value lines, comments, quotes and export', async () => {
    const file = envFile('# settings\nA=1\nexport B="two words"\nC=\'x=y\'\n');
    await expect(readEnvFile(file)).resolves.toEqual({ A: '1', B: 'two words', C: 'x=y' });
  });

  it.each([
    'AWS_ACCESS_KEY',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SECRET_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_SECURITY_TOKEN',
  ])('refuses %s, the execution role’s credentials, naming the line', async (key) => {
    const file = envFile(`A=1\n  export ${key}=AKIAEXAMPLE\n`);
    const error = await readEnvFile(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ code: 'CLI_INVALID_INPUT', file });
    expect((error as CliError).message).toBe(
      `--env-file ${file}:2: ${key} is reserved: Lambda sets it from the execution role; locally the function gets the credentials of the shell that runs lambdakit`,
    );
    // The value is not repeated in the message.
    expect((error as CliError).message).not.toContain('AKIAEXAMPLE');
  });

  it.each(['AWS_REGION', '_HANDLER', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT'])(
    'refuses %s, which Lambda sets',
    async (key) => {
      const file = envFile(`${key}=x\n`);
      await expect(readEnvFile(file)).rejects.toThrow(`${file}:1: ${key} is reserved: Lambda sets it`);
    },
  );

  it('accepts NODE_OPTIONS and TZ, which a function configuration may set', async () => {
    const file = envFile('NODE_OPTIONS=--enable-source-maps\nTZ=Europe/Paris\n');
    await expect(readEnvFile(file)).resolves.toEqual({ NODE_OPTIONS: '--enable-source-maps', TZ: 'Europe/Paris' });
  });
});
