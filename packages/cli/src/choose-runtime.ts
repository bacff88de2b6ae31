import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './cli-error.js';
import { DEFAULT_RUNTIME, LAMBDA_RUNTIMES, type LambdaRuntime } from './runtime/runtime-generation.js';
import type { RuntimeClient } from './sandbox.js';

/** `--runtime` and `--runtime-client`, resolved: whose behaviour to reproduce, with which runtime client. */
export interface RuntimeChoice {
  runtime: LambdaRuntime;
  client: RuntimeClient;
  /** One-line notes for the user (a local Node that differs from the runtime's, a client of another generation). */
  notes: string[];
}

/** The major Node.js version each runtime runs. */
const NODE_MAJOR: Record<LambdaRuntime, number> = { 'nodejs22.x': 22, 'nodejs24.x': 24 };

/**
 * Checks `--runtime` and finds AWS's runtime interface client for `--runtime-client aws`: the
 * folder in `LAMBDAKIT_AWS_LAMBDA_RIC`, else `aws-lambda-ric` as installed for the function's project.
 */
export function chooseRuntime(
  options: { runtime?: string; runtimeClient?: string; concurrency?: number | undefined },
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): RuntimeChoice {
  const runtime = options.runtime ?? DEFAULT_RUNTIME;
  if (!(LAMBDA_RUNTIMES as readonly string[]).includes(runtime)) {
    throw new CliError('CLI_USAGE', `--runtime ${runtime}: expected one of ${LAMBDA_RUNTIMES.join(', ')}`);
  }
  const chosen = runtime as LambdaRuntime;
  const notes: string[] = [];
  const localMajor = Number(process.versions.node.split('.')[0]);
  if (localMajor !== NODE_MAJOR[chosen]) {
    notes.push(
      `emulating ${chosen} on Node ${process.versions.node}: the runtime's behaviour is reproduced, the language and Node APIs are this Node's (Lambda runs Node ${NODE_MAJOR[chosen]})`,
    );
  }
  const client = options.runtimeClient ?? 'lambdakit';
  if (client === 'lambdakit') return { runtime: chosen, client: { kind: 'lambdakit' }, notes };
  if (client !== 'aws') throw new CliError('CLI_USAGE', `--runtime-client ${client}: expected lambdakit or aws`);
  if (localMajor < 22) {
    throw new CliError(
      'CLI_SETUP_FAILED',
      `--runtime-client aws: AWS's runtime client (aws-lambda-ric) needs Node 22 or later; this is Node ${process.versions.node}`,
    );
  }
  const ricDir = findRuntimeClient(cwd, env);
  const { version } = JSON.parse(readFileSync(join(ricDir, 'package.json'), 'utf8')) as { version: string };
  // nodejs22.x runs the 3.x client, except under Managed Instances (multi-concurrency), which run 4.x.
  const expectedMajor = chosen === 'nodejs22.x' && options.concurrency === undefined ? 3 : 4;
  if (Number(version.split('.')[0]) !== expectedMajor) {
    notes.push(
      `Lambda's ${chosen}${options.concurrency === undefined ? '' : ' under multi-concurrency'} runs aws-lambda-ric ${expectedMajor}.x; this is ${version}, whose behaviour you will see`,
    );
  }
  return { runtime: chosen, client: { kind: 'aws', ricDir }, notes };
}

function findRuntimeClient(cwd: string, env: NodeJS.ProcessEnv): string {
  const configured = env.LAMBDAKIT_AWS_LAMBDA_RIC;
  if (configured !== undefined && configured !== '') {
    const dir = resolve(cwd, configured);
    try {
      readFileSync(join(dir, 'package.json'));
      return dir;
    } catch {
      throw new CliError('CLI_SETUP_FAILED', `LAMBDAKIT_AWS_LAMBDA_RIC=${configured}: no aws-lambda-ric package there`);
    }
  }
  try {
    return dirname(createRequire(join(cwd, 'package.json')).resolve('aws-lambda-ric/package.json'));
  } catch {
    throw new CliError(
      'CLI_SETUP_FAILED',
      '--runtime-client aws: aws-lambda-ric is not installed for this project. Install it (npm install --save-dev aws-lambda-ric; a native build that needs Node 22+, cmake, make and g++, Linux only) or point LAMBDAKIT_AWS_LAMBDA_RIC at its folder',
    );
  }
}
