import { redactSecretValues } from '@lambdakit/core';
import { type SanitizeOptions, sanitize } from './sanitize.js';

/**
 * The error about to leave the function, as safe to log as the logger's own lines. Lambda's
 * runtime logs a thrown error's own enumerable fields in full (its `Invoke Error` line: `errorType`,
 * `errorMessage`, `code`, every own field as JSON, the stack), so an HTTP client's error carrying
 * `config.headers.Authorization` would print the token. Returns the error itself when it has
 * nothing to redact; else a twin of the same class (`instanceof` holds), with the same name and
 * cause, whose own fields are redacted, and whose message and stack hold no value the sandbox knows
 * to be secret (a database password from `@lambdakit/config` quoted in a driver's error).
 */
export function redactThrown(error: unknown, options: SanitizeOptions): unknown {
  if (!(error instanceof Error)) return error;
  let fields: Record<string, unknown>;
  let message: string;
  let stack: unknown;
  try {
    fields = Object.fromEntries(
      Object.keys(error).map((key) => [key, (error as unknown as Record<string, unknown>)[key]]),
    );
    message = String(error.message);
    stack = error.stack;
  } catch {
    return error;
  }
  const sanitized = sanitize(fields, options) as Record<string, unknown>;
  // Secret values (registered by @lambdakit/config) in the fields' strings, the message, the stack.
  const cleaned = Object.fromEntries(
    Object.entries(sanitized).map(([key, value]) => [
      key,
      typeof value === 'string' ? redactSecretValues(value) : value,
    ]),
  );
  const texts = {
    message: redactSecretValues(message),
    stack: typeof stack === 'string' ? redactSecretValues(stack) : stack,
  };
  const unchanged =
    texts.message === message &&
    texts.stack === stack &&
    Object.keys(fields).every((key) => cleaned[key] === fields[key]);
  if (unchanged) return error;
  const twin = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const key of ['name', 'message', 'stack', 'cause']) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (descriptor === undefined) continue;
    // Read, not copied: from Node 22, V8 makes `stack` an own accessor that answers only on the
    // error it was captured for, so a copied accessor would read undefined on the twin.
    const read = 'value' in descriptor ? descriptor.value : (error as unknown as Record<string, unknown>)[key];
    const value = key === 'message' ? texts.message : key === 'stack' ? texts.stack : read;
    Object.defineProperty(twin, key, { value, enumerable: false, writable: true, configurable: true });
  }
  for (const [key, value] of Object.entries(cleaned)) {
    Object.defineProperty(twin, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return twin;
}
