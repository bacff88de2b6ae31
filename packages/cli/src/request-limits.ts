import { CliError } from './cli-error.js';
import type { EventPayload } from './read-event.js';

/** Lambda's limit on a synchronous (RequestResponse) invocation's request payload. */
export const MAX_SYNC_REQUEST_BYTES = 6_291_456;
/** Lambda's limit on an asynchronous (Event) invocation's payload, 1 MB since October 2025. */
export const MAX_ASYNC_REQUEST_BYTES = 1_048_576;
/** Lambda's limit on an invocation's `ClientContext`, base64-encoded. */
const MAX_CLIENT_CONTEXT_BYTES = 3_583;

/** Lambda's `RequestEntityTooLargeException` message for an event over the invocation type's limit. */
export function requestTooLarge(event: EventPayload, async: boolean): string | undefined {
  const bytes = Buffer.byteLength(event.text);
  if (async && bytes > MAX_ASYNC_REQUEST_BYTES) {
    return `${bytes} byte payload is too large for the Event invocation type (limit ${MAX_ASYNC_REQUEST_BYTES} bytes)`;
  }
  if (!async && bytes > MAX_SYNC_REQUEST_BYTES) {
    return `Request must be smaller than ${MAX_SYNC_REQUEST_BYTES} bytes for the InvokeFunction operation`;
  }
  return undefined;
}

/**
 * `--client-context`: a JSON object, as the Invoke API's `ClientContext` carries it (base64 of at
 * most 3,583 bytes), handed to the function as `context.clientContext`.
 */
export function checkClientContext(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError('CLI_USAGE', '--client-context: expected a JSON object, e.g. \'{"custom":{"tenant":"a"}}\'');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliError('CLI_USAGE', '--client-context: expected a JSON object');
  }
  const encoded = Buffer.from(text).toString('base64').length;
  if (encoded > MAX_CLIENT_CONTEXT_BYTES) {
    throw new CliError(
      'CLI_USAGE',
      `--client-context: ${encoded} bytes once base64-encoded; Lambda takes at most ${MAX_CLIENT_CONTEXT_BYTES}`,
    );
  }
  return text;
}
