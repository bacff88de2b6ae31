import { pino } from 'pino';

/**
 * Where lines go: anything with a synchronous `write(line)`, such as a pino `DestinationStream`.
 * Each call receives one complete line ending in `\n`.
 */
export interface LogDestination {
  write(line: string): void;
}

// One writer per process for fd 1: shared by every logger (and anything else that wants the
// same path, e.g. metrics), so lines from several writers never interleave mid-line.
let stdout: LogDestination | undefined;

/**
 * The default destination: synchronous writes to stdout (`pino.destination({ dest: 1, sync: true })`).
 * Synchronous because Lambda may freeze or end the process as soon as the handler settles, and
 * a line still queued in an async stream would be lost.
 */
export function stdoutDestination(): LogDestination {
  stdout ??= pino.destination({ dest: 1, sync: true });
  return stdout;
}
