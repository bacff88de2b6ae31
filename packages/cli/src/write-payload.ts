import type { InvocationError } from './error-payload.js';
import type { Outcome } from './invoke-once.js';
import type { Run } from './invoke-run.js';
import type { StreamPrinter } from './stream-printer.js';

/**
 * What the caller receives: the response payload (JSON text, or a streamed response's bytes as
 * they came), or the error payload as the runtime posted it.
 */
export function payloadOf(outcome: Outcome): string | Buffer {
  if (outcome.status === 'success') return outcome.payload ?? 'null';
  return outcome.errorPayload ?? JSON.stringify(errorOf(outcome));
}

/**
 * Writes an invocation's payload on stdout, one per line: the caller's view of the invocation. A
 * streamed response is its body (an HTTP prelude went to stderr), unless `printer` printed it as
 * it came; an error after a body printed live follows it on a line of its own.
 */
export function writePayload(run: Run, outcome: Outcome, printer?: StreamPrinter): void {
  const { stdout } = run.io;
  if (printer?.printed === true) {
    if (outcome.status !== 'success') stdout.write(`${printer.endsWithNewline ? '' : '\n'}${payloadOf(outcome)}\n`);
    else if (!printer.endsWithNewline) stdout.write('\n');
    return;
  }
  const body = printer?.heldBody();
  if (outcome.status !== 'success') {
    // What a failed stream sent before it failed, then its error, as a live print shows them.
    if (body !== undefined && body.length > 0) {
      stdout.write(printer?.endsWithNewline === true ? body : Buffer.concat([body, Buffer.from('\n')]));
    }
    stdout.write(`${payloadOf(outcome)}\n`);
    return;
  }
  stdout.write(body ?? payloadOf(outcome));
  // A streamed body that ends its last line itself gets no empty line after it.
  if (body === undefined || printer?.endsWithNewline !== true) stdout.write('\n');
}

/** The invocation's error, as parsed from its payload. */
export function errorOf(outcome: Outcome): InvocationError {
  return outcome.error ?? { errorType: 'Unknown', errorMessage: 'no error reported', trace: [] };
}
