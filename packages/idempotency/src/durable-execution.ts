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
  /** The SDK's answer (`SUCCEEDED`, `FAILED`, `PENDING`), once it answered. */
  status?: string | undefined;
  /** Set here when the execution is answered with a stored result instead of running. */
  replayed?: boolean | undefined;
}

/** @internal The durable execution this invocation belongs to, if any. */
export function durableExecutionOf(lambdaContext: unknown): DurableExecutionFacts | undefined {
  if (typeof lambdaContext !== 'object' || lambdaContext === null) return undefined;
  const facts = (lambdaContext as { [DURABLE_EXECUTION]?: unknown })[DURABLE_EXECUTION];
  return typeof facts === 'object' && facts !== null && typeof (facts as { arn?: unknown }).arn === 'string'
    ? (facts as DurableExecutionFacts)
    : undefined;
}
