import { rm } from 'node:fs/promises';
import { deadLetterUnsettled } from './async-invocation.js';
import { type Run, stopRun } from './invoke-run.js';

/**
 * Handles Ctrl-C and SIGTERM for the run until the returned function is called. One interruption,
 * however many signals arrive: a second Ctrl-C or SIGTERM while the first is writing dead letters
 * would write every event twice, or (with no listener left) kill the CLI halfway and lose them all.
 * Later signals are noted and ignored; the first one's exit (130) follows.
 */
export function handleInterruptions(run: Run): () => void {
  const interrupt = (signal: NodeJS.Signals) => {
    if (run.interruption !== undefined) {
      run.io.stderr.write(`lambdakit: ${signal}: already stopping; every unsettled event is kept before the exit\n`);
      return;
    }
    run.interrupt.abort(signal);
    run.interruption = interruptRun(run, signal).then(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  return () => {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  };
}

/**
 * "Nothing lost": an async event still running or waiting for a retry goes to the dead-letter
 * directory before the sandboxes are killed. Once they are gone no outcome can arrive: an event
 * whose attempt succeeded in the meantime has its answer printed, and its dead letter would make a
 * replay run it twice, so it is removed.
 */
async function interruptRun(run: Run, signal: NodeJS.Signals): Promise<void> {
  const letters = await deadLetterUnsettled(run, signal);
  await stopRun(run);
  for (const { requestId, kept, unsettled } of letters) {
    if (!unsettled.succeeded) continue;
    if ('file' in kept) {
      await rm(kept.file, { force: true });
      run.io.stderr.write(`lambdakit: ${requestId} succeeded while being interrupted; its dead letter was removed\n`);
    } else {
      run.io.stderr.write(
        `lambdakit: ${requestId} succeeded while being interrupted; ignore its dead letter printed above\n`,
      );
    }
  }
}
