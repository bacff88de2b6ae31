import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LambdaError } from '@lambdakit/core';
import type { InvokeMessage, SandboxMessage } from './sandbox-protocol.js';

/**
 * An invocation's error as its response payload carries it: the function's errors in Lambda's
 * shape, or an error of the platform itself, which has no `trace` (a timeout).
 */
export type InvocationError = Omit<LambdaError, 'trace'> & { trace?: string[] };

/** How one invocation in a sandbox ended, with what Lambda's REPORT line says about it. */
export interface SandboxOutcome {
  requestId: string;
  status: 'success' | 'error' | 'timeout';
  /** The response payload (JSON text) on success. */
  payload?: string;
  /** The error in Lambda's shape, on error or timeout. */
  error?: InvocationError;
  /**
   * The thrown error as Lambda's Node.js runtime logs it (JSON text), when the sandbox had the
   * error itself: name, message, code, its own enumerable fields and `stack` lines.
   */
  loggedError?: string;
  durationMs: number;
  maxMemoryUsedMb: number;
  /** Set on the first invocation of a sandbox only: that invocation paid the cold start. */
  initDurationMs: number | undefined;
}

/** The sandbox could not initialise the function: its module threw, or the export is missing. */
export interface SandboxInitFailure {
  error: LambdaError;
  /** The export is missing or not a function: retrying cannot help. */
  handlerNotFound: boolean;
  initDurationMs: number;
}

/** What starts a sandbox: the function's file and export, and its environment. */
export interface SandboxOptions {
  file: string;
  exportName: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** One invocation request: everything of the context but the deadline, which starts now. */
export type SandboxRequest = Omit<InvokeMessage, 'type' | 'deadline' | 'logStreamName'>;

interface Pending {
  resolve: (outcome: SandboxOutcome) => void;
  timer: ReturnType<typeof setTimeout>;
  initDurationMs: number | undefined;
}

// Lambda stops an on-demand INIT phase after 10 seconds.
const INIT_LIMIT_MS = 10_000;
const runtimeFile = fileURLToPath(new URL('./runtime.js', import.meta.url));

/**
 * The CLI's handle on one sandbox process: sends invocations, enforces each deadline by killing
 * the process (as Lambda does), and turns a crash into errors for the invocations in flight.
 */
export class Sandbox {
  private readonly pending = new Map<string, Pending>();
  private cold = true;
  private doomed = false;
  private exited = false;
  private lastMaxMemoryMb = 0;
  private readonly exit: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly initDurationMs: number,
    private readonly logStreamName: string,
  ) {
    this.exit = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.on('message', (message: SandboxMessage) => this.receive(message));
    child.once('exit', (code, signal) => {
      this.exited = true;
      const status = signal === null ? `exit status ${code}` : `signal: ${signal === 'SIGKILL' ? 'killed' : signal}`;
      for (const [requestId, pending] of this.pending) {
        this.settle(requestId, pending, {
          status: 'error',
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${status}`,
            trace: [],
          },
          durationMs: 0,
        });
      }
    });
  }

  /** Forks a sandbox and runs the function's init phase (importing its module). */
  static start(options: SandboxOptions): Promise<Sandbox | SandboxInitFailure> {
    const child = fork(runtimeFile, [options.file, options.exportName], {
      cwd: options.cwd,
      env: options.env,
      // The function's own output (stdout and stderr) goes to the CLI's stderr, so the CLI's
      // stdout carries only response payloads: `lambdakit invoke … > out.json` works.
      stdio: ['ignore', 2, 2, 'ipc'],
      serialization: 'json',
    });
    return new Promise((resolve) => {
      const started = performance.now();
      const fail = (error: LambdaError, handlerNotFound = false) => {
        cleanup();
        child.kill('SIGKILL');
        resolve({ error, handlerNotFound, initDurationMs: performance.now() - started });
      };
      const timer = setTimeout(
        () =>
          fail({
            errorType: 'Sandbox.Timedout',
            errorMessage: `INIT phase did not finish within ${INIT_LIMIT_MS / 1000} seconds`,
            trace: [],
          }),
        INIT_LIMIT_MS,
      );
      const onMessage = (message: SandboxMessage) => {
        if (message.type === 'ready') {
          cleanup();
          resolve(new Sandbox(child, message.initDurationMs, options.env.AWS_LAMBDA_LOG_STREAM_NAME ?? ''));
        } else if (message.type === 'init-error') {
          cleanup();
          child.kill('SIGKILL');
          resolve({
            error: message.error,
            handlerNotFound: message.handlerNotFound,
            initDurationMs: message.initDurationMs,
          });
        } else if (message.type === 'crash') fail(message.error);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        fail({
          errorType: 'Runtime.ExitError',
          errorMessage: `Runtime exited during init with error: ${signal === null ? `exit status ${code}` : `signal: ${signal}`}`,
          trace: [],
        });
      const onError = (error: Error) =>
        fail({ errorType: 'Runtime.ExitError', errorMessage: error.message, trace: [] });
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        child.off('error', onError);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.once('error', onError);
    });
  }

  /** True while the sandbox can take new invocations (not crashed, not condemned by a timeout). */
  get usable(): boolean {
    return !this.exited && !this.doomed;
  }

  /** Runs one invocation with a deadline `timeoutMs` from now; never rejects. */
  invoke(request: SandboxRequest, timeoutMs: number): Promise<SandboxOutcome> {
    const initDurationMs = this.cold ? this.initDurationMs : undefined;
    this.cold = false;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.timeOut(request.requestId, timeoutMs), timeoutMs);
      const pending = { resolve, timer, initDurationMs };
      this.pending.set(request.requestId, pending);
      if (this.exited) {
        const error = { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited', trace: [] };
        this.settle(request.requestId, pending, { status: 'error', error, durationMs: 0 });
        return;
      }
      const message: InvokeMessage = {
        type: 'invoke',
        ...request,
        logStreamName: this.logStreamName,
        deadline: Date.now() + timeoutMs,
      };
      // A send that fails means the sandbox is exiting: its 'exit' handler settles this invocation.
      this.child.send(message, (error) => error && this.child.kill('SIGKILL'));
    });
  }

  /** Kills the sandbox process (Lambda gives no notice either) and waits for it to be gone. */
  async kill(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await this.exit;
  }

  private receive(message: SandboxMessage): void {
    if (message.type === 'result') {
      this.lastMaxMemoryMb = Math.max(this.lastMaxMemoryMb, message.maxMemoryUsedMb);
      const pending = this.pending.get(message.requestId);
      // A result for an invocation already timed out arrives too late: Lambda would have discarded it.
      if (pending === undefined) return;
      this.settle(
        message.requestId,
        pending,
        message.error === undefined
          ? { status: 'success', payload: message.payload ?? 'null', durationMs: message.durationMs }
          : {
              status: 'error',
              error: message.error,
              ...(message.loggedError === undefined ? {} : { loggedError: message.loggedError }),
              durationMs: message.durationMs,
            },
        message.maxMemoryUsedMb,
      );
    } else if (message.type === 'crash') {
      this.doomed = true;
      for (const requestId of message.requestIds) {
        const pending = this.pending.get(requestId);
        if (pending !== undefined)
          this.settle(requestId, pending, { status: 'error', error: message.error, durationMs: 0 });
      }
    }
  }

  private timeOut(requestId: string, timeoutMs: number): void {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return;
    // Lambda: a timed-out invocation's sandbox is stopped and the next invocation starts cold.
    // Other invocations in flight (multi-concurrency) keep running to their own end first.
    this.doomed = true;
    this.settle(
      requestId,
      pending,
      {
        status: 'timeout',
        // Lambda's response payload on a timeout (the log line is the platform's own, see timeoutLine).
        error: {
          errorType: 'Sandbox.Timedout',
          errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
        },
        durationMs: timeoutMs,
      },
      this.peakMemoryMb(),
    );
  }

  private settle(
    requestId: string,
    pending: Pending,
    outcome: Pick<SandboxOutcome, 'status' | 'payload' | 'error' | 'loggedError' | 'durationMs'>,
    maxMemoryUsedMb = this.lastMaxMemoryMb,
  ): void {
    clearTimeout(pending.timer);
    this.pending.delete(requestId);
    pending.resolve({ requestId, ...outcome, maxMemoryUsedMb, initDurationMs: pending.initDurationMs });
    if (this.doomed && this.pending.size === 0 && !this.exited) this.child.kill('SIGKILL');
  }

  private peakMemoryMb(): number {
    // The sandbox cannot answer once stuck; on Linux its peak resident set is in /proc (VmHWM, kB).
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      if (match !== null) return Math.ceil(Number(match[1]) / 1024);
    } catch {
      // not Linux, or already gone
    }
    return this.lastMaxMemoryMb;
  }
}
