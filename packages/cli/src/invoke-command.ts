import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArn } from '@lambdakit/core';
import { deadLetterUnsettled, invokeAsync } from './async-invocation.js';
import { chooseRuntime } from './choose-runtime.js';
import { CliError, EXIT_FUNCTION_ERROR, EXIT_OK } from './cli-error.js';
import { checkDeadLetterDir } from './dead-letter.js';
import { type CommandIo, invokeOnce, type Run, stopSandboxes, writePayload } from './invoke-run.js';
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
  /** `context.clientContext`: a JSON object, as a mobile SDK's `ClientContext`. */
  clientContext?: string;
  /** `context.tenantId`, for a function with tenant isolation. */
  tenantId?: string;
}

/** Lambda's limit on a synchronous (RequestResponse) invocation's request payload. */
export const MAX_SYNC_REQUEST_BYTES = 6_291_456;
/** Lambda's limit on an asynchronous (Event) invocation's payload, 1 MB since October 2025. */
export const MAX_ASYNC_REQUEST_BYTES = 1_048_576;
/** Lambda's limit on an invocation's `ClientContext`, base64-encoded. */
const MAX_CLIENT_CONTEXT_BYTES = 3_583;

/**
 * `lambdakit invoke`: runs the function in a sandbox process with Lambda's environment,
 * context, deadline, platform lines and error shape. Resolves with the exit code.
 */
export async function invokeCommand(target: string, options: InvokeCommandOptions, io: CommandIo): Promise<number> {
  const prepared = await prepareRun(target, options, io);
  if (typeof prepared === 'number') return prepared;
  const { run, localAws } = prepared;
  // One interruption, however many signals arrive: a second Ctrl-C or SIGTERM while the first is
  // writing dead letters would write every event twice, or (with no listener left) kill the CLI
  // halfway and lose them all. Later signals are noted and ignored; the first one's exit follows.
  const interrupt = (signal: NodeJS.Signals) => {
    if (run.interruption !== undefined) {
      io.stderr.write(`lambdakit: ${signal}: already stopping; every unsettled event is kept before the exit\n`);
      return;
    }
    run.interrupted = true;
    run.interruption = interruptRun(run, localAws, signal).then(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
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
    // Interrupted while the last invocations settled: the signal handler finishes (its dead
    // letters, their clean-up) and exits with 130; returning now would cut it short.
    if (run.interruption !== undefined) await run.interruption;
    await shutdown(run, localAws);
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  return failed ? EXIT_FUNCTION_ERROR : EXIT_OK;
}

/**
 * Everything a run needs, checked before anything starts: the function, the runtime, its ARN,
 * the event (refused, as Lambda refuses it, when over the payload limit: returns the exit code),
 * the environment, and the local AWS services.
 */
async function prepareRun(
  target: string,
  options: InvokeCommandOptions,
  io: CommandIo,
): Promise<{ run: Run; localAws: LocalAws | undefined } | number> {
  const resolved = await resolveTarget(target, io.cwd);
  const choice = chooseRuntime(options, io.cwd);
  const functionName = options.functionName ?? defaultFunctionName(io.cwd);
  const invokedFunctionArn = functionArn(options, functionName);
  // An alias or $LATEST runs the unpublished code here: version $LATEST.
  const qualifier = options.qualifier;
  const functionVersion = qualifier !== undefined && /^\d+$/.test(qualifier) ? qualifier : '$LATEST';
  const event = await readEvent(options, io.stdin);
  const fileEnv = options.envFile === undefined ? {} : await readEnvFile(options.envFile);
  const clientContext = options.clientContext === undefined ? undefined : checkClientContext(options.clientContext);
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
  if (options.async) await checkDeadLetterDir(options.dlqDir);
  const localAws = await startLocalServices(options, io);
  const run: Run = {
    target: resolved,
    io,
    env: sandboxEnvironment(fileEnv, localAws),
    event,
    ...(clientContext === undefined ? {} : { clientContext }),
    ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
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
    starting: new Set(),
    current: undefined,
    interrupted: false,
    interruption: undefined,
    unsettled: new Map(),
  };
  return { run, localAws };
}

/** The invoked function's ARN, qualified by `--qualifier`, checked as Lambda would. */
function functionArn(options: InvokeCommandOptions, functionName: string): string {
  const unqualified = `arn:aws:lambda:${options.region}:${options.accountId}:function:${functionName}`;
  const arn = options.qualifier === undefined ? unqualified : `${unqualified}:${options.qualifier}`;
  try {
    parseArn(arn);
  } catch (error) {
    throw new CliError(`--function-name/--qualifier/--region/--account-id: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return arn;
}

/**
 * `--client-context`: a JSON object, as the Invoke API's `ClientContext` carries it (base64 of at
 * most 3,583 bytes), handed to the function as `context.clientContext`.
 */
function checkClientContext(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError('--client-context: expected a JSON object, e.g. \'{"custom":{"tenant":"a"}}\'');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliError('--client-context: expected a JSON object');
  }
  const encoded = Buffer.from(text).toString('base64').length;
  if (encoded > MAX_CLIENT_CONTEXT_BYTES) {
    throw new CliError(
      `--client-context: ${encoded} bytes once base64-encoded; Lambda takes at most ${MAX_CLIENT_CONTEXT_BYTES}`,
    );
  }
  return text;
}

/** `--local-aws`: local DynamoDB and SSM for the run, seeded from `--params` and `--tables`. */
async function startLocalServices(options: InvokeCommandOptions, io: CommandIo): Promise<LocalAws | undefined> {
  if (!options.localAws) {
    if (options.params !== undefined || options.tables !== undefined) {
      throw new CliError('--params and --tables seed the local services: add --local-aws');
    }
    return undefined;
  }
  const localAws = await startLocalAws({
    region: options.region,
    ...(options.params === undefined ? {} : { paramsFile: options.params }),
    ...(options.tables === undefined ? {} : { tablesFile: options.tables }),
  });
  io.stderr.write(
    `lambdakit: local AWS: SSM at ${localAws.env.AWS_ENDPOINT_URL_SSM}, DynamoDB at ${localAws.env.AWS_ENDPOINT_URL_DYNAMODB}\n`,
  );
  return localAws;
}

/** The caller's environment without Lambda's own variables, then the `--env-file`'s, then the local services'. */
function sandboxEnvironment(fileEnv: Record<string, string>, localAws: LocalAws | undefined): NodeJS.ProcessEnv {
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
  return env;
}

/**
 * Ctrl-C or SIGTERM. "Nothing lost": an async event still running or waiting for a retry goes to
 * the dead-letter directory before the sandboxes are killed. Once they are gone no outcome can
 * arrive: an event whose attempt succeeded in the meantime has its answer printed, and its dead
 * letter would make a replay run it twice, so it is removed.
 */
async function interruptRun(run: Run, localAws: LocalAws | undefined, signal: NodeJS.Signals): Promise<void> {
  const letters = await deadLetterUnsettled(run, signal);
  await shutdown(run, localAws);
  for (const { requestId, kept, unsettled } of letters) {
    if (!unsettled.succeeded) continue;
    if ('file' in kept) {
      await rm(kept.file, { force: true });
      run.io.stderr.write(`lambdakit: ${requestId} succeeded while being interrupted; its dead letter was removed\n`);
    } else {
      run.io.stderr.write(
        `lambdakit: ${requestId} succeeded while being interrupted; ignore its dead letter printed above\n`,
      );
    }
  }
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
  writePayload(run, outcome);
  return outcome.status === 'success';
}
