import { LambdakitError } from './lambdakit-error.js';

/** What a {@link TimeoutError} knows about the deadline it hit. */
export interface TimeoutErrorDetails {
  /** The invocation's deadline, epoch milliseconds. */
  deadline: number;
  /** The safety margin before the deadline at which lambdakit gave up, in milliseconds. */
  marginMs: number;
  /** Milliseconds left before Lambda would have killed the sandbox when the timeout fired. */
  remainingTimeMs: number;
  /** Where the pipeline stood: a middleware's hook (`config: before`) or `handler`. */
  stage?: string;
}

/**
 * The invocation ran out of time: thrown by the `timeout()` middleware and used as the
 * `reason` of `ctx.signal` when it aborts, before Lambda kills the sandbox.
 */
export class TimeoutError extends LambdakitError<'CORE_TIMEOUT'> {
  readonly deadline: number;
  readonly marginMs: number;
  readonly remainingTimeMs: number;
  /** Where the pipeline stood when time ran out: a middleware's hook (`config: before`) or `handler`. */
  readonly stage: string | undefined;

  constructor(code: 'CORE_TIMEOUT', message: string, details: TimeoutErrorDetails) {
    super(code, message);
    this.deadline = details.deadline;
    this.marginMs = details.marginMs;
    this.remainingTimeMs = details.remainingTimeMs;
    this.stage = details.stage;
  }
}

/** The timeout error for an invocation that reached its margin: the message says how much time was left. */
export function timeoutError(details: TimeoutErrorDetails): TimeoutError {
  return new TimeoutError(
    'CORE_TIMEOUT',
    `Invocation timed out: ${details.remainingTimeMs} ms left before the deadline, under the ${details.marginMs} ms margin`,
    details,
  );
}
