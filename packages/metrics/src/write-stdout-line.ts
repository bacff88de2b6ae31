import fs from 'node:fs';

// How long to wait for the reader of a full non-blocking pipe before writing again. sonic-boom
// (pino's synchronous destination, which the logger uses) waits 100 ms; a shorter wait adds less
// latency to an invocation whose reader is only briefly behind.
const FULL_PIPE_WAIT_MS = 10;
const waitCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * The default sink: the line and its newline written to fd 1 synchronously, the way the logger's
 * stdout destination writes. Node writes to a piped stdout asynchronously, so a line still queued
 * when the process exits (or Lambda freezes the sandbox) would be lost; this returns only once the
 * whole line is in the pipe, and a line never interleaves with another synchronous writer's.
 */
export function writeStdoutLine(line: string): void {
  let pending = Buffer.from(`${line}\n`);
  while (pending.length > 0) {
    try {
      pending = pending.subarray(fs.writeSync(1, pending));
    } catch (error) {
      // A full pipe opened non-blocking (Node makes stdout so): wait for the reader, then go on.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EBUSY') throw error;
      Atomics.wait(waitCell, 0, 0, FULL_PIPE_WAIT_MS);
    }
  }
}
