import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';

/** Reads a UTF-8 file the user named with `option`; a failure is a `CLI_INVALID_INPUT` naming both. */
export async function readInputFile(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      'CLI_INVALID_INPUT',
      `${option} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`,
      { file, cause: error },
    );
  }
}
