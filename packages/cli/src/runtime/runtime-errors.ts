import { types } from 'node:util';
import type { RuntimeGeneration } from './runtime-generation.js';

/** An error as the runtime posts it to the Runtime API: what the caller receives. */
export interface ErrorResponse {
  errorType?: string;
  errorMessage?: string;
  trace?: string[];
}

/** An error raised by the runtime itself; its `name` is Lambda's error type (`Runtime.HandlerNotFound`). */
export class RuntimeError extends Error {
  constructor(errorType: string, message: string, stack?: string) {
    super(message);
    this.name = errorType;
    if (stack !== undefined) this.stack = stack;
  }
}

const legacyClasses = new Map<string, new (message: string) => Error>();

/**
 * A runtime error as each generation builds it: 4.x sets `name` on the error itself (so it shows
 * among the fields of a logged error), 3.x on its class's prototype (so it does not).
 */
export function runtimeError(errorType: string, message: string, generation: RuntimeGeneration, stack?: string): Error {
  if (generation === 'current') return new RuntimeError(errorType, message, stack);
  let ErrorClass = legacyClasses.get(errorType);
  if (ErrorClass === undefined) {
    ErrorClass = class extends Error {};
    ErrorClass.prototype.name = errorType;
    legacyClasses.set(errorType, ErrorClass);
  }
  const error = new ErrorClass(message);
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
    if (generation === 'current') {
      if (thrown instanceof Error) {
        const { name, message, stack } = thrown as { name?: string; message?: string; stack?: string };
        return {
          errorType: name === undefined ? undefined : escapeDel(name),
          errorMessage: message === undefined ? undefined : escapeDel(message),
          trace: stack === undefined ? [] : escapeDel(stack).split('\n'),
        } as ErrorResponse;
      }
      return { errorType: typeof thrown, errorMessage: String(thrown), trace: [] };
    }
    if (types.isNativeError(thrown) || isErrorLike(thrown)) {
      const { name, message, stack } = thrown as { name?: string; message?: string; stack: string };
      return {
        errorType: name === undefined ? undefined : escapeDel(name),
        errorMessage: message === undefined ? undefined : escapeDel(message),
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
