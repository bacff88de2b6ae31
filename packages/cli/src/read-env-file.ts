import { parseEnv } from 'node:util';
import { CliError } from './cli-error.js';
import { CREDENTIAL_VARIABLES, RESERVED_VARIABLES } from './lambda-environment.js';
import { readInputFile } from './read-input-file.js';

/**
 * Reads a dotenv-style file (`KEY=value`, `#` comments, quoted values, as Node's `--env-file`
 * reads it) into the function's environment variables. Lambda's reserved variables are refused,
 * the execution role's credentials among them.
 */
export async function readEnvFile(file: string): Promise<Record<string, string>> {
  const text = await readInputFile(file, '--env-file');
  const parsed = parseEnv(text);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    const credential = CREDENTIAL_VARIABLES.has(key);
    if (credential || RESERVED_VARIABLES.has(key)) {
      const line =
        text.split('\n').findIndex((row) =>
          row
            .trimStart()
            .replace(/^export\s+/, '')
            .startsWith(`${key}=`),
        ) + 1;
      const why = credential
        ? 'Lambda sets it from the execution role; locally the function gets the credentials of the shell that runs lambdakit'
        : 'Lambda sets it (use the matching option instead)';
      throw new CliError(
        'CLI_INVALID_INPUT',
        `--env-file ${file}${line > 0 ? `:${line}` : ''}: ${key} is reserved: ${why}`,
        { file },
      );
    }
    env[key] = value;
  }
  return env;
}
