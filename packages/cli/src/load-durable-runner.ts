import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError } from './cli-error.js';

/** AWS's local durable-execution runner, as `lambdakit invoke --durable` drives it. */
export type DurableTesting = typeof import('@aws/durable-execution-sdk-js-testing');

const PACKAGE = '@aws/durable-execution-sdk-js-testing';

/**
 * Loads AWS's local durable runner: installed beside the CLI, or in the function's project (the
 * folder the command runs in). It is an optional peer of the CLI, needed by `--durable` only.
 */
export async function loadDurableRunner(cwd: string): Promise<DurableTesting> {
  try {
    return await import(PACKAGE);
  } catch (error) {
    if (!isNotFound(error)) throw setupFailed(error);
  }
  let path: string;
  try {
    path = createRequire(join(cwd, 'package.json')).resolve(PACKAGE);
  } catch (error) {
    if (!isNotFound(error)) throw setupFailed(error);
    throw new CliError(
      'CLI_SETUP_FAILED',
      `--durable runs the function through AWS's local durable runner, which is not installed: npm install --save-dev ${PACKAGE}`,
    );
  }
  try {
    return (await import(pathToFileURL(path).href)) as DurableTesting;
  } catch (error) {
    throw setupFailed(error);
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

function setupFailed(error: unknown): CliError {
  return new CliError('CLI_SETUP_FAILED', `cannot load ${PACKAGE}: ${(error as Error).message}`, { cause: error });
}
