/** The `type` of every warning lambdakit emits, so a `process.on('warning')` listener can pick them out. */
export const WARNING_TYPE = 'LambdakitWarning';

/**
 * lambdakit's one warning channel: something went wrong that must not fail the invocation (a cleanup
 * hook threw, a refresh failed, a record had no idempotency key). Emitted as a Node.js process warning
 * with type `LambdakitWarning` and a package-prefixed code (`LAMBDAKIT_CONFIG_REFRESH_FAILED`), so it
 * reaches stderr (and CloudWatch) by default, can be observed with `process.on('warning')`, and can
 * be silenced with Node's own switches.
 */
export function emitWarning(code: `LAMBDAKIT_${string}`, message: string): void {
  process.emitWarning(message, { type: WARNING_TYPE, code });
}
