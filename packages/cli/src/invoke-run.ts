import type { FailedAttempt, KeptLetter } from './dead-letter.js';
import { lambdaEnvironment, traceHeader } from './lambda-environment.js';
import type { EventPayload } from './read-event.js';
import { endLine, initReportLine, reportLine, startLine, timeoutLine } from './report-lines.js';
import type { FunctionTarget } from './resolve-target.js';
import type { LambdaRuntime } from './runtime/runtime-generation.js';
import { workerCount } from './runtime/start-workers.js';
import {
  INIT_TIMED_OUT,
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
  /** `--client-context`: JSON text passed to the runtime as `Lambda-Runtime-Client-Context`. */
  clientContext?: string;
  /** `--tenant-id`: passed as `Lambda-Runtime-Aws-Tenant-Id`. */
  tenantId?: string;
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
  /** Kills the runtime processes of sandboxes still starting (their init not over). */
  starting: Set<() => void>;
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
  writing: Promise<KeptLetter> | undefined;
  /** An attempt succeeded, possibly after a signal started writing the event as interrupted. */
  succeeded: boolean;
}

// How many sandboxes one invocation may start before it is failed (see invokeOnce).
const MAX_SANDBOX_STARTS = 3;

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

/**
 * Starts a sandbox. Lambda stops an on-demand init phase at 10 s and tries it again when the first
 * invocation runs, within the function's timeout: so does this, and the retry's time is the
 * invocation's (its `REPORT` has no `Init Duration`, its `Duration` includes the init).
 */
async function startSandbox(run: Run): Promise<Sandbox | SandboxInitFailure> {
  const first = await startRuntime(run);
  if (first instanceof Sandbox || first.error.errorType !== INIT_TIMED_OUT) return first;
  run.io.stderr.write(`${initReportLine(first.initDurationMs)}\n`);
  const startedAt = performance.now();
  const retried = await startRuntime(run, run.timeoutMs);
  if (retried instanceof Sandbox) retried.suppressedInitMs = performance.now() - startedAt;
  else if (retried.error.errorType === INIT_TIMED_OUT) return { ...retried, suppressed: true };
  return retried;
}

async function startRuntime(run: Run, initLimitMs?: number): Promise<Sandbox | SandboxInitFailure> {
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
    ...(initLimitMs === undefined ? {} : { initLimitMs }),
    onSpawn: (kill) => {
      run.starting.add(kill);
      return () => run.starting.delete(kill);
    },
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
  // A sandbox whose runtime dies before taking the invocation never ran it: another one does,
  // up to a few times (a runtime that dies every time it starts would otherwise loop forever).
  for (let attempt = 1; outcome === NOT_STARTED; attempt++) {
    if (attempt > MAX_SANDBOX_STARTS) {
      const error = {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${requestId} Error: Runtime exited before taking the invocation, ${MAX_SANDBOX_STARTS} times`,
      };
      stderr.write(`lambdakit: ${requestId}: ${MAX_SANDBOX_STARTS} sandboxes ended before taking it; giving up\n`);
      return { requestId, status: 'init-error', error, errorPayload: JSON.stringify(error), initDurationMs: 0 };
    }
    const sandbox = await acquire(run);
    if (!(sandbox instanceof Sandbox)) {
      if (sandbox.suppressed === true) return reinitTimedOut(run, requestId, sandbox.maxMemoryUsedMb ?? 0);
      stderr.write(`${initReportLine(sandbox.initDurationMs, sandbox.error.errorType)}\n`);
      return { ...sandbox, requestId, status: 'init-error' };
    }
    const reinitMs = sandbox.suppressedInitMs ?? 0;
    sandbox.suppressedInitMs = undefined;
    outcome = await sandbox.invoke(
      {
        requestId,
        body: run.event.text,
        traceId: traceHeader(),
        invokedFunctionArn: run.invokedFunctionArn,
        ...(run.clientContext === undefined ? {} : { clientContext: run.clientContext }),
        ...(run.tenantId === undefined ? {} : { tenantId: run.tenantId }),
      },
      Math.max(1, run.timeoutMs - reinitMs),
      () => stderr.write(`${startLine(requestId, run.functionVersion)}\n`),
    );
    if (outcome !== NOT_STARTED && reinitMs > 0) {
      outcome = {
        ...outcome,
        initDurationMs: undefined,
        durationMs: Math.min(run.timeoutMs, outcome.durationMs + reinitMs),
      };
    }
  }
  // Killed by the CLI's own shutdown: the invocation did not end, it was cut off.
  if (run.interrupted) return outcome;
  if (outcome.truncated === true) stderr.write(`lambdakit: ${requestId}: the runtime cut its streamed response off\n`);
  if (outcome.status === 'timeout') stderr.write(`${timeoutLine(requestId, run.timeoutMs)}\n`);
  if (run.concurrency !== undefined) stderr.write(`lambdakit: worker ${outcome.worker} ran ${requestId}\n`);
  stderr.write(`${endLine(requestId)}\n`);
  stderr.write(`${reportLine(outcome, run.memoryMb)}\n`);
  return outcome;
}

/** The init, tried again within the first invocation, did not finish within the function's timeout. */
function reinitTimedOut(run: Run, requestId: string, maxMemoryUsedMb: number): Outcome {
  const { stderr } = run.io;
  const seconds = (run.timeoutMs / 1000).toFixed(2);
  const errorMessage = `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`;
  const outcome: SandboxOutcome = {
    requestId,
    status: 'timeout',
    error: { errorType: 'Sandbox.Timedout', errorMessage },
    errorPayload: JSON.stringify({ errorMessage, errorType: 'Sandbox.Timedout' }),
    durationMs: run.timeoutMs,
    maxMemoryUsedMb,
    initDurationMs: undefined,
    worker: 1,
  };
  stderr.write(`${startLine(requestId, run.functionVersion)}\n`);
  stderr.write(`${timeoutLine(requestId, run.timeoutMs)}\n`);
  stderr.write(`${endLine(requestId)}\n`);
  stderr.write(`${reportLine(outcome, run.memoryMb)}\n`);
  return outcome;
}

/**
 * What the caller receives: the response payload (JSON text, or a streamed response's bytes as
 * they came), or the error payload as the runtime posted it.
 */
export function payloadOf(outcome: Outcome): string | Buffer {
  if (outcome.status === 'success') return outcome.payload ?? 'null';
  return outcome.errorPayload ?? JSON.stringify(errorOf(outcome));
}

/** Writes an invocation's payload on stdout, one per line: the caller's view of the invocation. */
export function writePayload(run: Run, outcome: Outcome): void {
  run.io.stdout.write(payloadOf(outcome));
  run.io.stdout.write('\n');
}

/** The invocation's error, as parsed from its payload. */
export function errorOf(outcome: Outcome): InvocationError {
  return outcome.error ?? { errorType: 'Unknown', errorMessage: 'no error reported', trace: [] };
}

/** Stops every sandbox of the run, those still starting included. */
export async function stopSandboxes(run: Run): Promise<void> {
  for (const kill of run.starting) kill();
  await Promise.all([...run.sandboxes].map((sandbox) => sandbox.kill()));
}
