import { invokeOnce } from './invoke-once.js';
import type { Run } from './invoke-run.js';
import { writePayload } from './write-payload.js';

/** A synchronous (RequestResponse) invocation: the payload on stdout. True on success. */
export async function invokeSync(run: Run, requestId: string): Promise<boolean> {
  const outcome = await invokeOnce(run, requestId);
  if (run.interrupt.signal.aborted) return false;
  writePayload(run, outcome);
  return outcome.status === 'success';
}
