import type { InvocationError } from './error-payload.js';

/** How one invocation in a sandbox ended, with what Lambda's REPORT line says about it. */
export interface SandboxOutcome {
  requestId: string;
  status: 'success' | 'error' | 'timeout';
  /** The response payload on success: JSON text, or the raw bytes of a streamed response. */
  payload?: string | Buffer;
  /** A streamed response the runtime cut off before its end: `payload` holds what came. */
  truncated?: boolean;
  /** The error payload exactly as the caller receives it (JSON text), on error or timeout. */
  errorPayload?: string;
  /** The error, parsed from `errorPayload`. */
  error?: InvocationError;
  /** An error of the platform (`Runtime.ExitError`), which Lambda's REPORT line names. */
  platformError?: string;
  durationMs: number;
  maxMemoryUsedMb: number;
  /** Set on the first invocation of a sandbox only: that invocation paid the cold start. */
  initDurationMs: number | undefined;
  /** Under multi-concurrency: the worker (from 1) that ran the invocation. */
  worker: number;
}

/** The sandbox could not initialise the function: its module threw, the export is missing, or the runtime died. */
export interface SandboxInitFailure {
  error: InvocationError;
  errorPayload: string;
  initDurationMs: number;
  /** The runtime process's peak memory, when it was still running at the failure (a timeout). */
  maxMemoryUsedMb?: number;
  /** The init was the retry within the first invocation (see `INIT_TIMED_OUT`). */
  suppressed?: boolean;
}

/** Which runtime client runs the function: lambdakit's own, or AWS's `aws-lambda-ric` at `ricDir`. */
export type RuntimeClient = { kind: 'lambdakit' } | { kind: 'aws'; ricDir: string };

/** What starts a sandbox: its environment (Lambda's variables included) and the runtime client. */
export interface SandboxOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  runtimeClient: RuntimeClient;
  /** Called when a worker has loaded the function (one per sandbox, or one per worker thread). */
  onWorkerReady?: (worker: number, initDurationMs: number) => void;
  /**
   * Under multi-concurrency, how many worker threads the runtime starts: the init phase ends when
   * all of them are ready (Managed Instances initialise before they take traffic). Default 1.
   */
  workers?: number;
  /** Told how to kill the runtime process while it starts, so a Ctrl-C then leaves nothing behind. */
  onSpawn?: (kill: () => void) => () => void;
  /** How long the init phase may take (Lambda's 10 s for on-demand functions by default). */
  initLimitMs?: number;
}
