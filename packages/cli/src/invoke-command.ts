import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArn } from '@lambdakit/core';
import { deadLetterUnsettled, invokeAsync } from './async-invocation.js';
import { chooseRuntime } from './choose-runtime.js';
import { CliError, EXIT_FUNCTION_ERROR, EXIT_OK } from './cli-error.js';
import { type CommandIo, invokeOnce, payloadOf, type Run, stopSandboxes } from './invoke-run.js';
import { RESERVED_VARIABLES } from './lambda-environment.js';
import { type LocalAws, startLocalAws } from './local-aws.js';
import { readEnvFile } from './read-env-file.js';
import { type EventPayload, readEvent } from './read-event.js';
import { resolveTarget } from './resolve-target.js';

export type { CommandIo } from './invoke-run.js';
export type { FunctionTarget } from './resolve-target.js';
export { resolveTarget } from './resolve-target.js';

/** Options of `lambdakit invoke`, as parsed from the command line. */
export interface InvokeCommandOptions {
  event?: string;
  eventSource?: string;
  timeout: number;
  memory: number;
  functionName?: string;
  qualifier?: string;
  region: string;
  accountId: string;
  envFile?: string;
  repeat: number;
  concurrency?: number;
  async: boolean;
  retryDelay: number;
  maxRetries: number;
  dlqDir: string;
  localAws: boolean;
  params?: string;
  tables?: string;
  logFormat: 'text' | 'json';
  /** `nodejs22.x` or `nodejs24.x` (the default): whose behaviour to reproduce. */
  runtime?: string;
  /** `lambdakit` (the default) or `aws`: run the function under AWS's own runtime interface client. */
  runtimeClient?: string;
}

/** Lambda's limit on a synchronous (RequestResponse) invocation's request payload. */
export const MAX_SYNC_REQUEST_BYTES = 6_291_456;
/** Lambda's limit on an asynchronous (Event) invocation's payload, 1 MB since October 2025. */
export const MAX_ASYNC_REQUEST_BYTES = 1_048_576;

/**
 * `lambdakit invoke`: runs the function in a sandbox process with Lambda's environment,
 * context, deadline, platform lines and error shape. Resolves with the exit code.
 */
export async function invokeCommand(target: string, options: InvokeCommandOptions, io: CommandIo): Promise<number> {
  const resolved = await resolveTarget(target, io.cwd);
  const choice = chooseRuntime(options, io.cwd);
  const functionName = options.functionName ?? defaultFunctionName(io.cwd);
  const qualifier = options.qualifier;
  const unqualifiedArn = `arn:aws:lambda:${options.region}:${options.accountId}:function:${functionName}`;
  const invokedFunctionArn = qualifier === undefined ? unqualifiedArn : `${unqualifiedArn}:${qualifier}`;
  try {
    parseArn(invokedFunctionArn);
  } catch (error) {
    throw new CliError(`--function-name/--qualifier/--region/--account-id: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // An alias or $LATEST runs the unpublished code here: version $LATEST.
  const functionVersion = qualifier !== undefined && /^\d+$/.test(qualifier) ? qualifier : '$LATEST';
  const event = await readEvent(options, io.stdin);
  const fileEnv = options.envFile === undefined ? {} : await readEnvFile(options.envFile);
  for (const note of choice.notes) io.stderr.write(`lambdakit: note: ${note}\n`);
  if (resolved.shadowedBy !== undefined) {
    io.stderr.write(
      `lambdakit: note: Lambda loads ${resolved.shadowedBy} for the handler "${resolved.handler}", not ${target.split('#')[0]}\n`,
    );
  }
  // Lambda refuses a request over its payload limit before anything runs: the caller gets the error.
  const tooLarge = requestTooLarge(event, options.async);
  if (tooLarge !== undefined) {
    io.stderr.write(`lambdakit: RequestEntityTooLargeException: ${tooLarge}\n`);
    io.stdout.write(`${JSON.stringify({ errorType: 'RequestEntityTooLargeException', errorMessage: tooLarge })}\n`);
    return EXIT_FUNCTION_ERROR;
  }

  let localAws: LocalAws | undefined;
  if (options.localAws) {
    localAws = await startLocalAws({
      region: options.region,
      ...(options.params === undefined ? {} : { paramsFile: options.params }),
      ...(options.tables === undefined ? {} : { tablesFile: options.tables }),
    });
    io.stderr.write(
      `lambdakit: local AWS: SSM at ${localAws.env.AWS_ENDPOINT_URL_SSM}, DynamoDB at ${localAws.env.AWS_ENDPOINT_URL_DYNAMODB}\n`,
    );
  } else if (options.params !== undefined || options.tables !== undefined) {
    throw new CliError('--params and --tables seed the local services: add --local-aws');
  }

  const env: NodeJS.ProcessEnv = { ...process.env };
  // Lambda's own variables come from the options, never from the shell that runs the CLI.
  for (const key of RESERVED_VARIABLES) delete env[key];
  Object.assign(env, fileEnv);
  if (localAws !== undefined) {
    // A profile or session token from the shell would send the SDK to a real account.
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    Object.assign(env, localAws.env);
  }
  const run: Run = {
    target: resolved,
    io,
    env,
    event,
    runtime: choice.runtime,
    runtimeClient: choice.client,
    functionName,
    functionVersion,
    invokedFunctionArn,
    memoryMb: options.memory,
    region: options.region,
    timeoutMs: Math.round(options.timeout * 1000),
    logFormat: options.logFormat,
    concurrency: options.concurrency,
    async: { retryDelay: options.retryDelay, maxRetries: options.maxRetries, dlqDir: options.dlqDir },
    sandboxes: new Set(),
    current: undefined,
    interrupted: false,
    interruption: undefined,
    unsettled: new Map(),
  };

  const interrupt = (signal: NodeJS.Signals) => {
    run.interrupted = true;
    // "Nothing lost": an async event still running or waiting for a retry goes to the
    // dead-letter directory before the sandboxes are killed and the CLI exits.
    run.interruption = deadLetterUnsettled(run, signal)
      .then(async (letters) => {
        await shutdown(run, localAws);
        // Once the sandboxes are gone no outcome can arrive: an event whose attempt succeeded in
        // the meantime has its answer printed, and its dead letter would make a replay run it twice.
        for (const { requestId, file, unsettled } of letters) {
          if (!unsettled.succeeded) continue;
          await rm(file, { force: true });
          run.io.stderr.write(
            `lambdakit: ${requestId} succeeded while being interrupted; its dead letter was removed\n`,
          );
        }
      })
      .then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let failed = false;
  try {
    const concurrency = options.concurrency ?? 1;
    for (let round = 0; round < options.repeat; round++) {
      const results = await Promise.all(
        Array.from({ length: concurrency }, () =>
          options.async ? invokeAsync(run, randomUUID()) : invokeSync(run, randomUUID()),
        ),
      );
      if (results.includes(false)) failed = true;
    }
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    // Interrupted while the last invocations settled: the signal handler finishes (its dead
    // letters, their clean-up) and exits with 130; returning now would cut it short.
    if (run.interruption !== undefined) await run.interruption;
    await shutdown(run, localAws);
  }
  return failed ? EXIT_FUNCTION_ERROR : EXIT_OK;
}

/** Lambda's `RequestEntityTooLargeException` message for an event over the invocation type's limit. */
function requestTooLarge(event: EventPayload, async: boolean): string | undefined {
  const bytes = Buffer.byteLength(event.text);
  if (async && bytes > MAX_ASYNC_REQUEST_BYTES) {
    return `${bytes} byte payload is too large for the Event invocation type (limit ${MAX_ASYNC_REQUEST_BYTES} bytes)`;
  }
  if (!async && bytes > MAX_SYNC_REQUEST_BYTES) {
    return `Request must be smaller than ${MAX_SYNC_REQUEST_BYTES} bytes for the InvokeFunction operation`;
  }
  return undefined;
}

async function shutdown(run: Run, localAws: LocalAws | undefined): Promise<void> {
  await stopSandboxes(run);
  await localAws?.stop();
}

function defaultFunctionName(cwd: string): string {
  const name = basename(cwd)
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 64);
  return name === '' ? 'function' : name;
}

/** A synchronous (RequestResponse) invocation: the payload on stdout. True on success. */
async function invokeSync(run: Run, requestId: string): Promise<boolean> {
  const outcome = await invokeOnce(run, requestId);
  if (run.interrupted) return false;
  run.io.stdout.write(`${payloadOf(outcome)}\n`);
  return outcome.status === 'success';
}
