import type { DurableContext, DurableExecutionInvocationOutput } from '@aws/durable-execution-sdk-js';
import { emitWarning, type InvocationContext } from '@lambdakit/core';
import { DURABLE_METHODS } from './durable-context.js';
import type { DurableExecutionFacts } from './durable-execution-facts.js';
import { durableLogAdapter, PROBE } from './durable-log-adapter.js';
import { trackedArgs } from './tracked-operation.js';

/**
 * One invocation of a durable handler: what the adapter, the pipeline's logic and the SDK's
 * handler hand each other. Reached through the Lambda context object the invocation was given
 * (a fresh one per invocation), so concurrent invocations never share one.
 */
export class DurableRun {
  readonly envelope: unknown;
  event: unknown = undefined;
  ctx: (InvocationContext & Record<string, unknown>) | undefined = undefined;
  durable: DurableContext | undefined = undefined;
  output: DurableExecutionInvocationOutput | undefined = undefined;
  /** What the business logic threw, when the execution failed with it. */
  error: unknown = undefined;
  /** What the SDK's handler threw (an error of its own: a checkpoint that failed). */
  sdkError: unknown = undefined;
  /** Set once the invocation has answered: a run left behind (after a timeout) goes no further. */
  private closed = false;
  /** Operations whose functions are running now, last started last: what a timeout reports. */
  readonly running: string[] = [];
  private live = false;

  constructor(
    envelope: unknown,
    /** What other middlewares learn of the execution (see `durable.ts`). */
    readonly facts: DurableExecutionFacts,
  ) {
    this.envelope = envelope;
  }

  /**
   * True while the code running now re-runs what an earlier invocation of the execution ran. The
   * SDK has no public flag; its mode-aware logger forwards a call only outside replay, so a probe
   * sent through it says which it is, for the context (root or child) that is running.
   */
  replaying(): boolean {
    const durable = this.durable;
    if (durable === undefined || probeBroken) return false;
    this.live = false;
    durable.logger.debug(PROBE);
    return !this.live;
  }

  /** Puts the SDK's durable context on `ctx`, with the logger wired to lambdakit's. */
  attach(durable: DurableContext): void {
    const ctx = this.ctx!;
    this.durable = durable;
    const target = {
      log: () => {
        const log = ctx.log as { info?: unknown } | undefined;
        return typeof log?.info === 'function' ? (log as never) : undefined;
      },
      probed: () => {
        this.live = true;
      },
      logData: undefined as (() => import('@aws/durable-execution-sdk-js').DurableLogData) | undefined,
    };
    durable.configureLogger({ customLogger: durableLogAdapter(target), modeAware: true });
    for (const name of DURABLE_METHODS) {
      const method = durable[name] as (...args: unknown[]) => unknown;
      // After the invocation answered (a timeout), the SDK's run may still be going: its next
      // operation never starts, so it checkpoints nothing with a stale token in a later invocation.
      ctx[name] = (...args: unknown[]) =>
        this.closed ? new Promise(() => {}) : method.apply(durable, trackedArgs(name, args, this));
    }
    Object.defineProperties(ctx, {
      durableExecutionArn: { value: durable.executionContext.durableExecutionArn, configurable: true },
      executionContext: { value: durable.executionContext, configurable: true },
      // Getters: the SDK builds a new combinator object per read, and a new logger per configureLogger().
      promise: { get: () => durable.promise, configurable: true },
      logger: { get: () => durable.logger, configurable: true },
      replaying: { get: () => this.replaying(), configurable: true },
      logFields: { value: () => operationFields(target.logData), configurable: true },
    });
    if (isFirstInvocation(this.envelope)) checkProbe(this);
  }

  /** The invocation has answered Lambda. */
  close(): void {
    this.closed = true;
  }

  /** An operation's function started: a timeout now reports it as where the invocation stood. */
  enter(label: string): void {
    this.running.push(label);
    if (this.ctx !== undefined) this.ctx.stage = `handler: ${label}`;
  }

  exit(label: string): void {
    const at = this.running.lastIndexOf(label);
    if (at >= 0) this.running.splice(at, 1);
    const last = this.running.at(-1);
    if (this.ctx !== undefined) this.ctx.stage = last === undefined ? 'handler' : `handler: ${last}`;
  }
}

// Set when the probe fails where it cannot: the SDK no longer forwards it as it did. Replay is then
// unknown, and every line and metric is written (twice rather than never).
let probeBroken = false;

/** In the first invocation of an execution nothing is replayed: a probe that says otherwise is broken. */
function checkProbe(run: DurableRun): void {
  if (!run.replaying()) return;
  probeBroken = true;
  emitWarning(
    'LAMBDAKIT_DURABLE_REPLAY_UNKNOWN',
    'durable(): the SDK no longer tells replayed code apart through its logger; ctx.replaying stays false and replayed code logs again',
  );
}

/** Lambda sent the execution's first state: nothing of it is checkpointed yet. */
export function isFirstInvocation(envelope: unknown): boolean {
  const state = (envelope as { InitialExecutionState?: { Operations?: unknown[]; NextMarker?: unknown } })
    .InitialExecutionState;
  return state?.Operations?.length === 1 && !state.NextMarker;
}

/** The fields each `ctx.log` line carries: the execution, and the operation running and its attempt. */
function operationFields(
  logData: (() => import('@aws/durable-execution-sdk-js').DurableLogData) | undefined,
): Record<string, unknown> | undefined {
  if (logData === undefined) return undefined;
  const data = logData();
  const fields: Record<string, unknown> = { durableExecutionArn: data.executionArn };
  if (data.operationName !== undefined) fields.operationName = data.operationName;
  if (data.operationId !== undefined) fields.operationId = data.operationId;
  if (data.attempt !== undefined) fields.attempt = data.attempt;
  return fields;
}
