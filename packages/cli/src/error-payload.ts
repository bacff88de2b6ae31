import type { LambdaError } from '@lambdakit/core';

/**
 * An invocation's error as its response payload carries it: the function's errors in Lambda's
 * shape, or an error of the platform itself, which has no `trace` (a timeout).
 */
export type InvocationError = Omit<LambdaError, 'trace'> & { trace?: string[] };

/** An error of the platform (`Sandbox.Timedout`, `Runtime.ExitError`): parsed, and as the caller gets it. */
export function platformError(
  errorType: string,
  errorMessage: string,
): { error: InvocationError; errorPayload: string } {
  // Lambda's own errors list the message first.
  return { error: { errorType, errorMessage }, errorPayload: JSON.stringify({ errorMessage, errorType }) };
}

/**
 * Reads an error payload a runtime posted: its type, message and trace when it is the JSON Lambda
 * expects, else the header's error type and the text as the message.
 */
export function parseErrorPayload(text: string, errorType: string): InvocationError {
  try {
    const parsed = JSON.parse(text) as Partial<LambdaError> | null;
    if (parsed !== null && typeof parsed === 'object') {
      return {
        errorType: typeof parsed.errorType === 'string' ? parsed.errorType : errorType,
        errorMessage: typeof parsed.errorMessage === 'string' ? parsed.errorMessage : '',
        ...(Array.isArray(parsed.trace) ? { trace: parsed.trace } : {}),
      };
    }
  } catch {
    // not JSON: the runtime posted text
  }
  return { errorType, errorMessage: text };
}
