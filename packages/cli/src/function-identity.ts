import { basename } from 'node:path';
import { parseArn } from '@lambdakit/core';
import { CliError } from './cli-error.js';
import type { InvokeCommandOptions } from './invoke-command.js';

/** Who the invoked function is: its name, the version that runs, and the ARN it was invoked by. */
export interface FunctionIdentity {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
}

/**
 * The function's name (`--function-name`, else the current directory's), its version and its ARN,
 * qualified by `--qualifier` and checked as Lambda would check it.
 */
export function functionIdentity(
  options: Pick<InvokeCommandOptions, 'functionName' | 'qualifier' | 'region' | 'accountId'>,
  cwd: string,
): FunctionIdentity {
  const functionName = options.functionName ?? defaultFunctionName(cwd);
  const unqualified = `arn:aws:lambda:${options.region}:${options.accountId}:function:${functionName}`;
  const { qualifier } = options;
  const invokedFunctionArn = qualifier === undefined ? unqualified : `${unqualified}:${qualifier}`;
  try {
    parseArn(invokedFunctionArn);
  } catch (error) {
    throw new CliError('CLI_USAGE', `--function-name/--qualifier/--region/--account-id: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // An alias or $LATEST runs the unpublished code here: version $LATEST.
  const functionVersion = qualifier !== undefined && /^\d+$/.test(qualifier) ? qualifier : '$LATEST';
  return { functionName, functionVersion, invokedFunctionArn };
}

function defaultFunctionName(cwd: string): string {
  const name = basename(cwd)
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 64);
  return name === '' ? 'function' : name;
}
