import { invokeOnce } from './invoke-once.js';
import type { Run } from './invoke-run.js';
import { StreamPrinter } from './stream-printer.js';
import { writePayload } from './write-payload.js';

/**
 * A synchronous (RequestResponse) invocation: the payload on stdout. A streamed response is
 * printed as it arrives, unless several invocations run at once (`--concurrency`): each body is
 * then printed whole, so that they do not interleave. True on success.
 */
export async function invokeSync(run: Run, requestId: string): Promise<boolean> {
  const { stdout, stderr } = run.io;
  const live = run.concurrency === undefined || run.concurrency === 1;
  const printer = new StreamPrinter(requestId, stdout, stderr, live);
  const outcome = await invokeOnce(run, requestId, printer);
  if (run.interrupt.signal.aborted) return false;
  writePayload(run, outcome, printer);
  return outcome.status === 'success';
}
