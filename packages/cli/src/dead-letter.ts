import { constants } from 'node:fs';
import { access, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './cli-error.js';
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

/** Where a dead letter ended: its file, or (the directory could not take it) printed whole to stderr. */
export type KeptLetter = { file: string } | { printed: true; reason: string };

/**
 * The dead letter as written: Lambda's on-failure destination record plus every attempt's error.
 */
export function deadLetterRecord(letter: DeadLetter, timestamp: string): Record<string, unknown> {
  const last = letter.attempts.findLast((attempt) => attempt.error !== undefined);
  return {
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
}

/**
 * Writes an event whose asynchronous retries are exhausted (or were cut short) to `dir` as one
 * JSON file. Written to a temporary name first and renamed, so a reader never sees half a
 * record; a failed write leaves no temporary file. Returns the file.
 */
export async function writeDeadLetter(dir: string, letter: DeadLetter): Promise<string> {
  const timestamp = new Date().toISOString();
  const directory = resolve(dir);
  await mkdir(directory, { recursive: true });
  const file = join(directory, `${timestamp.replaceAll(':', '-')}-${letter.requestId}.json`);
  const temporary = `${file}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(deadLetterRecord(letter, timestamp), null, 2)}\n`, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  return file;
}

/**
 * Keeps a dead letter whatever happens: written to `dir`, or, when that fails (the disk is full,
 * the directory was replaced by a file), printed whole as one JSON line on `stderr` after a line
 * that says why, so the event is never lost.
 */
export async function keepDeadLetter(
  dir: string,
  letter: DeadLetter,
  stderr: NodeJS.WritableStream,
): Promise<KeptLetter> {
  try {
    return { file: await writeDeadLetter(dir, letter) };
  } catch (error) {
    const reason = (error as Error).message;
    stderr.write(
      `lambdakit: could not write ${letter.requestId} to ${dir} (${reason}); its dead letter follows on one line\n`,
    );
    stderr.write(`${JSON.stringify(deadLetterRecord(letter, new Date().toISOString()))}\n`);
    return { printed: true, reason };
  }
}

/**
 * `--dlq-dir`, checked before anything runs: it, or the nearest folder above it that exists
 * (it is created on the first dead letter), must be a directory this process can write to.
 * A usage error otherwise, so an event read from stdin is never run only to be lost.
 */
export async function checkDeadLetterDir(dir: string): Promise<void> {
  let current = resolve(dir);
  for (;;) {
    const stats = await stat(current).catch((error: NodeJS.ErrnoException) => {
      // Missing, or under a file: look further up, where the culprit is named.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw new CliError('CLI_SETUP_FAILED', `--dlq-dir ${dir}: ${error.message}`);
    });
    if (stats !== undefined) {
      if (!stats.isDirectory()) {
        throw new CliError(
          'CLI_SETUP_FAILED',
          `--dlq-dir ${dir}: ${current} is not a directory, so no dead letter could be written`,
        );
      }
      try {
        await access(current, constants.W_OK | constants.X_OK);
      } catch {
        throw new CliError(
          'CLI_SETUP_FAILED',
          `--dlq-dir ${dir}: ${current} is not writable, so no dead letter could be written`,
        );
      }
      return;
    }
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
