import { relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FailedAttempt, type KeptLetter, keepDeadLetter } from './dead-letter.js';
import { invokeOnce } from './invoke-once.js';
import type { Run, UnsettledEvent } from './invoke-run.js';
import { StreamPrinter } from './stream-printer.js';
import { errorOf, writePayload } from './write-payload.js';

/**
 * An asynchronous (Event) invocation: Lambda retries a failed event twice (after about one
 * and then two minutes; here `--retry-delay` ms, then twice that), keeping its request id,
 * then hands it to the dead-letter queue: here a JSON file in `--dlq-dir`. True on success.
 */
export async function invokeAsync(run: Run, requestId: string): Promise<boolean> {
  const unsettled: UnsettledEvent = { attempts: [], running: undefined, writing: undefined, succeeded: false };
  const { attempts } = unsettled;
  run.unsettled.set(requestId, unsettled);
  const { stderr, stdout } = run.io;
  const { maxRetries, retryDelay } = run.async;
  for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
    if (attempt > 1) {
      const delayMs = retryDelay * 2 ** (attempt - 2);
      stderr.write(`lambdakit: retrying ${requestId} in ${delayMs} ms (attempt ${attempt} of ${maxRetries + 1})\n`);
      // An interruption ends the wait at once (the sleep rejects). Node's timer, not core's
      // abortableSleep: that one is unref'd so that a backoff never holds a function's process
      // open, but this wait is the CLI's work, and after an init error nothing else keeps it alive.
      await sleep(delayMs, undefined, { signal: run.interrupt.signal }).catch(() => undefined);
    }
    // Interrupted: the signal handler writes this event to the dead-letter directory.
    if (run.interrupt.signal.aborted) return false;
    const startedAt = new Date().toISOString();
    unsettled.running = { attempt, startedAt, startedMs: performance.now() };
    // Each attempt's stream is held: only the one that succeeds reaches stdout.
    const printer = new StreamPrinter(requestId, run.io.stdout, stderr, false);
    const outcome = await invokeOnce(run, requestId, printer);
    if (outcome.status === 'success') {
      // Even after a signal: the answer is printed, and the signal handler drops its dead letter.
      unsettled.succeeded = true;
      run.unsettled.delete(requestId);
      writePayload(run, outcome, printer);
      return true;
    }
    if (run.interrupt.signal.aborted) return false;
    unsettled.running = undefined;
    attempts.push({
      attempt,
      startedAt,
      status: outcome.status === 'timeout' ? 'timeout' : 'error',
      error: errorOf(outcome),
      durationMs: outcome.status === 'init-error' ? outcome.initDurationMs : outcome.durationMs,
    });
  }
  unsettled.writing = keepDeadLetter(
    run.async.dlqDir,
    {
      requestId,
      functionArn: run.invokedFunctionArn,
      executedVersion: run.functionVersion,
      event: run.event.value,
      attempts,
    },
    stderr,
  );
  const kept = await unsettled.writing;
  run.unsettled.delete(requestId);
  stderr.write(`lambdakit: ${requestId} failed ${attempts.length} times; ${where(run, kept)}\n`);
  stdout.write(`${JSON.stringify(attempts.at(-1)?.error ?? null)}\n`);
  return false;
}

/**
 * On Ctrl-C or SIGTERM: every `--async` event still running or waiting for a retry goes to the
 * dead-letter directory (`Interrupted`), with the attempts so far and the one cut off.
 */
export async function deadLetterUnsettled(
  run: Run,
  signal: NodeJS.Signals,
): Promise<{ requestId: string; kept: KeptLetter; unsettled: UnsettledEvent }[]> {
  const letters: { requestId: string; kept: KeptLetter; unsettled: UnsettledEvent }[] = [];
  await Promise.all(
    [...run.unsettled].map(async ([requestId, unsettled]) => {
      const { attempts, running, writing } = unsettled;
      if (writing !== undefined) {
        // Already being written as RetriesExhausted: let that write finish, do not write it twice.
        await writing.catch(() => undefined);
        return;
      }
      const all: FailedAttempt[] =
        running === undefined
          ? attempts
          : [
              ...attempts,
              {
                attempt: running.attempt,
                startedAt: running.startedAt,
                status: 'interrupted',
                durationMs: performance.now() - running.startedMs,
              },
            ];
      const kept = await keepDeadLetter(
        run.async.dlqDir,
        {
          requestId,
          functionArn: run.invokedFunctionArn,
          executedVersion: run.functionVersion,
          event: run.event.value,
          attempts: all,
          condition: 'Interrupted',
        },
        run.io.stderr,
      );
      letters.push({ requestId, kept, unsettled });
      run.io.stderr.write(
        `lambdakit: ${signal}: ${requestId} interrupted after ${all.length} attempt${all.length === 1 ? '' : 's'}; ${where(run, kept)}\n`,
      );
    }),
  );
  return letters;
}

/** Where a dead letter went, for the line that reports it. */
function where(run: Run, kept: KeptLetter): string {
  return 'file' in kept ? `event written to ${shown(run, kept.file)}` : 'its dead letter was printed above';
}

/** A path as the user would type it: relative to the current directory when inside it. */
export function shown(run: Run, file: string): string {
  const path = relative(run.io.cwd, file);
  return path.startsWith('..') ? file : path;
}
