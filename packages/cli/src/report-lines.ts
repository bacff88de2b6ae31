import type { SandboxOutcome } from './sandbox.js';

/** Lambda's `START` platform line, printed when an invocation begins. */
export function startLine(requestId: string, functionVersion: string): string {
  return `START RequestId: ${requestId} Version: ${functionVersion}`;
}

/** Lambda's `END` platform line. */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/**
 * Lambda's `REPORT` line: tab-separated fields, durations with two decimals, memory in MB,
 * `Init Duration` only on a cold start, `Status: timeout` when the invocation timed out, and
 * `Status: error` with the `Error Type` when the platform ended it (the runtime exited).
 */
export function reportLine(outcome: SandboxOutcome, memoryMb: number): string {
  const fields = [
    `REPORT RequestId: ${outcome.requestId}`,
    `Duration: ${outcome.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(outcome)} ms`,
    `Memory Size: ${memoryMb} MB`,
    `Max Memory Used: ${outcome.maxMemoryUsedMb} MB`,
  ];
  if (outcome.initDurationMs !== undefined) fields.push(`Init Duration: ${outcome.initDurationMs.toFixed(2)} ms`);
  if (outcome.status === 'timeout') fields.push('Status: timeout');
  else if (outcome.platformError !== undefined) fields.push('Status: error', `Error Type: ${outcome.platformError}`);
  return fields.join('\t');
}

/**
 * The line Lambda logs when it stops an invocation at its timeout: the time, the request id and
 * the message, separated by spaces (not the tabs of a console line), with no level.
 */
export function timeoutLine(requestId: string, timeoutMs: number): string {
  return `${new Date().toISOString()} ${requestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`;
}

/** Lambda's `INIT_REPORT` line for an init phase that failed, or (without an error type) timed out. */
export function initReportLine(initDurationMs: number, errorType?: string): string {
  const status = errorType === undefined ? 'Status: timeout' : `Status: error\tError Type: ${errorType}`;
  return `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\t${status}`;
}

/**
 * Lambda bills in 1 ms steps, rounding up; since August 2025 the INIT phase of on-demand
 * functions is billed too, so a cold start's billed duration includes it.
 */
export function billedDurationMs(outcome: Pick<SandboxOutcome, 'durationMs' | 'initDurationMs'>): number {
  // From the figures as printed (two decimals), so that the line adds up for its reader.
  const printed = (ms: number) => Math.ceil(Number(ms.toFixed(2)));
  return printed(outcome.durationMs) + printed(outcome.initDurationMs ?? 0);
}
