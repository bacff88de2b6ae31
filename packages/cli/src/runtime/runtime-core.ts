import type { RuntimeApiClient } from './runtime-api-client.js';
import { formatLoggedError, intoError } from './runtime-errors.js';
import type { RuntimeSettings } from './runtime-generation.js';

/** What both invocation loops share: the Runtime API client, the runtime's settings, its error log. */
export interface RuntimeCore {
  client: RuntimeApiClient;
  settings: RuntimeSettings;
  /**
   * Logs an error the runtime handled (`Invoke Error`, `Init Error`, `Uncaught Exception`) as the
   * runtime client does: in text, the message and the error as JSON after a tab; in JSON, the
   * error object itself, whose fields become the line's.
   */
  logError(message: string, error: unknown): void;
}

/** The error logger of `AWS_LAMBDA_LOG_FORMAT` (through the patched console). */
export function errorLogger(settings: RuntimeSettings): RuntimeCore['logError'] {
  const json = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  return (message, error) => {
    const asError = intoError(error, settings.generation);
    if (json) console.error(asError);
    else console.error(message, formatLoggedError(asError, settings.generation));
  };
}

/** Resolves on the next turn of the event loop, after I/O callbacks, as the runtime client waits before answering. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A thenable, as the runtime client tells a promise-returning handler apart. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
