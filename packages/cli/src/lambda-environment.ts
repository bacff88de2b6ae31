import { randomBytes } from 'node:crypto';
import type { LambdaRuntime } from './runtime/runtime-generation.js';

/** What the Lambda environment of a sandbox is built from. */
export interface LambdaEnvironmentOptions {
  functionName: string;
  functionVersion: string;
  memoryMb: number;
  region: string;
  /** `_HANDLER`, as Lambda sets it from the function's handler setting. */
  handler: string;
  /** The function's code directory (`LAMBDA_TASK_ROOT`). */
  taskRoot: string;
  /** The runtime whose behaviour the sandbox reproduces (`AWS_EXECUTION_ENV`). */
  runtime: LambdaRuntime;
  /** `AWS_LAMBDA_MAX_CONCURRENCY`, for Lambda Managed Instances' multi-concurrency. */
  maxConcurrency?: number;
  logFormat: 'text' | 'json';
}

/** The variables Lambda itself sets: an `--env-file` may not override them (Lambda rejects them too). */
export const RESERVED_VARIABLES: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_LAMBDA_LOG_FORMAT',
  'AWS_LAMBDA_MAX_CONCURRENCY',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/**
 * The execution role's credentials, reserved by Lambda too: a function's configuration cannot set
 * them, so neither can an `--env-file`. Locally the function gets the credentials of the shell
 * that runs the CLI (or, with `--local-aws`, the local services' own). `TZ` (unreserved since
 * 2023) and `NODE_OPTIONS` (Lambda documents setting it, e.g. `--enable-source-maps`) are not.
 */
export const CREDENTIAL_VARIABLES: ReadonlySet<string> = new Set([
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
]);

/**
 * The environment variables Lambda sets in a sandbox, one log stream per sandbox named as
 * Lambda names them (`YYYY/MM/DD/[version]<32 hex>`).
 */
export function lambdaEnvironment(options: LambdaEnvironmentOptions): Record<string, string> {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const env: Record<string, string> = {
    _HANDLER: options.handler,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${options.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: options.functionVersion,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[${options.functionVersion}]${randomBytes(16).toString('hex')}`,
    LAMBDA_TASK_ROOT: options.taskRoot,
  };
  if (options.logFormat === 'json') env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
  if (options.maxConcurrency !== undefined) env.AWS_LAMBDA_MAX_CONCURRENCY = String(options.maxConcurrency);
  return env;
}

/**
 * An X-Ray trace header as Lambda passes one per invocation in `_X_AMZN_TRACE_ID`: `Sampled=1`
 * when the run traces (`--trace`, as with active tracing), else `Sampled=0`.
 */
export function traceHeader(sampled = false): string {
  // X-Ray trace id: version 1, the epoch seconds in 8 hex digits, 96 random bits.
  const epoch = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=${sampled ? 1 : 0}`;
}
