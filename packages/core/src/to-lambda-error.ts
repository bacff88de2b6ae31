/** An error the way the Lambda runtime reports it in an invocation response. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/**
 * Serialises any thrown value to Lambda's error shape `{ errorType, errorMessage, trace }`,
 * as the Node.js runtime does: errors keep their name and stack lines, other values are
 * reported as strings. Never throws, whatever it is given.
 */
export function toLambdaError(thrown: unknown): LambdaError {
  try {
    if (thrown instanceof Error) {
      const errorType = typeof thrown.name === 'string' && thrown.name !== '' ? thrown.name : 'Error';
      const errorMessage = typeof thrown.message === 'string' ? thrown.message : String(thrown.message);
      const trace = typeof thrown.stack === 'string' ? thrown.stack.split('\n') : [];
      return { errorType, errorMessage, trace };
    }
    if (thrown !== null && typeof thrown === 'object') {
      const candidate = thrown as { name?: unknown; message?: unknown };
      if (typeof candidate.message === 'string') {
        return {
          errorType: typeof candidate.name === 'string' ? candidate.name : 'Error',
          errorMessage: candidate.message,
          trace: [],
        };
      }
      return { errorType: 'Error', errorMessage: safeJson(thrown), trace: [] };
    }
    return {
      errorType: typeof thrown === 'string' ? 'string' : typeof thrown,
      errorMessage: String(thrown),
      trace: [],
    };
  } catch {
    return { errorType: 'Error', errorMessage: 'Unserialisable thrown value', trace: [] };
  }
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
