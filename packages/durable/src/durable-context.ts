import type { DurableContext } from '@aws/durable-execution-sdk-js';

/**
 * What a durable handler's `ctx` has beyond the chain's: the SDK's durable context (`step`,
 * `wait`, `waitForCallback`, `createCallback`, `invoke`, `runInChildContext`, `map`, `parallel`,
 * `waitForCondition`, `promise`, `logger`, `executionContext`, `configureSerdes`), and the
 * execution's ARN. `lambdaContext` stays lambdakit's, and `configureLogger` is lambdakit's to set
 * (the SDK's logger writes through `ctx.log`).
 */
export type DurableFields = Omit<DurableContext, 'lambdaContext' | 'configureLogger'> & {
  /** The durable execution this invocation runs (`DurableExecutionArn`), the same in every invocation of it. */
  readonly durableExecutionArn: string;
};

/** The SDK's durable context methods put on `ctx`, each bound to this invocation's durable context. */
export const DURABLE_METHODS = [
  'step',
  'wait',
  'waitForCallback',
  'createCallback',
  'invoke',
  'runInChildContext',
  'map',
  'parallel',
  'waitForCondition',
  'configureSerdes',
] as const satisfies readonly (keyof DurableContext)[];
