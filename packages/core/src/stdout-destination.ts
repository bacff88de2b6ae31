import fs from 'node:fs';
import type { LineDestination } from './line-destination.js';

// How long to wait for the reader of a full non-blocking pipe before writing again. sonic-boom
// (pino's synchronous destination) waits 100 ms; a shorter wait adds less latency to an
// invocation whose reader is only briefly behind.
const FULL_PIPE_WAIT_MS = 10;
const waitCell = new Int32Array(new SharedArrayBuffer(4));

/** Writes the whole line to fd 1 before returning, whatever the pipe's state. */
function writeLine(line: string): void {
  let pending = Buffer.from(line);
  while (pending.length > 0) {
    try {
      pending = pending.subarray(fs.writeSync(1, pending));
    } catch (error) {
      // A full pipe opened non-blocking (Node makes a piped stdout so): wait for the reader, then go on.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EBUSY') throw error;
      Atomics.wait(waitCell, 0, 0, FULL_PIPE_WAIT_MS);
    }
  }
}

const stdout: LineDestination = Object.freeze({ write: writeLine });

/**
 * The process's one stdout writer, the default `destination` of the logger and of metrics:
 * each line is written to fd 1 synchronously and whole before `write` returns. Node writes to a
 * piped stdout asynchronously, so a line still queued when Lambda freezes or ends the process
 * would be lost; and with one synchronous writer, log and EMF lines never interleave mid-line.
 */
export function stdoutDestination(): LineDestination {
  return stdout;
}
