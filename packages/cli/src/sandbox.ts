import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LambdaError } from '@lambdakit/core';
import { type Invocation, type InvocationAnswer, RuntimeApiServer } from './runtime-api-server.js';

/**
 * An invocation's error as its response payload carries it: the function's errors in Lambda's
 * shape, or an error of the platform itself, which has no `trace` (a timeout).
 */
export type InvocationError = Omit<LambdaError, 'trace'> & { trace?: string[] };

/** How one invocation in a sandbox ended, with what Lambda's REPORT line says about it. */
export interface SandboxOutcome {
  requestId: string;
  status: 'success' | 'error' | 'timeout';
  /** The response payload on success: JSON text, or the raw bytes of a streamed response. */
  payload?: string;
  streamed?: boolean;
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
  /** Under multi-concurrency: the worker thread (from 1) that ran the invocation. */
  worker: number;
}

/** The sandbox could not initialise the function: its module threw, the export is missing, or the runtime died. */
export interface SandboxInitFailure {
  error: InvocationError;
  errorPayload: string;
  initDurationMs: number;
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
}

/** One invocation request: everything Lambda passes the runtime, and the function's timeout. */
export type SandboxRequest = Omit<Invocation, 'timeoutMs'>;

interface Pending {
  resolve: (outcome: SandboxOutcome | typeof NOT_STARTED) => void;
  onStart: (() => void) | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  timeoutMs: number;
  initDurationMs: number | undefined;
}

/**
 * What {@link Sandbox.invoke} resolves with when the runtime died before it took the invocation:
 * Lambda never started it there, and runs it in another sandbox.
 */
export const NOT_STARTED = Symbol('not started');

// Lambda stops an on-demand INIT phase after 10 seconds.
const INIT_LIMIT_MS = 10_000;
// After an init error the runtime exits by itself; it is killed if it has not within this time.
const EXIT_GRACE_MS = 2_000;
const runtimeEntry = fileURLToPath(new URL('./runtime/runtime.js', import.meta.url));
const awsBootstrap = fileURLToPath(new URL('./aws-runtime-bootstrap.js', import.meta.url));

/**
 * The CLI's handle on one sandbox: a runtime process that takes invocations from this sandbox's
 * Runtime API server. It enforces each deadline by killing the process (as Lambda does), and turns
 * the process's death into `Runtime.ExitError` for the invocations in flight.
 */
export class Sandbox {
  private readonly pending = new Map<string, Pending>();
  private cold = true;
  private doomed = false;
  private exited = false;
  private peakMemoryMb = 0;
  private readonly exit: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly api: RuntimeApiServer,
    readonly initDurationMs: number,
    started: { dispatched(listener: (requestId: string) => void): void },
  ) {
    this.exit = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    started.dispatched((requestId) => this.onDispatched(requestId));
    child.once('exit', (code, signal) => {
      this.exited = true;
      const status = signal === null ? `exit status ${code}` : `signal: ${signal === 'SIGKILL' ? 'killed' : signal}`;
      for (const [requestId, pending] of this.pending) {
        const dispatched = this.api.dispatchOf(requestId);
        this.api.abandon(requestId);
        if (dispatched === undefined) {
          this.pending.delete(requestId);
          pending.resolve(NOT_STARTED);
          continue;
        }
        this.settle(requestId, pending, {
          status: 'error',
          platformError: 'Runtime.ExitError',
          ...platformError('Runtime.ExitError', `RequestId: ${requestId} Error: Runtime exited with error: ${status}`),
          durationMs: dispatched === undefined ? 0 : performance.now() - dispatched.at,
        });
      }
      void this.api.close();
    });
  }

  /** Starts a runtime process and its Runtime API, and waits for the function's init phase to end. */
  static async start(options: SandboxOptions): Promise<Sandbox | SandboxInitFailure> {
    let onDispatched: (requestId: string) => void = () => undefined;
    let settleInit: (result: { ready: true } | { failure: SandboxInitFailure }) => void = () => undefined;
    const initResult = new Promise<{ ready: true } | { failure: SandboxInitFailure }>((resolve) => {
      settleInit = resolve;
    });
    const startedAt = performance.now();
    const api = await RuntimeApiServer.start({
      workerReady: (worker) => {
        const initDurationMs = performance.now() - startedAt;
        options.onWorkerReady?.(worker, initDurationMs);
        if (worker >= (options.workers ?? 1)) settleInit({ ready: true });
      },
      initError: ({ payload, errorType }) => {
        settleInit({ failure: initFailure(payload, errorType, performance.now() - startedAt) });
      },
      dispatched: (requestId) => onDispatched(requestId),
    });
    const { command, args } = runtimeCommand(options.runtimeClient);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...options.env, AWS_LAMBDA_RUNTIME_API: api.address },
      // The function's own output goes to the CLI's stderr, so the CLI's stdout carries only
      // response payloads: `lambdakit invoke … > out.json` works.
      stdio: ['ignore', 2, 2],
    });
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal === null ? `exit status ${code}` : `signal: ${signal}`));
      child.once('error', (error) => resolve(error.message));
    });
    const timer = setTimeout(
      () =>
        settleInit({
          failure: {
            ...platformError('Sandbox.Timedout', `INIT phase did not finish within ${INIT_LIMIT_MS / 1000} seconds`),
            initDurationMs: INIT_LIMIT_MS,
          },
        }),
      INIT_LIMIT_MS,
    );
    void exited.then((status) =>
      settleInit({
        failure: {
          ...platformError('Runtime.ExitError', `Runtime exited during init with error: ${status}`),
          initDurationMs: performance.now() - startedAt,
        },
      }),
    );
    const result = await initResult;
    clearTimeout(timer);
    if ('failure' in result) {
      // Lambda resets a sandbox whose init failed; its runtime exits on its own after reporting.
      if (result.failure.error.errorType === 'Sandbox.Timedout') child.kill('SIGKILL');
      const grace = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
      await exited;
      clearTimeout(grace);
      await api.close();
      return result.failure;
    }
    const sandbox = new Sandbox(child, api, performance.now() - startedAt, {
      dispatched: (listener) => {
        onDispatched = listener;
      },
    });
    return sandbox;
  }

  /** True while the sandbox can take new invocations (not crashed, not condemned by a timeout). */
  get usable(): boolean {
    return !this.exited && !this.doomed;
  }

  /**
   * Runs one invocation with a deadline `timeoutMs` after the runtime takes it (when `onStart` is
   * called); never rejects. Resolves with {@link NOT_STARTED} if the runtime died before taking it.
   */
  invoke(
    request: SandboxRequest,
    timeoutMs: number,
    onStart?: () => void,
  ): Promise<SandboxOutcome | typeof NOT_STARTED> {
    if (this.exited) return Promise.resolve(NOT_STARTED);
    const initDurationMs = this.cold ? this.initDurationMs : undefined;
    return new Promise((resolve) => {
      const pending: Pending = { resolve, onStart, timer: undefined, timeoutMs, initDurationMs };
      this.pending.set(request.requestId, pending);
      void this.api.invoke({ ...request, timeoutMs }).then((answer) => this.answered(request.requestId, answer));
    });
  }

  /** Kills the runtime process (Lambda gives no notice either) and waits for it to be gone. */
  async kill(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await this.exit;
    await this.api.close();
  }

  private onDispatched(requestId: string): void {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return;
    // The first invocation the runtime takes is the one that paid for the cold start.
    if (!this.cold) pending.initDurationMs = undefined;
    this.cold = false;
    pending.onStart?.();
    this.sampleMemory();
    pending.timer = setTimeout(() => this.timeOut(requestId), pending.timeoutMs);
  }

  private answered(requestId: string, answer: InvocationAnswer): void {
    const pending = this.pending.get(requestId);
    // An answer for an invocation already timed out arrives too late: Lambda would have discarded it.
    if (pending === undefined) return;
    const common = { durationMs: answer.durationMs, worker: answer.worker };
    if (answer.kind === 'response') {
      this.settle(requestId, pending, {
        status: 'success',
        payload: answer.payload.toString(answer.streamed ? 'latin1' : 'utf8'),
        streamed: answer.streamed,
        ...common,
      });
    } else {
      const text = answer.payload.toString('utf8');
      this.settle(requestId, pending, {
        status: 'error',
        errorPayload: text,
        error: parseError(text, answer.errorType),
        ...common,
      });
    }
  }

  private timeOut(requestId: string): void {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return;
    // Lambda: a timed-out invocation's sandbox is stopped and the next invocation starts cold.
    // Other invocations in flight (multi-concurrency) keep running to their own end first.
    this.doomed = true;
    this.api.abandon(requestId);
    const seconds = (pending.timeoutMs / 1000).toFixed(2);
    this.settle(requestId, pending, {
      status: 'timeout',
      // Lambda's response payload on a timeout (the log line is the platform's own, see timeoutLine).
      ...platformError('Sandbox.Timedout', `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`),
      durationMs: pending.timeoutMs,
    });
  }

  private settle(
    requestId: string,
    pending: Pending,
    outcome: Omit<SandboxOutcome, 'requestId' | 'maxMemoryUsedMb' | 'initDurationMs' | 'worker'> & { worker?: number },
  ): void {
    clearTimeout(pending.timer);
    this.pending.delete(requestId);
    this.sampleMemory();
    pending.resolve({
      requestId,
      worker: 1,
      ...outcome,
      maxMemoryUsedMb: this.peakMemoryMb,
      initDurationMs: pending.initDurationMs,
    });
    if (this.doomed && this.pending.size === 0 && !this.exited) this.child.kill('SIGKILL');
  }

  /** The sandbox's peak memory so far, as Lambda's REPORT gives it (MB, rounded up). */
  private sampleMemory(): void {
    if (this.exited || this.child.pid === undefined) return;
    this.peakMemoryMb = Math.max(this.peakMemoryMb, peakMemoryMb(this.child.pid));
  }
}

/** The command that starts a runtime client: lambdakit's, or AWS's through a small bootstrap. */
function runtimeCommand(client: RuntimeClient): { command: string; args: string[] } {
  if (client.kind === 'aws') return { command: process.execPath, args: [awsBootstrap, client.ricDir] };
  return { command: process.execPath, args: [runtimeEntry] };
}

/** A process's peak resident memory in MB: VmHWM on Linux, else the current RSS `ps` reports. */
function peakMemoryMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (match !== null) return Math.ceil(Number(match[1]) / 1024);
  } catch {
    // not Linux, or already gone
  }
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    if (kb > 0) return Math.ceil(kb / 1024);
  } catch {
    // gone
  }
  return 0;
}

function platformError(errorType: string, errorMessage: string): { error: InvocationError; errorPayload: string } {
  const error = { errorType, errorMessage };
  // Lambda's own errors list the message first.
  return { error, errorPayload: JSON.stringify({ errorMessage, errorType }) };
}

function parseError(text: string, errorType: string): InvocationError {
  try {
    const parsed = JSON.parse(text) as Partial<LambdaError> | null;
    if (parsed !== null && typeof parsed === 'object') {
      return {
        errorType: typeof parsed.errorType === 'string' ? parsed.errorType : errorType,
        errorMessage: typeof parsed.errorMessage === 'string' ? parsed.errorMessage : '',
        ...(Array.isArray(parsed.trace) ? { trace: parsed.trace } : {}),
      };
    }
  } catch {
    // not JSON: the runtime posted text
  }
  return { errorType, errorMessage: text };
}

function initFailure(payload: Buffer, errorType: string, initDurationMs: number): SandboxInitFailure {
  const text = payload.toString('utf8');
  return { error: parseError(text, errorType), errorPayload: text, initDurationMs };
}
