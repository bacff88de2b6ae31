import type { FailedAttempt, KeptLetter } from './dead-letter.js';
import type { LocalAws } from './local-aws.js';
import type { EventPayload } from './read-event.js';
import type { FunctionTarget } from './resolve-target.js';
import { finishRunTrace, type RunTrace } from './run-trace.js';
import type { LambdaRuntime } from './runtime/runtime-generation.js';
import type { RuntimeClient, Sandbox, SandboxInitFailure } from './sandbox.js';
import { stopSandboxes } from './sandbox-pool.js';

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

/** One `lambdakit invoke` run: the function, its settings, and the sandboxes and services it started. */
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
  /** `--local-aws`: the local DynamoDB and SSM the run started. */
  localAws: LocalAws | undefined;
  /** `--trace`: the local X-Ray daemon, and `--trace-out`. */
  trace: RunTrace | undefined;
  sandboxes: Set<Sandbox>;
  /** Kills the runtime processes of sandboxes still starting (their init not over). */
  starting: Set<() => void>;
  current: Promise<Sandbox | SandboxInitFailure> | undefined;
  /**
   * Aborted once Ctrl-C or SIGTERM arrives: nothing more is invoked, retried or printed, and a
   * wait for a retry ends at once.
   */
  interrupt: AbortController;
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

/** Stops everything the run started: its sandboxes, those still starting included, then the local services. */
export async function stopRun(run: Run): Promise<void> {
  await stopSandboxes(run);
  if (run.trace !== undefined) await finishRunTrace(run.trace, run.io.stderr);
  await run.localAws?.stop();
}
