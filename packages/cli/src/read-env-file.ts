import { readFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';
import { CliError } from './cli-error.js';
import { RESERVED_VARIABLES } from './lambda-environment.js';

/**
 * Reads a dotenv-style file (`KEY=value`, `#` comments, quoted values, as Node's `--env-file`
 * reads it) into the function's environment variables. Lambda's reserved variables are refused.
 */
export async function readEnvFile(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`--env-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`, {
      file,
      cause: error,
    });
  }
  const parsed = parseEnv(text);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    if (RESERVED_VARIABLES.has(key)) {
      const line =
        text.split('\n').findIndex((row) =>
          row
            .trimStart()
            .replace(/^export\s+/, '')
            .startsWith(`${key}=`),
        ) + 1;
      throw new CliError(
        `--env-file ${file}${line > 0 ? `:${line}` : ''}: ${key} is reserved: Lambda sets it (use the matching option instead)`,
        { file },
      );
    }
    env[key] = value;
  }
  return env;
}
