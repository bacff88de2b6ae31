import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { basename, extname, relative, resolve } from 'node:path';
import { parseArn } from '@lambdakit/core';
import { CliError, EXIT_FUNCTION_ERROR, EXIT_OK } from './cli-error.js';
import { type FailedAttempt, writeDeadLetter } from './dead-letter.js';
import { lambdaEnvironment, RESERVED_VARIABLES, traceHeader } from './lambda-environment.js';
import { type LocalAws, startLocalAws } from './local-aws.js';
import { readEnvFile } from './read-env-file.js';
import { readEvent } from './read-event.js';
import { endLine, initReportLine, reportLine, startLine, timeoutLine } from './report-lines.js';
import { type InvocationError, Sandbox, type SandboxInitFailure, type SandboxOutcome } from './sandbox.js';

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
}

/** Where the command writes: payloads to `stdout`, platform lines and diagnostics to `stderr`. */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
}

/** The function to run: its file and export, from `<module>[#export]`. */
export interface FunctionTarget {
  file: string;
  exportName: string;
  /** Lambda's `_HANDLER` form: the module path without extension, a dot, the export. */
  handler: string;
}

const RUNNABLE = new Set(['.js', '.mjs', '.cjs']);

/** Resolves `<module>[#export]` against `cwd` and checks the file exists and can be run. */
export async function resolveTarget(target: string, cwd: string): Promise<FunctionTarget> {
  const hash = target.lastIndexOf('#');
  const modulePath = hash === -1 ? target : target.slice(0, hash);
  const exportName = hash === -1 ? 'handler' : target.slice(hash + 1);
  if (modulePath === '') throw new CliError(`"${target}": expected <module>[#export], e.g. dist/handler.js#handler`);
  if (exportName === '') throw new CliError(`"${target}": the export name after "#" is empty`);
  const file = resolve(cwd, modulePath);
  const extension = extname(file);
  if (['.ts', '.mts', '.cts', '.tsx'].includes(extension)) {
    throw new CliError(
      `${modulePath}: TypeScript is not run directly; build it and invoke the JavaScript output (e.g. dist/handler.js)`,
    );
  }
  const info = await stat(file).catch(() => undefined);
  if (info === undefined)
    throw new CliError(`${modulePath}: module not found (looked for ${file})`, { file: modulePath });
  if (!info.isFile()) throw new CliError(`${modulePath}: not a file`, { file: modulePath });
  if (!RUNNABLE.has(extension)) {
    throw new CliError(`${modulePath}: expected a .js, .mjs or .cjs module`, { file: modulePath });
  }
  const relativePath = relative(cwd, file).replace(/\.[^.]+$/, '');
  return { file, exportName, handler: `${relativePath}.${exportName}` };
}

interface Run {
  target: FunctionTarget;
  options: InvokeCommandOptions;
  io: CommandIo;
  env: NodeJS.ProcessEnv;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  timeoutMs: number;
  sandboxes: Set<Sandbox>;
  current: Promise<Sandbox | SandboxInitFailure> | undefined;
  /** Set once Ctrl-C or SIGTERM arrives: nothing more is invoked, retried or printed. */
  interrupted: boolean;
  /** The signal handler's work (dead letters, shutdown), which ends the process with 130. */
  interruption: Promise<void> | undefined;
  /** `--async` events not yet settled (succeeded or dead-lettered), by request id. */
  unsettled: Map<string, UnsettledEvent>;
}

/** An `--async` event on its way: the attempts that failed, the one running, if any. */
interface UnsettledEvent {
  event: unknown;
  attempts: FailedAttempt[];
  running: { attempt: number; startedAt: string; startedMs: number } | undefined;
  /** Its retries are exhausted and its dead letter is being written. */
  writing: Promise<string> | undefined;
  /** An attempt succeeded, possibly after a signal started writing the event as interrupted. */
  succeeded: boolean;
}

type Outcome = SandboxOutcome | (SandboxInitFailure & { requestId: string; status: 'init-error' });

/**
 * `lambdakit invoke`: runs the function in a sandbox process with Lambda's environment,
 * context, deadline, platform lines and error shape. Resolves with the exit code.
 */
export async function invokeCommand(target: string, options: InvokeCommandOptions, io: CommandIo): Promise<number> {
  const resolved = await resolveTarget(target, io.cwd);
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
    options,
    io,
    env,
    functionName,
    functionVersion,
    invokedFunctionArn,
    timeoutMs: Math.round(options.timeout * 1000),
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
        Array.from({ length: concurrency }, () => (options.async ? invokeAsync(run, event) : invokeSync(run, event))),
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

async function deadLetterUnsettled(
  run: Run,
  signal: NodeJS.Signals,
): Promise<{ requestId: string; file: string; unsettled: UnsettledEvent }[]> {
  const letters: { requestId: string; file: string; unsettled: UnsettledEvent }[] = [];
  await Promise.all(
    [...run.unsettled].map(async ([requestId, unsettled]) => {
      const { event, attempts, running, writing } = unsettled;
      if (writing !== undefined) {
        // Already being written as RetriesExhausted: let that write finish, do not write it twice.
        await writing.catch(() => undefined);
        return;
      }
      const all: FailedAttempt[] =
        running === undefined
          ? attempts
          : [
              ...attempts,
              {
                attempt: running.attempt,
                startedAt: running.startedAt,
                status: 'interrupted',
                durationMs: performance.now() - running.startedMs,
              },
            ];
      try {
        const file = await writeDeadLetter(run.options.dlqDir, {
          requestId,
          functionArn: run.invokedFunctionArn,
          executedVersion: run.functionVersion,
          event,
          attempts: all,
          condition: 'Interrupted',
        });
        letters.push({ requestId, file, unsettled });
        run.io.stderr.write(
          `lambdakit: ${signal}: ${requestId} interrupted after ${all.length} attempt${all.length === 1 ? '' : 's'}; event written to ${shown(run, file)}\n`,
        );
      } catch (error) {
        run.io.stderr.write(
          `lambdakit: ${signal}: could not write ${requestId} to ${run.options.dlqDir}: ${(error as Error).message}\n`,
        );
      }
    }),
  );
  return letters;
}

/** A path as the user would type it: relative to the current directory when inside it. */
function shown(run: Run, file: string): string {
  const path = relative(run.io.cwd, file);
  return path.startsWith('..') ? file : path;
}

async function shutdown(run: Run, localAws: LocalAws | undefined): Promise<void> {
  await Promise.all([...run.sandboxes].map((sandbox) => sandbox.kill()));
  await localAws?.stop();
}

function defaultFunctionName(cwd: string): string {
  const name = basename(cwd)
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .slice(0, 64);
  return name === '' ? 'function' : name;
}

/** A usable sandbox: the warm one, or a new one (cold start) when there is none or it was killed. */
async function acquire(run: Run): Promise<Sandbox | SandboxInitFailure> {
  for (;;) {
    run.current ??= startSandbox(run);
    const starting = run.current;
    const sandbox = await starting;
    if (sandbox instanceof Sandbox && sandbox.usable) return sandbox;
    // Lambda retries a failed init on the next invocation, and replaces a sandbox it stopped.
    if (run.current === starting) run.current = undefined;
    if (!(sandbox instanceof Sandbox)) return sandbox;
  }
}

async function startSandbox(run: Run): Promise<Sandbox | SandboxInitFailure> {
  const { options, target } = run;
  const env = {
    ...run.env,
    ...lambdaEnvironment({
      functionName: run.functionName,
      functionVersion: run.functionVersion,
      memoryMb: options.memory,
      region: options.region,
      handler: target.handler,
      taskRoot: run.io.cwd,
      ...(options.concurrency === undefined ? {} : { maxConcurrency: options.concurrency }),
      logFormat: options.logFormat,
    }),
  };
  const sandbox = await Sandbox.start({ file: target.file, exportName: target.exportName, env, cwd: run.io.cwd });
  if (sandbox instanceof Sandbox) run.sandboxes.add(sandbox);
  return sandbox;
}

/** One invocation, with its platform lines on stderr. */
async function invokeOnce(run: Run, event: unknown, requestId: string): Promise<Outcome> {
  const { stderr } = run.io;
  const sandbox = await acquire(run);
  if (!(sandbox instanceof Sandbox)) {
    if (sandbox.handlerNotFound) throw new CliError(sandbox.error.errorMessage);
    stderr.write(`${errorLine(run, undefined, 'Init Error', sandbox.error)}\n`);
    stderr.write(`${initReportLine(sandbox.initDurationMs, sandbox.error.errorType)}\n`);
    return { ...sandbox, requestId, status: 'init-error' };
  }
  stderr.write(`${startLine(requestId, run.functionVersion)}\n`);
  const outcome = await sandbox.invoke(
    {
      requestId,
      event,
      traceId: traceHeader(),
      functionName: run.functionName,
      functionVersion: run.functionVersion,
      invokedFunctionArn: run.invokedFunctionArn,
      memoryLimitInMB: String(run.options.memory),
      logGroupName: `/aws/lambda/${run.functionName}`,
    },
    run.timeoutMs,
  );
  // Killed by the CLI's own shutdown: the invocation did not end, it was cut off.
  if (run.interrupted) return outcome;
  if (outcome.status === 'timeout') stderr.write(`${timeoutLine(requestId, run.timeoutMs)}\n`);
  else if (outcome.status === 'error') {
    stderr.write(`${errorLine(run, requestId, 'Invoke Error', errorOf(outcome), outcome.loggedError)}\n`);
  }
  stderr.write(`${endLine(requestId)}\n`);
  stderr.write(`${reportLine(outcome, run.options.memory)}\n`);
  return outcome;
}

/**
 * The error line Lambda's Node.js runtime logs for a failed invocation or init, in the run's
 * log format. In the text format it carries the error as the runtime formats it (`stack`, not
 * the response's `trace`): `loggedError` when the sandbox sent it, else built from `error`.
 */
function errorLine(
  run: Run,
  requestId: string | undefined,
  message: string,
  error: InvocationError,
  loggedError?: string,
): string {
  const timestamp = new Date().toISOString();
  const { errorType, errorMessage, trace = [] } = error;
  if (run.options.logFormat === 'json') {
    return JSON.stringify({
      timestamp,
      level: 'ERROR',
      requestId,
      message,
      errorType,
      errorMessage,
      stackTrace: trace,
    });
  }
  const logged = loggedError ?? JSON.stringify({ errorType, errorMessage, stack: trace });
  return `${timestamp}\t${requestId}\tERROR\t${message} \t${logged}`;
}

function payloadOf(outcome: Outcome): string {
  return outcome.status === 'success' ? (outcome.payload ?? 'null') : JSON.stringify(errorOf(outcome));
}

function errorOf(outcome: Outcome): InvocationError {
  return outcome.error ?? { errorType: 'Unknown', errorMessage: 'no error reported', trace: [] };
}

/** A synchronous (RequestResponse) invocation: the payload on stdout. True on success. */
async function invokeSync(run: Run, event: unknown): Promise<boolean> {
  const outcome = await invokeOnce(run, event, randomUUID());
  if (run.interrupted) return false;
  run.io.stdout.write(`${payloadOf(outcome)}\n`);
  return outcome.status === 'success';
}

/**
 * An asynchronous (Event) invocation: Lambda retries a failed event twice (after about one
 * and then two minutes; here `--retry-delay` ms, then twice that), keeping its request id,
 * then hands it to the dead-letter queue: here a JSON file in `--dlq-dir`. True on success.
 */
async function invokeAsync(run: Run, event: unknown): Promise<boolean> {
  const requestId = randomUUID();
  const unsettled: UnsettledEvent = {
    event,
    attempts: [],
    running: undefined,
    writing: undefined,
    succeeded: false,
  };
  const { attempts } = unsettled;
  run.unsettled.set(requestId, unsettled);
  const { stderr, stdout } = run.io;
  for (let attempt = 1; attempt <= run.options.maxRetries + 1; attempt++) {
    if (attempt > 1) {
      const delayMs = run.options.retryDelay * 2 ** (attempt - 2);
      stderr.write(
        `lambdakit: retrying ${requestId} in ${delayMs} ms (attempt ${attempt} of ${run.options.maxRetries + 1})\n`,
      );
      await new Promise((done) => setTimeout(done, delayMs));
    }
    // Interrupted: the signal handler writes this event to the dead-letter directory.
    if (run.interrupted) return false;
    const startedAt = new Date().toISOString();
    unsettled.running = { attempt, startedAt, startedMs: performance.now() };
    const outcome = await invokeOnce(run, event, requestId);
    if (outcome.status === 'success') {
      // Even after a signal: the answer is printed, and the signal handler drops its dead letter.
      unsettled.succeeded = true;
      run.unsettled.delete(requestId);
      stdout.write(`${payloadOf(outcome)}\n`);
      return true;
    }
    if (run.interrupted) return false;
    unsettled.running = undefined;
    attempts.push({
      attempt,
      startedAt,
      status: outcome.status === 'timeout' ? 'timeout' : 'error',
      error: errorOf(outcome),
      durationMs: outcome.status === 'init-error' ? outcome.initDurationMs : outcome.durationMs,
    });
  }
  unsettled.writing = writeDeadLetter(run.options.dlqDir, {
    requestId,
    functionArn: run.invokedFunctionArn,
    executedVersion: run.functionVersion,
    event,
    attempts,
  });
  const file = await unsettled.writing;
  run.unsettled.delete(requestId);
  stderr.write(`lambdakit: ${requestId} failed ${attempts.length} times; event written to ${shown(run, file)}\n`);
  stdout.write(`${JSON.stringify(attempts.at(-1)?.error ?? null)}\n`);
  return false;
}
