import type { Run } from './invoke-run.js';
import { traceHeader } from './lambda-environment.js';
import { endLine, initReportLine, reportLine, startLine, timeoutLine } from './report-lines.js';
import { printInvocationTrace } from './run-trace.js';
import { NOT_STARTED, Sandbox, type SandboxInitFailure, type SandboxOutcome } from './sandbox.js';
import { acquireSandbox } from './sandbox-pool.js';
import type { StreamPrinter } from './stream-printer.js';

/** How one invocation ended: in a sandbox, or before one could run it (its init failed). */
export type Outcome = SandboxOutcome | (SandboxInitFailure & { requestId: string; status: 'init-error' });

// How many sandboxes one invocation may start before it is failed (see invokeOnce).
const MAX_SANDBOX_STARTS = 3;

/**
 * One invocation, with Lambda's platform lines on stderr: `START`, the function's own lines (and
 * the runtime's `Invoke Error`), the timeout line, `END`, `REPORT`; or `INIT_REPORT` when the
 * function cannot be initialised.
 */
export async function invokeOnce(
  run: Run,
  requestId: string,
  printer?: StreamPrinter,
  body: string = run.event.text,
): Promise<Outcome> {
  const { stderr } = run.io;
  let outcome: SandboxOutcome | typeof NOT_STARTED = NOT_STARTED;
  const header = traceHeader(run.trace !== undefined);
  // A sandbox whose runtime dies before taking the invocation never ran it: another one does,
  // up to a few times (a runtime that dies every time it starts would otherwise loop forever).
  for (let attempt = 1; outcome === NOT_STARTED; attempt++) {
    if (attempt > MAX_SANDBOX_STARTS) return neverStarted(run, requestId);
    const sandbox = await acquireSandbox(run);
    if (!(sandbox instanceof Sandbox)) {
      if (sandbox.suppressed === true) return reinitTimedOut(run, requestId, sandbox.maxMemoryUsedMb ?? 0);
      stderr.write(`${initReportLine(sandbox.initDurationMs, sandbox.error.errorType)}\n`);
      return { ...sandbox, requestId, status: 'init-error' };
    }
    outcome = await invokeIn(sandbox, run, { requestId, body, header }, printer);
  }
  // Killed by the CLI's own shutdown: the invocation did not end, it was cut off.
  if (run.interrupt.signal.aborted) return outcome;
  printer?.finish(outcome.status !== 'success' || outcome.truncated === true);
  if (outcome.truncated === true) stderr.write(`lambdakit: ${requestId}: the runtime cut its streamed response off\n`);
  if (outcome.status === 'timeout') stderr.write(`${timeoutLine(requestId, run.timeoutMs)}\n`);
  if (run.concurrency !== undefined) stderr.write(`lambdakit: worker ${outcome.worker} ran ${requestId}\n`);
  stderr.write(`${endLine(requestId)}\n`);
  stderr.write(`${reportLine(outcome, run.memoryMb)}\n`);
  if (run.trace !== undefined) await printInvocationTrace(run.trace, header, stderr);
  return outcome;
}

/**
 * The invocation in `sandbox`, whose init may have been retried within it: that time is the
 * invocation's, taken from its timeout and added to its duration.
 */
async function invokeIn(
  sandbox: Sandbox,
  run: Run,
  { requestId, body, header }: { requestId: string; body: string; header: string },
  printer: StreamPrinter | undefined,
): Promise<SandboxOutcome | typeof NOT_STARTED> {
  const reinitMs = sandbox.suppressedInitMs ?? 0;
  sandbox.suppressedInitMs = undefined;
  const outcome = await sandbox.invoke(
    {
      requestId,
      body,
      traceId: header,
      invokedFunctionArn: run.invokedFunctionArn,
      ...(run.clientContext === undefined ? {} : { clientContext: run.clientContext }),
      ...(run.tenantId === undefined ? {} : { tenantId: run.tenantId }),
      onStream: printer,
    },
    Math.max(1, run.timeoutMs - reinitMs),
    () => {
      run.io.stderr.write(`${startLine(requestId, run.functionVersion)}\n`);
      printer?.start();
    },
  );
  if (outcome === NOT_STARTED || reinitMs <= 0) return outcome;
  return { ...outcome, initDurationMs: undefined, durationMs: Math.min(run.timeoutMs, outcome.durationMs + reinitMs) };
}

/** Every sandbox started for the invocation ended before taking it. */
function neverStarted(run: Run, requestId: string): Outcome {
  const error = {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited before taking the invocation, ${MAX_SANDBOX_STARTS} times`,
  };
  run.io.stderr.write(`lambdakit: ${requestId}: ${MAX_SANDBOX_STARTS} sandboxes ended before taking it; giving up\n`);
  return { requestId, status: 'init-error', error, errorPayload: JSON.stringify(error), initDurationMs: 0 };
}

/** The init, tried again within the first invocation, did not finish within the function's timeout. */
function reinitTimedOut(run: Run, requestId: string, maxMemoryUsedMb: number): Outcome {
  const { stderr } = run.io;
  const seconds = (run.timeoutMs / 1000).toFixed(2);
  const errorMessage = `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`;
  const outcome: SandboxOutcome = {
    requestId,
    status: 'timeout',
    error: { errorType: 'Sandbox.Timedout', errorMessage },
    errorPayload: JSON.stringify({ errorMessage, errorType: 'Sandbox.Timedout' }),
    durationMs: run.timeoutMs,
    maxMemoryUsedMb,
    initDurationMs: undefined,
    worker: 1,
  };
  stderr.write(`${startLine(requestId, run.functionVersion)}\n`);
  stderr.write(`${timeoutLine(requestId, run.timeoutMs)}\n`);
  stderr.write(`${endLine(requestId)}\n`);
  stderr.write(`${reportLine(outcome, run.memoryMb)}\n`);
  return outcome;
}
