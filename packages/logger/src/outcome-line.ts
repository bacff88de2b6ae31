import type { InvocationOutcome } from '@lambdakit/core';
import type { Logger } from './create-logger.js';

// Bounds on the failure line, whatever was thrown: one line a reader can take in.
const MAX_MESSAGE_CHARS = 1_000;
const MAX_STACK_LINES = 20;
const MAX_STACK_LINE_CHARS = 300;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A thrown value as the failure line shows it: type, message, code and the first stack lines, bounded. */
export function failureFields(thrown: unknown): { type: string; message: string; code?: string; stack?: string[] } {
  if (!(thrown instanceof Error)) {
    let text: string;
    try {
      text = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
    } catch {
      text = Object.prototype.toString.call(thrown);
    }
    return { type: thrown === null ? 'null' : typeof thrown, message: cut(text, MAX_MESSAGE_CHARS) };
  }
  const code = (thrown as { code?: unknown }).code;
  const stack =
    typeof thrown.stack === 'string'
      ? thrown.stack
          .split('\n')
          .slice(1, MAX_STACK_LINES + 1)
          .map((line) => cut(line.trim(), MAX_STACK_LINE_CHARS))
      : undefined;
  return {
    type: typeof thrown.name === 'string' ? cut(thrown.name, 200) : 'Error',
    message: cut(String(thrown.message), MAX_MESSAGE_CHARS),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: cut(String(code), 200) } : {}),
    ...(stack === undefined ? {} : { stack }),
  };
}

/**
 * Writes the line of an invocation that failed: `ERROR` with the error's type, message and stack
 * for a thrown error; `ERROR` with the time left and where the pipeline stood for a timeout
 * (answered by `onTimeout` or not). Nothing for a success: an early answer (a 400) says so itself.
 */
export function writeOutcomeLine(log: Logger, outcome: InvocationOutcome): void {
  if (outcome.status === 'error') {
    const err = failureFields(outcome.error);
    log.error({ err }, `invocation failed: ${err.type}: ${cut(err.message, 200)}`);
  } else if (outcome.status === 'timeout') {
    const { remainingTimeMs, marginMs, stage } = outcome.error;
    log.error(
      { timeout: { remainingTimeMs, marginMs, stage } },
      `invocation timed out ${stage === undefined ? '' : `in ${stage} `}with ${remainingTimeMs} ms left before Lambda's deadline`,
    );
  }
}
