import type { FailedAttempt } from './dead-letter.js';
import { lambdaEnvironment, traceHeader } from './lambda-environment.js';
import type { EventPayload } from './read-event.js';
import { endLine, initReportLine, reportLine, startLine, timeoutLine } from './report-lines.js';
import type { FunctionTarget } from './resolve-target.js';
import type { LambdaRuntime } from './runtime/runtime-generation.js';
import { workerCount } from './runtime/start-workers.js';
import {
  type InvocationError,
  NOT_STARTED,
  type RuntimeClient,
  Sandbox,
  type SandboxInitFailure,
  type SandboxOutcome,
} from './sandbox.js';

/** Where the command writes: payloads to `stdout`, platform lines and diagnostics to `stderr`. */
export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
}

/** What an `--async` run needs to know of the function and where dead letters go. */
export interface AsyncSettings {
  retryDelay: number;
  maxRetries: number;
  dlqDir: string;
}

/** One `lambdakit invoke` run: the function, its settings, and the sandboxes it started. */
export interface Run {
  target: FunctionTarget;
  io: CommandIo;
  /** The environment of every sandbox, Lambda's variables included. */
  env: NodeJS.ProcessEnv;
  event: EventPayload;
  runtime: LambdaRuntime;
  runtimeClient: RuntimeClient;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryMb: number;
  region: string;
  timeoutMs: number;
  logFormat: 'text' | 'json';
  concurrency: number | undefined;
  async: AsyncSettings;
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
export interface UnsettledEvent {
  attempts: FailedAttempt[];
  running: { attempt: number; startedAt: string; startedMs: number } | undefined;
  /** Its retries are exhausted and its dead letter is being written. */
  writing: Promise<string> | undefined;
  /** An attempt succeeded, possibly after a signal started writing the event as interrupted. */
  succeeded: boolean;
}

/** How one invocation ended: in a sandbox, or before one could run it (its init failed). */
export type Outcome = SandboxOutcome | (SandboxInitFailure & { requestId: string; status: 'init-error' });

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
  const env = {
    ...run.env,
    ...lambdaEnvironment({
      functionName: run.functionName,
      functionVersion: run.functionVersion,
      memoryMb: run.memoryMb,
      region: run.region,
      handler: run.target.handler,
      taskRoot: run.target.taskRoot,
      runtime: run.runtime,
      ...(run.concurrency === undefined ? {} : { maxConcurrency: run.concurrency }),
      logFormat: run.logFormat,
    }),
  };
  const sandbox = await Sandbox.start({
    env,
    cwd: run.target.taskRoot,
    runtimeClient: run.runtimeClient,
    ...(run.concurrency === undefined
      ? {}
      : {
          workers: workerCount(env),
          onWorkerReady: (worker: number, initDurationMs: number) =>
            run.io.stderr.write(`lambdakit: worker ${worker} ready (Init Duration: ${initDurationMs.toFixed(2)} ms)\n`),
        }),
  });
  if (sandbox instanceof Sandbox) run.sandboxes.add(sandbox);
  return sandbox;
}

/**
 * One invocation, with Lambda's platform lines on stderr: `START`, the function's own lines (and
 * the runtime's `Invoke Error`), the timeout line, `END`, `REPORT`; or `INIT_REPORT` when the
 * function cannot be initialised.
 */
export async function invokeOnce(run: Run, requestId: string): Promise<Outcome> {
  const { stderr } = run.io;
  let outcome: SandboxOutcome | typeof NOT_STARTED = NOT_STARTED;
  // A sandbox whose runtime dies before taking the invocation never ran it: another one does.
  while (outcome === NOT_STARTED) {
    const sandbox = await acquire(run);
    if (!(sandbox instanceof Sandbox)) {
      stderr.write(`${initReportLine(sandbox.initDurationMs, sandbox.error.errorType)}\n`);
      return { ...sandbox, requestId, status: 'init-error' };
    }
    outcome = await sandbox.invoke(
      { requestId, body: run.event.text, traceId: traceHeader(), invokedFunctionArn: run.invokedFunctionArn },
      run.timeoutMs,
      () => stderr.write(`${startLine(requestId, run.functionVersion)}\n`),
    );
  }
  // Killed by the CLI's own shutdown: the invocation did not end, it was cut off.
  if (run.interrupted) return outcome;
  if (outcome.status === 'timeout') stderr.write(`${timeoutLine(requestId, run.timeoutMs)}\n`);
  if (run.concurrency !== undefined) stderr.write(`lambdakit: worker ${outcome.worker} ran ${requestId}\n`);
  stderr.write(`${endLine(requestId)}\n`);
  stderr.write(`${reportLine(outcome, run.memoryMb)}\n`);
  return outcome;
}

/** What the caller receives: the response payload, or the error payload as the runtime posted it. */
export function payloadOf(outcome: Outcome): string {
  if (outcome.status === 'success') return outcome.payload ?? 'null';
  return outcome.errorPayload ?? JSON.stringify(errorOf(outcome));
}

export function errorOf(outcome: Outcome): InvocationError {
  return outcome.error ?? { errorType: 'Unknown', errorMessage: 'no error reported', trace: [] };
}

/** Stops every sandbox of the run. */
export async function stopSandboxes(run: Run): Promise<void> {
  await Promise.all([...run.sandboxes].map((sandbox) => sandbox.kill()));
}
