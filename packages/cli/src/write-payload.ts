import type { InvocationError } from './error-payload.js';
import type { Outcome } from './invoke-once.js';
import type { Run } from './invoke-run.js';

/**
 * What the caller receives: the response payload (JSON text, or a streamed response's bytes as
 * they came), or the error payload as the runtime posted it.
 */
export function payloadOf(outcome: Outcome): string | Buffer {
  if (outcome.status === 'success') return outcome.payload ?? 'null';
  return outcome.errorPayload ?? JSON.stringify(errorOf(outcome));
}

/** Writes an invocation's payload on stdout, one per line: the caller's view of the invocation. */
export function writePayload(run: Run, outcome: Outcome): void {
  run.io.stdout.write(payloadOf(outcome));
  run.io.stdout.write('\n');
}

/** The invocation's error, as parsed from its payload. */
export function errorOf(outcome: Outcome): InvocationError {
  return outcome.error ?? { errorType: 'Unknown', errorMessage: 'no error reported', trace: [] };
}
