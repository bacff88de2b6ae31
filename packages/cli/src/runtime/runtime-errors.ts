import { types } from 'node:util';
import type { RuntimeGeneration } from './runtime-generation.js';

/** An error as the runtime posts it to the Runtime API: what the caller receives. */
export interface ErrorResponse {
  errorType?: string;
  errorMessage?: string;
  trace?: string[];
}

/**
 * The class names of the runtime's own errors, by error type, in each generation of AWS's runtime
 * client: Node prints them when such an error ends the process, and the JSON log format takes an
 * error's type from its class name.
 */
const CLASS_NAMES: Record<RuntimeGeneration, Record<string, string>> = {
  current: {
    'Runtime.HandlerNotFound': 'HandlerNotFoundError',
    'Runtime.MalformedHandlerName': 'MalformedHandlerNameError',
    'Runtime.ImportModuleError': 'ImportModuleError',
    'Runtime.UserCodeSyntaxError': 'UserCodeSyntaxError',
    'Runtime.InvalidStreamingOperation': 'InvalidStreamingOperation',
    'Runtime.MalformedStreamingHandler': 'MalformedStreamingHandler',
    'Runtime.JSONStringifyError': 'JSONStringifyError',
    'Runtime.PlatformError': 'PlatformError',
    'Runtime.CallbackHandlerDeprecated': 'CallbackHandlerDeprecatedError',
  },
  legacy: {
    'Runtime.HandlerNotFound': 'HandlerNotFound',
    'Runtime.MalformedHandlerName': 'MalformedHandlerName',
    'Runtime.ImportModuleError': 'ImportModuleError',
    'Runtime.UserCodeSyntaxError': 'UserCodeSyntaxError',
    'Runtime.InvalidStreamingOperation': 'InvalidStreamingOperation',
    'Runtime.MalformedStreamingHandler': 'MalformedStreamingHandler',
    'Runtime.UnhandledPromiseRejection': 'UnhandledPromiseRejection',
  },
};

const classes = new Map<string, new (message: string) => Error>();

/** The error class for a runtime error type, named as the generation names it. */
function errorClass(errorType: string, generation: RuntimeGeneration): new (message: string) => Error {
  const key = `${generation} ${errorType}`;
  let found = classes.get(key);
  if (found === undefined) {
    const className = CLASS_NAMES[generation][errorType] ?? errorType.replace(/^Runtime\./, '');
    // A computed key gives the class its name, which Node prints: `ImportModuleError [Runtime.ImportModuleError]`.
    const created = {
      [className]: class extends Error {
        constructor(message: string) {
          super(message);
          // 4.x sets the name on the error itself (a field a logged error shows); 3.x on the prototype.
          if (generation === 'current') this.name = errorType;
        }
      },
    }[className]!;
    if (generation === 'legacy') created.prototype.name = errorType;
    classes.set(key, created);
    found = created;
  }
  return found;
}

/** An error raised by the runtime itself, its `name` Lambda's error type (`Runtime.HandlerNotFound`). */
export function runtimeError(errorType: string, message: string, generation: RuntimeGeneration, stack?: string): Error {
  const error = new (errorClass(errorType, generation))(message);
  if (stack !== undefined) error.stack = stack;
  return error;
}

// Lambda replaces DEL in error texts, which its log and response formats cannot carry.
const escapeDel = (text: string) => text.replaceAll('\x7F', '%7F');
const UNREADABLE =
  'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack';

/**
 * The error payload for a thrown value, as each generation of AWS's runtime client builds it.
 * `current` (4.x): an `Error` gives its name, message and stack lines; anything else its `typeof`
 * and `String()` (`"object"`, `"[object Object]"`). `legacy` (3.x) also takes an error-like object
 * (string `name`, `message` and `stack`) as an error, and calls `toString()` on the rest.
 */
export function errorResponse(thrown: unknown, generation: RuntimeGeneration): ErrorResponse {
  try {
    // A missing (null or undefined) name or message is left out; a missing stack is no trace.
    if (generation === 'current') {
      if (thrown instanceof Error) {
        const { name, message, stack } = thrown as {
          name?: string | null;
          message?: string | null;
          stack?: string | null;
        };
        return {
          errorType: name == null ? undefined : escapeDel(name),
          errorMessage: message == null ? undefined : escapeDel(message),
          trace: stack == null ? [] : escapeDel(stack).split('\n'),
        } as ErrorResponse;
      }
      return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
    }
    if (types.isNativeError(thrown) || isErrorLike(thrown)) {
      const { name, message, stack } = thrown as { name?: string | null; message?: string | null; stack: string };
      return {
        errorType: name == null ? undefined : escapeDel(name),
        errorMessage: message == null ? undefined : escapeDel(message),
        trace: escapeDel(stack).split('\n'),
      } as ErrorResponse;
    }
    return { errorType: typeof thrown, errorMessage: (thrown as { toString(): string }).toString(), trace: [] };
  } catch {
    return generation === 'current'
      ? { errorType: 'handled', errorMessage: UNREADABLE, trace: [] }
      : { errorType: 'handled', errorMessage: UNREADABLE };
  }
}

function isErrorLike(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const { name, message, stack } = value as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    name !== '' &&
    typeof message === 'string' &&
    message !== '' &&
    typeof stack === 'string' &&
    stack !== ''
  );
}

/** A thrown value as an `Error`, the way each generation turns a non-error into one for its logs. */
export function intoError(thrown: unknown, generation: RuntimeGeneration): Error {
  if (thrown instanceof Error) return thrown;
  return generation === 'current' ? new Error(String(thrown)) : new Error(thrown as string);
}

/**
 * The text after `Invoke Error` (and `Init Error`, `Uncaught Exception`) in the runtime's text log
 * line: a tab, then the error as JSON with `errorType`, `errorMessage`, `code`, its own enumerable
 * fields and `stack` as lines (errors held in its fields too).
 */
export function formatLoggedError(error: Error, generation: RuntimeGeneration): string {
  try {
    return `\t${JSON.stringify(error, (_key, value: unknown) => withOwnFields(value))}`;
  } catch {
    return `\t${JSON.stringify(errorResponse(error, generation))}`;
  }
}

function withOwnFields(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const described: Record<string, unknown> = Object.assign(
    { errorType: value.name, errorMessage: value.message, code: (value as { code?: unknown }).code },
    value as object,
  );
  if (typeof value.stack === 'string') described.stack = value.stack.split('\n');
  return described;
}
