import { LambdakitError } from '@lambdakit/core';

/** What went wrong around a durable execution (not in its workflow: the SDK reports those). */
export type DurableErrorCode = 'DURABLE_NOT_A_DURABLE_EVENT' | 'DURABLE_PAYLOAD_INVALID' | 'DURABLE_ANSWERED_EARLY';

/**
 * - `DURABLE_NOT_A_DURABLE_EVENT`: the event is not a durable execution's (the function is not
 *   deployed as durable, or was invoked with a plain payload);
 * - `DURABLE_PAYLOAD_INVALID`: the execution's input payload is not JSON;
 * - `DURABLE_ANSWERED_EARLY`: a middleware answered before the workflow ran, which cannot complete
 *   an execution; the invocation fails and Lambda runs it again.
 */
export class DurableError extends LambdakitError<DurableErrorCode> {
  /** Where in the event the problem is (`InitialExecutionState.Operations[0].ExecutionDetails.InputPayload`), if in it. */
  readonly path: string | undefined;

  constructor(code: DurableErrorCode, message: string, path?: string) {
    super(code, message);
    this.path = path;
  }
}
