import { LambdakitError } from '@lambdakit/core';

/** The stable codes of {@link ResilienceError}. */
export type ResilienceErrorCode =
  | 'RESILIENCE_CIRCUIT_OPEN'
  | 'RESILIENCE_CONCURRENCY_LIMIT'
  | 'RESILIENCE_RECURSION_LIMIT'
  | 'RESILIENCE_STORE_FAILED';

/** What a {@link ResilienceError} carries besides its message; each code sets the fields it knows. */
export interface ResilienceErrorDetails {
  /** The breaker's or the limiter's name, or the guarded function's (`error.name` is the class name). */
  resource: string;
  /** `RESILIENCE_CIRCUIT_OPEN`: when a call may next go through (a probe), epoch milliseconds. */
  retryAt?: number | undefined;
  /** `RESILIENCE_CONCURRENCY_LIMIT`: the limit. */
  max?: number | undefined;
  /** `RESILIENCE_CONCURRENCY_LIMIT`: how many leases were live at the last attempt. */
  holders?: number | undefined;
  /** The underlying error: the store's, or the signal's reason that ended a wait. */
  cause?: unknown;
}

/**
 * Every error @lambdakit/resilience throws; branch on `code`. The breaker's or limiter's `name`
 * (`resource`) is always set; `retryAt`, `max` and `holders` where the code knows them.
 */
export class ResilienceError extends LambdakitError<ResilienceErrorCode> {
  /** The breaker's or the limiter's name, or the guarded function's. */
  readonly resource: string;
  /** When a call may next go through, epoch milliseconds (`RESILIENCE_CIRCUIT_OPEN`, `RESILIENCE_CONCURRENCY_LIMIT`). */
  readonly retryAt: number | undefined;
  /** The limit (`RESILIENCE_CONCURRENCY_LIMIT`). */
  readonly max: number | undefined;
  /** Live leases at the last attempt (`RESILIENCE_CONCURRENCY_LIMIT`). */
  readonly holders: number | undefined;

  constructor(code: ResilienceErrorCode, message: string, details: ResilienceErrorDetails) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.resource = details.resource;
    this.retryAt = details.retryAt;
    this.max = details.max;
    this.holders = details.holders;
  }
}

/**
 * The breaker is open (or its half-open probes are all taken): the call was not made. Retryable
 * after `retryAt`; for an SQS record, reporting it as a batch item failure redelivers it later.
 */
export class CircuitOpenError extends ResilienceError {
  declare readonly code: 'RESILIENCE_CIRCUIT_OPEN';
  declare readonly retryAt: number;
  /** Always true: the same call can succeed once the downstream recovers. */
  readonly retryable = true;

  constructor(code: 'RESILIENCE_CIRCUIT_OPEN', message: string, details: { resource: string; retryAt: number }) {
    super(code, message, details);
  }
}

/** No slot of the limiter freed up within the wait: the call was not made. Retryable. */
export class ConcurrencyLimitError extends ResilienceError {
  declare readonly code: 'RESILIENCE_CONCURRENCY_LIMIT';
  declare readonly max: number;
  declare readonly holders: number;
  /** Always true: a slot frees up when a holder finishes or its lease expires. */
  readonly retryable = true;

  constructor(
    code: 'RESILIENCE_CONCURRENCY_LIMIT',
    message: string,
    details: { resource: string; max: number; holders: number; retryAt: number | undefined; cause?: unknown },
  ) {
    super(code, message, details);
  }
}

/**
 * An event arrived deeper in a chain of calls than `recursionGuard({ maxDepth })` allows: the
 * business logic did not run. Not retryable: the same event is refused every time.
 */
export class RecursionLimitError extends ResilienceError {
  declare readonly code: 'RESILIENCE_RECURSION_LIMIT';
  /** The depth the event carried. */
  readonly depth: number;
  /** The guard's `maxDepth`. */
  readonly maxDepth: number;
  /** Always false: retrying the event meets the same limit. */
  readonly retryable = false;

  constructor(
    code: 'RESILIENCE_RECURSION_LIMIT',
    message: string,
    details: { resource: string; depth: number; maxDepth: number },
  ) {
    super(code, message, { resource: details.resource });
    this.depth = details.depth;
    this.maxDepth = details.maxDepth;
  }
}

/** Function `name` was invoked at `depth`, past `maxDepth`. */
export function recursionLimitError(name: string, depth: number, maxDepth: number): RecursionLimitError {
  return new RecursionLimitError(
    'RESILIENCE_RECURSION_LIMIT',
    `Recursion limit: ${name} was invoked at call depth ${depth}, past maxDepth ${maxDepth}; the business logic did not run`,
    { resource: name, depth, maxDepth },
  );
}

/** Breaker `name` refuses calls until `retryAt`. */
export function circuitOpenError(name: string, retryAt: number, reason: 'open' | 'probing'): CircuitOpenError {
  const why = reason === 'open' ? 'is open' : 'is half-open and its probes are taken';
  return new CircuitOpenError(
    'RESILIENCE_CIRCUIT_OPEN',
    `Circuit breaker ${name} ${why}: the call was not made (next attempt after ${new Date(retryAt).toISOString()})`,
    { resource: name, retryAt },
  );
}

/** Limiter `name` had `holders` of `max` slots taken for the whole wait. */
export function concurrencyLimitError(
  name: string,
  max: number,
  holders: number,
  retryAt: number | undefined,
  cause?: unknown,
): ConcurrencyLimitError {
  const free = retryAt === undefined ? '' : ` (the first lease expires at ${new Date(retryAt).toISOString()})`;
  return new ConcurrencyLimitError(
    'RESILIENCE_CONCURRENCY_LIMIT',
    `Concurrency limit ${name}: ${holders} of ${max} slots taken, none freed up within the wait${free}`,
    { resource: name, max, holders, retryAt, cause },
  );
}

/** `Name: message` of an error, for messages and warnings that quote one. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
