import { type SanitizeOptions, sanitize } from './sanitize.js';

/**
 * The error about to leave the function, as safe to log as the logger's own lines. Lambda's
 * runtime logs a thrown error's own enumerable fields in full (its `Invoke Error` line: `errorType`,
 * `errorMessage`, `code`, every own field as JSON, the stack), so an HTTP client's error carrying
 * `config.headers.Authorization` would print the token. Returns the error itself when it has
 * nothing to redact; else a twin of the same class (`instanceof` holds), with the same name,
 * message, stack and cause, whose own fields are redacted.
 */
export function redactThrown(error: unknown, options: SanitizeOptions): unknown {
  if (!(error instanceof Error)) return error;
  let fields: Record<string, unknown>;
  try {
    const keys = Object.keys(error);
    if (keys.length === 0) return error;
    fields = Object.fromEntries(keys.map((key) => [key, (error as unknown as Record<string, unknown>)[key]]));
  } catch {
    return error;
  }
  const cleaned = sanitize(fields, options) as Record<string, unknown>;
  if (cleaned === fields) return error;
  const twin = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const key of ['name', 'message', 'stack', 'cause']) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (descriptor === undefined) continue;
    // Read, not copied: from Node 22, V8 makes `stack` an own accessor that answers only on the
    // error it was captured for, so a copied accessor would read undefined on the twin.
    const value = 'value' in descriptor ? descriptor.value : (error as unknown as Record<string, unknown>)[key];
    Object.defineProperty(twin, key, { value, enumerable: false, writable: true, configurable: true });
  }
  for (const [key, value] of Object.entries(cleaned)) {
    Object.defineProperty(twin, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return twin;
}
