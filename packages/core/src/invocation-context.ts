import { type Scheduled, schedule, unschedule } from './deadline-scheduler.js';
import type { LambdaContext } from './lambda-context.js';
import { type TimeoutError, timeoutError } from './timeout-error.js';

/** How an invocation ended, as seen by cleanup hooks. */
export type InvocationOutcome =
  | { readonly status: 'success'; readonly result: unknown }
  | { readonly status: 'error'; readonly error: unknown }
  | { readonly status: 'timeout'; readonly error: TimeoutError };

/** A function run when an invocation settles; awaited before the handler's promise settles. */
export type CleanupHook = (outcome: InvocationOutcome) => void | Promise<void>;

/**
 * The `ctx` every handler and middleware sees: a new object per invocation, layered over
 * Lambda's (never mutated) context, with the deadline, a cancellation signal and cleanup hooks.
 */
export interface InvocationContext extends LambdaContext {
  /** Lambda's own context object, untouched (under `durable()` of `@lambdakit/durable`, an object inheriting from it). */
  readonly lambdaContext: LambdaContext;
  /** When Lambda will stop this invocation, epoch milliseconds (`Infinity` without a Lambda context). */
  readonly deadline: number;
  /** Aborts with a `TimeoutError` reason at the deadline minus the timeout margin. */
  readonly signal: AbortSignal;
  /**
   * True once the invocation has timed out (`ctx.signal`, if read, has aborted). Unlike reading
   * `ctx.signal`, reading it never arms the default deadline: a middleware can check it without
   * changing what happens to an invocation that has no `timeout()`.
   */
  readonly timedOut: boolean;
  /** True only for the first invocation in this process, never under provisioned concurrency. */
  readonly coldStart: boolean;
  /** The X-Ray trace header of this invocation: the runtime's invoke store, else `_X_AMZN_TRACE_ID`. */
  readonly traceId: string | undefined;
  /**
   * True while a durable function re-runs code its execution already ran in an earlier invocation
   * (`@lambdakit/durable`): `logger()` and `metrics()` write nothing then. Always false otherwise.
   */
  readonly replaying: boolean;
  /**
   * Where the invocation stands (`config: before`, `handler`), as a `TimeoutError` reports it. The
   * pipeline sets it; business logic may refine it (`handler: step "charge"`).
   */
  stage: string;
  /** Registers a hook run (last registered, first run) when the invocation settles, on every path. */
  cleanup(hook: CleanupHook): void;
}

/** Margin before the deadline at which `ctx.signal` aborts when no `timeout()` middleware set one. */
export const DEFAULT_MARGIN_MS = 500;

let processInitialised = false;

function isColdStart(): boolean {
  if (processInitialised) return false;
  processInitialised = true;
  // Lambda: provisioned concurrency initialises the sandbox ahead of any invocation, so no
  // invocation pays (or should report) a cold start.
  return process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency';
}

// Lambda sets AWS_LAMBDA_MAX_CONCURRENCY before the process starts when invocations may overlap
// (Lambda Managed Instances; `lambdakit invoke --concurrency`).
const MULTI_CONCURRENCY = process.env.AWS_LAMBDA_MAX_CONCURRENCY !== undefined;

function runtimeInvokeStore(): InvokeStore | undefined {
  return (globalThis as { awslambda?: { InvokeStore?: InvokeStore } }).awslambda?.InvokeStore;
}

/** The part of AWS's invoke-scoped store (`@aws/lambda-invoke-store`) read here. */
interface InvokeStore {
  getXRayTraceId(): string | undefined;
}

/**
 * The X-Ray trace header of the invocation running now. Lambda Managed Instances run several
 * invocations at once and keep per-invocation values in the runtime's invoke store
 * (`globalThis.awslambda.InvokeStore`, async-context scoped), not in `_X_AMZN_TRACE_ID`.
 */
function currentTraceId(): string | undefined {
  const store = runtimeInvokeStore();
  if (store !== undefined) {
    try {
      const id = store.getXRayTraceId();
      if (typeof id === 'string' && id !== '') return id;
    } catch {
      // A store outside an invocation's async context: fall back to the environment.
    }
  }
  return process.env._X_AMZN_TRACE_ID;
}

function noRemainingTime(): number {
  return Number.POSITIVE_INFINITY;
}

/**
 * One invocation's state. Created per call by the handler built with `lambda()`; everything
 * per invocation lives here, never in module scope, so concurrent invocations in one process
 * (Lambda Managed Instances) cannot see each other's deadline, signal or hooks.
 */
export class Invocation implements InvocationContext, Scheduled {
  readonly lambdaContext: LambdaContext;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly identity: LambdaContext['identity'];
  readonly clientContext: LambdaContext['clientContext'];
  readonly tenantId: string | undefined;
  callbackWaitsForEmptyEventLoop: boolean;
  readonly getRemainingTimeInMillis: () => number;
  readonly deadline: number;
  readonly coldStart: boolean;
  /** @internal */ marginMs: number;
  /** @internal */ hooks: CleanupHook[] | undefined = undefined;
  /** @internal */ timeoutError: TimeoutError | undefined = undefined;
  /** @internal */ settled = false;
  readonly replaying: boolean = false;
  stage = 'start';
  /** @internal True when `timeout()` races the pipeline: its timer aborts the signal, not one of the signal's own. */
  deadlineEnforced = false;
  /** @internal When the deadline scheduler fires for this invocation (deadline − margin). */
  due = Number.POSITIVE_INFINITY;
  /** @internal The invocation's place in the deadline scheduler, −1 when not scheduled. */
  slot = -1;
  /** @internal Set by the handler while `timeout()` races the pipeline: rejects the race. */
  rejectRace: ((error: TimeoutError) => void) | undefined = undefined;
  private controller: AbortController | undefined = undefined;

  constructor(context: LambdaContext | undefined, marginMs: number) {
    const lc = (context ?? {}) as Partial<LambdaContext>;
    this.lambdaContext = lc as LambdaContext;
    this.functionName = lc.functionName ?? '';
    this.functionVersion = lc.functionVersion ?? '';
    this.invokedFunctionArn = lc.invokedFunctionArn ?? '';
    this.memoryLimitInMB = lc.memoryLimitInMB ?? '';
    this.awsRequestId = lc.awsRequestId ?? '';
    this.logGroupName = lc.logGroupName ?? '';
    this.logStreamName = lc.logStreamName ?? '';
    this.identity = lc.identity;
    this.clientContext = lc.clientContext;
    this.tenantId = lc.tenantId;
    this.callbackWaitsForEmptyEventLoop = lc.callbackWaitsForEmptyEventLoop ?? true;
    const remaining = lc.getRemainingTimeInMillis;
    this.getRemainingTimeInMillis = typeof remaining === 'function' ? remaining.bind(lc) : noRemainingTime;
    // The clock is read before the remaining time, so the deadline is never later than Lambda's
    // (read after, a millisecond tick in between would put it one past).
    const now = Date.now();
    const remainingMs = this.getRemainingTimeInMillis();
    this.deadline = Number.isFinite(remainingMs) ? now + remainingMs : Number.POSITIVE_INFINITY;
    this.coldStart = isColdStart();
    this.marginMs = marginMs;
    if (MULTI_CONCURRENCY || runtimeInvokeStore() !== undefined) this.#traceHeader = currentTraceId();
  }

  // Not `trace`: `ctx.trace` belongs to @lambdakit/tracer, which sets it on this object.
  #traceHeader: string | undefined | null = null;

  get traceId(): string | undefined {
    // One invocation at a time (on-demand Lambda): the variable is this invocation's until it
    // ends, so it is read on first use (process.env reads cost ~0.5 µs). Otherwise the
    // constructor read it, since a later invocation would replace it.
    if (this.#traceHeader === null) this.#traceHeader = currentTraceId();
    return this.#traceHeader;
  }

  get timedOut(): boolean {
    return this.timeoutError !== undefined;
  }

  get signal(): AbortSignal {
    // Created on first read: most invocations never look at it, and an AbortController plus
    // a timer per invocation would be paid on every warm call.
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.timeoutError !== undefined) this.controller.abort(this.timeoutError);
      else if (!this.settled && !this.deadlineEnforced && Number.isFinite(this.deadline)) {
        const due = this.deadline - this.marginMs;
        if (due <= Date.now()) this.timeOut();
        else this.scheduleDeadline(due);
      }
    }
    return this.controller.signal;
  }

  cleanup(hook: CleanupHook): void {
    if (typeof hook !== 'function') throw new TypeError('ctx.cleanup(hook): hook must be a function');
    if (this.hooks === undefined) this.hooks = [hook];
    else this.hooks.push(hook);
  }

  /** @internal Marks the invocation timed out and aborts the signal. Returns the error. */
  timeOut(): TimeoutError {
    if (this.timeoutError === undefined) {
      this.timeoutError = timeoutError({
        deadline: this.deadline,
        marginMs: this.marginMs,
        remainingTimeMs: Math.max(0, this.deadline - Date.now()),
        stage: this.stage,
      });
      this.controller?.abort(this.timeoutError);
    }
    return this.timeoutError;
  }

  /** @internal Times the invocation out at `due` (one shared timer for all invocations). */
  scheduleDeadline(due: number): void {
    this.due = due;
    schedule(this);
  }

  /** @internal Called by the deadline scheduler at `due`. */
  fire(): void {
    const error = this.timeOut();
    this.rejectRace?.(error);
  }

  /** @internal Leaves the deadline scheduler: nothing of this invocation outlives it. */
  dispose(): void {
    this.settled = true;
    this.rejectRace = undefined;
    if (this.slot >= 0) unschedule(this);
  }
}
