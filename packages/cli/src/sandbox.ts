import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseErrorPayload, platformError } from './error-payload.js';
import { peakMemoryMb } from './process-memory.js';
import { type Invocation, type InvocationAnswer, RuntimeApiServer } from './runtime-api-server.js';
import type { SandboxInitFailure, SandboxOptions, SandboxOutcome } from './sandbox-outcome.js';

export type { InvocationError } from './error-payload.js';
export type { RuntimeClient, SandboxInitFailure, SandboxOptions, SandboxOutcome } from './sandbox-outcome.js';

/** The error type of an init phase stopped at its limit. */
export const INIT_TIMED_OUT = 'Sandbox.Timedout';

/** One invocation request: everything Lambda passes the runtime, and the function's timeout. */
export type SandboxRequest = Omit<Invocation, 'timeoutMs'>;

/**
 * What {@link Sandbox.invoke} resolves with when the runtime died (or its sandbox was condemned)
 * before it took the invocation: Lambda never started it there, and runs it in another sandbox.
 */
export const NOT_STARTED = Symbol('not started');

interface Pending {
  resolve: (outcome: SandboxOutcome | typeof NOT_STARTED) => void;
  onStart: (() => void) | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  timeoutMs: number;
  initDurationMs: number | undefined;
}

type InitResult = { ready: true } | { failure: SandboxInitFailure };

// Lambda stops an on-demand INIT phase after 10 seconds.
const INIT_LIMIT_MS = 10_000;
// After an init error the runtime exits by itself; it is killed if it has not within this time.
const EXIT_GRACE_MS = 2_000;
// Peak memory is sampled this often while invocations run (a crash leaves no chance to read it).
const MEMORY_SAMPLE_MS = 100;
const runtimeEntry = fileURLToPath(new URL('./runtime/runtime.js', import.meta.url));
const awsBootstrap = fileURLToPath(new URL('./aws-runtime-bootstrap.js', import.meta.url));

/**
 * The CLI's handle on one sandbox: a runtime process that takes invocations from this sandbox's
 * Runtime API server. It enforces each deadline by killing the process (as Lambda does), and turns
 * the process's death into `Runtime.ExitError` for the invocations it was running.
 */
export class Sandbox {
  private readonly pending = new Map<string, Pending>();
  private cold = true;
  /**
   * Set when this sandbox's init was retried within the first invocation (an on-demand init over
   * 10 s): that retry's time counts toward the invocation, which takes it from here once.
   */
  suppressedInitMs: number | undefined;
  private doomed = false;
  private exited = false;
  private peakMemoryMb = 0;
  private sampler: ReturnType<typeof setInterval> | undefined;
  private readonly exit: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly api: RuntimeApiServer,
    readonly initDurationMs: number,
  ) {
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) =>
      this.onExit(signal === null ? `exit status ${code}` : `signal: ${signal === 'SIGKILL' ? 'killed' : signal}`),
    );
  }

  /** Starts a runtime process and its Runtime API, and waits for the function's init phase to end. */
  static async start(options: SandboxOptions): Promise<Sandbox | SandboxInitFailure> {
    let sandbox: Sandbox | undefined;
    let settleInit: (result: InitResult) => void = () => undefined;
    const initResult = new Promise<InitResult>((resolve) => {
      settleInit = resolve;
    });
    const startedAt = performance.now();
    const api = await RuntimeApiServer.start({
      workerReady: (worker) => {
        options.onWorkerReady?.(worker, performance.now() - startedAt);
        if (worker >= (options.workers ?? 1)) settleInit({ ready: true });
      },
      initError: ({ payload, errorType }) => {
        const text = payload.toString('utf8');
        const initDurationMs = performance.now() - startedAt;
        settleInit({ failure: { error: parseErrorPayload(text, errorType), errorPayload: text, initDurationMs } });
      },
      dispatched: (requestId) => sandbox?.onDispatched(requestId),
    });
    const child = spawnRuntime(options, api.address);
    const unregister = options.onSpawn?.(() => child.kill('SIGKILL')) ?? (() => undefined);
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(signal === null ? `exit status ${code}` : `signal: ${signal}`));
      child.once('error', (error) => resolve(error.message));
    });
    const failAfter = (errorType: string, message: string) =>
      settleInit({ failure: { ...platformError(errorType, message), initDurationMs: performance.now() - startedAt } });
    const initLimitMs = options.initLimitMs ?? INIT_LIMIT_MS;
    const timer = setTimeout(
      () => failAfter(INIT_TIMED_OUT, `INIT phase did not finish within ${(initLimitMs / 1000).toFixed(2)} seconds`),
      initLimitMs,
    );
    void exited.then((status) => failAfter('Runtime.ExitError', `Runtime exited during init with error: ${status}`));
    const result = await initResult;
    clearTimeout(timer);
    unregister();
    if ('failure' in result) {
      // Lambda resets a sandbox whose init failed; its runtime exits on its own after reporting.
      if (result.failure.error.errorType === INIT_TIMED_OUT && child.pid !== undefined) {
        result.failure.maxMemoryUsedMb = peakMemoryMb(child.pid);
        child.kill('SIGKILL');
      }
      const grace = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
      await exited;
      clearTimeout(grace);
      await api.close();
      return result.failure;
    }
    sandbox = new Sandbox(child, api, performance.now() - startedAt);
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
    if (!this.usable) return Promise.resolve(NOT_STARTED);
    return new Promise((resolve) => {
      const pending: Pending = { resolve, onStart, timer: undefined, timeoutMs, initDurationMs: undefined };
      this.pending.set(request.requestId, pending);
      // On Linux, reading /proc is cheap; elsewhere memory is read (with `ps`) only as invocations settle.
      if (process.platform === 'linux')
        this.sampler ??= setInterval(() => this.sampleMemory(), MEMORY_SAMPLE_MS).unref();
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
    if (this.cold) pending.initDurationMs = this.initDurationMs;
    this.cold = false;
    pending.onStart?.();
    this.sampleMemory();
    pending.timer = setTimeout(() => this.timeOut(requestId), pending.timeoutMs);
  }

  private onExit(status: string): void {
    this.exited = true;
    for (const [requestId, pending] of this.pending) {
      const dispatched = this.api.dispatchOf(requestId);
      this.api.abandon(requestId);
      if (dispatched === undefined) {
        this.notStarted(requestId, pending);
        continue;
      }
      this.settle(requestId, pending, {
        status: 'error',
        platformError: 'Runtime.ExitError',
        ...platformError('Runtime.ExitError', `RequestId: ${requestId} Error: Runtime exited with error: ${status}`),
        durationMs: performance.now() - dispatched.at,
        worker: dispatched.worker,
      });
    }
    clearInterval(this.sampler);
    void this.api.close();
  }

  private answered(requestId: string, answer: InvocationAnswer): void {
    const pending = this.pending.get(requestId);
    // An answer for an invocation already timed out arrives too late: Lambda would have discarded it.
    if (pending === undefined) return;
    const common = { durationMs: answer.durationMs, worker: answer.worker };
    if (answer.kind === 'response') {
      const payload = answer.streamed ? answer.payload : answer.payload.toString('utf8');
      this.settle(requestId, pending, { status: 'success', payload, truncated: answer.truncated === true, ...common });
      return;
    }
    const text = answer.payload.toString('utf8');
    const error = parseErrorPayload(text, answer.errorType);
    this.settle(requestId, pending, { status: 'error', errorPayload: text, error, ...common });
  }

  private timeOut(requestId: string): void {
    const pending = this.pending.get(requestId);
    if (pending === undefined) return;
    const worker = this.api.dispatchOf(requestId)?.worker ?? 1;
    this.api.abandon(requestId);
    // Lambda: a timed-out invocation's sandbox is stopped and the next invocation starts cold.
    // Other invocations in flight (multi-concurrency) keep running to their own end first; those
    // not yet taken go to another sandbox.
    this.doomed = true;
    for (const [otherId, other] of this.pending) {
      if (otherId !== requestId && this.api.dispatchOf(otherId) === undefined) {
        this.api.abandon(otherId);
        this.notStarted(otherId, other);
      }
    }
    const seconds = (pending.timeoutMs / 1000).toFixed(2);
    this.settle(requestId, pending, {
      status: 'timeout',
      // Lambda's response payload on a timeout (the log line is the platform's own, see timeoutLine).
      ...platformError('Sandbox.Timedout', `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`),
      durationMs: pending.timeoutMs,
      worker,
    });
  }

  private notStarted(requestId: string, pending: Pending): void {
    clearTimeout(pending.timer);
    this.pending.delete(requestId);
    pending.resolve(NOT_STARTED);
  }

  private settle(
    requestId: string,
    pending: Pending,
    outcome: Omit<SandboxOutcome, 'requestId' | 'maxMemoryUsedMb' | 'initDurationMs'>,
  ): void {
    clearTimeout(pending.timer);
    this.pending.delete(requestId);
    this.sampleMemory();
    if (this.pending.size === 0) {
      clearInterval(this.sampler);
      this.sampler = undefined;
    }
    pending.resolve({
      requestId,
      ...outcome,
      maxMemoryUsedMb: this.peakMemoryMb,
      initDurationMs: pending.initDurationMs,
    });
    if (this.doomed && this.pending.size === 0 && !this.exited) this.child.kill('SIGKILL');
  }

  private sampleMemory(): void {
    if (this.exited || this.child.pid === undefined) return;
    this.peakMemoryMb = Math.max(this.peakMemoryMb, peakMemoryMb(this.child.pid));
  }
}

/** Starts the runtime client's process, pointed at the sandbox's Runtime API. */
function spawnRuntime(options: SandboxOptions, address: string): ChildProcess {
  const { runtimeClient } = options;
  const args = runtimeClient.kind === 'aws' ? [awsBootstrap, runtimeClient.ricDir] : [runtimeEntry];
  return spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...options.env, AWS_LAMBDA_RUNTIME_API: address },
    // The function's own output goes to the CLI's stderr, so the CLI's stdout carries only
    // response payloads: `lambdakit invoke … > out.json` works.
    stdio: ['ignore', 2, 2],
  });
}
