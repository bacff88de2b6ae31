import type { DurableExecutionInvocationOutput } from '@aws/durable-execution-sdk-js';

/**
 * What other middlewares learn of the durable execution, on each invocation's Lambda context under
 * a registry symbol (`@lambdakit/idempotency` reads it, with its own copy of this shape): the
 * execution, whether anything of it is checkpointed, the SDK's answer once given, and whether a
 * stored result answered in the workflow's place.
 */
export const DURABLE_EXECUTION = Symbol.for('lambdakit.durable-execution');

/** The object under {@link DURABLE_EXECUTION}. */
export interface DurableExecutionFacts {
  readonly arn: string;
  /** Nothing of the execution is checkpointed yet: Lambda sent its first state. */
  readonly fresh: boolean;
  /** The SDK was called (it may checkpoint from then on). */
  started?: boolean | undefined;
  /** The SDK's answer (`SUCCEEDED`, `FAILED`, `PENDING`), once given. */
  output?: DurableExecutionInvocationOutput | undefined;
  /** Set by `idempotent()` when a stored answer ends the execution instead of the workflow. */
  replayed?: boolean | undefined;
}
