import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { InvocationError } from './sandbox.js';

/** One attempt of an asynchronous invocation that did not succeed. */
export interface FailedAttempt {
  attempt: number;
  startedAt: string;
  /** `interrupted`: the CLI was stopped (Ctrl-C, SIGTERM) while this attempt ran; no error is known. */
  status: 'error' | 'timeout' | 'interrupted';
  error?: InvocationError;
  durationMs: number;
}

/** What is known about an event that ends in the dead-letter directory. */
export interface DeadLetter {
  requestId: string;
  functionArn: string;
  executedVersion: string;
  event: unknown;
  attempts: readonly FailedAttempt[];
  /**
   * Why: `RetriesExhausted` (Lambda's own condition) by default, or `Interrupted` when the CLI
   * was stopped before the event's retries were done.
   */
  condition?: 'RetriesExhausted' | 'Interrupted';
}

/**
 * Writes an event whose asynchronous retries are exhausted (or were cut short) to `dir` as one
 * JSON file, in the shape of Lambda's on-failure destination record plus every attempt's error.
 * Written to a temporary name first and renamed, so a reader never sees half a record. Returns
 * the file.
 */
export async function writeDeadLetter(dir: string, letter: DeadLetter): Promise<string> {
  const timestamp = new Date().toISOString();
  const last = letter.attempts.findLast((attempt) => attempt.error !== undefined);
  const record = {
    version: '1.0',
    timestamp,
    requestContext: {
      requestId: letter.requestId,
      functionArn: letter.functionArn,
      condition: letter.condition ?? 'RetriesExhausted',
      approximateInvokeCount: letter.attempts.length,
    },
    requestPayload: letter.event,
    responseContext: { statusCode: 200, executedVersion: letter.executedVersion, functionError: 'Unhandled' },
    responsePayload: last?.error ?? null,
    attempts: letter.attempts,
  };
  const directory = resolve(dir);
  await mkdir(directory, { recursive: true });
  const file = join(directory, `${timestamp.replaceAll(':', '-')}-${letter.requestId}.json`);
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
  return file;
}
