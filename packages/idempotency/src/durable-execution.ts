/**
 * The contract with `@lambdakit/durable`, whose adapter puts this object on the Lambda context of
 * each invocation of a durable execution (under a registry symbol, so neither package depends on
 * the other): which execution it is, how the SDK answered, and whether an idempotent replay
 * answered in its place.
 */
export const DURABLE_EXECUTION: unique symbol = Symbol.for('lambdakit.durable-execution') as never;

/** @internal What `@lambdakit/durable` says of the invocation. */
export interface DurableExecutionFacts {
  /** The execution's ARN: every invocation of it holds the key under this token. */
  readonly arn: string;
  /** Nothing of the execution is checkpointed yet (Lambda sent its first state). */
  readonly fresh?: boolean | undefined;
  /** The SDK was called: it may have checkpointed since. */
  started?: boolean | undefined;
  /** The SDK's answer (`SUCCEEDED`, `FAILED`, `PENDING`), once it answered: what a completed key stores and replays. */
  output?: { Status: string; Result?: string | undefined } | undefined;
  /** Set here when the execution is answered with a stored result instead of running. */
  replayed?: boolean | undefined;
}

/**
 * @internal The key may be given up: the execution has checkpointed nothing (its first state, the
 * SDK not called), so a new start runs it from the beginning, as a retry of it would.
 */
export function untouched(execution: DurableExecutionFacts): boolean {
  return execution.fresh === true && execution.started !== true;
}

/** @internal The durable execution this invocation belongs to, if any. */
export function durableExecutionOf(lambdaContext: unknown): DurableExecutionFacts | undefined {
  if (typeof lambdaContext !== 'object' || lambdaContext === null) return undefined;
  const facts = (lambdaContext as { [DURABLE_EXECUTION]?: unknown })[DURABLE_EXECUTION];
  return typeof facts === 'object' && facts !== null && typeof (facts as { arn?: unknown }).arn === 'string'
    ? (facts as DurableExecutionFacts)
    : undefined;
}
