import { writeFile } from 'node:fs/promises';
import type { LocalXrayDaemon } from '@lambdakit/testing';
import { CliError } from './cli-error.js';
import { toOtlpJson } from './otlp-json.js';
import { loadTesting } from './testing-exports.js';
import { drawWaterfall } from './waterfall.js';

/** `--trace`: the local X-Ray daemon the sandboxes send to, and where `--trace-out` writes. */
export interface RunTrace {
  readonly daemon: LocalXrayDaemon;
  /** `--trace-out`: the file the run's spans are written to, as OTLP/JSON. */
  readonly out: string | undefined;
  /** X-Ray segment documents (an X-Ray SDK's, Powertools' tracer) already reported. */
  segmentsSeen: number;
  /** Unreadable datagrams already reported. */
  rejectedSeen: number;
}

/**
 * Starts the local X-Ray daemon (UDP on 127.0.0.1) that `--trace` points the function at with
 * `AWS_XRAY_DAEMON_ADDRESS`, as Lambda does with active tracing.
 */
export async function startRunTrace(out: string | undefined): Promise<RunTrace> {
  try {
    const testing = await loadTesting();
    return { daemon: await testing.startLocalXrayDaemon(), out, segmentsSeen: 0, rejectedSeen: 0 };
  } catch (error) {
    throw new CliError(
      'CLI_SETUP_FAILED',
      `--trace: could not start the local X-Ray daemon: ${(error as Error)?.message ?? error}`,
    );
  }
}

/**
 * Lets the daemon read what reached its socket. A sandbox sends its spans before it answers the
 * invocation, and on loopback a datagram is in the socket's buffer once sent; the daemon reads a
 * few dozen per turn of the event loop, so turns pass until one brings nothing new.
 */
async function settle(daemon: LocalXrayDaemon): Promise<void> {
  for (;;) {
    const before = daemon.datagrams;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    if (daemon.datagrams === before) return;
  }
}

/** The 32 hex digits of the trace a `Root=1-…-…` header names. */
function traceOf(header: string): string | undefined {
  const match = /Root=1-([0-9a-f]{8})-([0-9a-f]{24})/.exec(header);
  return match === null ? undefined : `${match[1]}${match[2]}`;
}

/** Prints the waterfall of the invocation that carried `header`, on stderr. */
export async function printInvocationTrace(
  trace: RunTrace,
  header: string,
  stderr: NodeJS.WritableStream,
): Promise<void> {
  await settle(trace.daemon);
  const traceId = traceOf(header);
  const spans = trace.daemon.spans().filter((span) => span.traceId === traceId);
  const lines =
    spans.length === 0 ? ['no spans received for this invocation (is the function traced?)'] : drawWaterfall(spans);
  const segments = trace.daemon.segments().length;
  if (segments > trace.segmentsSeen) {
    lines.push(`${segments - trace.segmentsSeen} X-Ray segment document(s) received (an X-Ray SDK's; not drawn)`);
    trace.segmentsSeen = segments;
  }
  const rejected = trace.daemon.rejected();
  for (const datagram of rejected.slice(trace.rejectedSeen))
    lines.push(`a datagram was not readable: ${datagram.reason}`);
  trace.rejectedSeen = rejected.length;
  stderr.write(lines.map((line) => `lambdakit: ${line}\n`).join(''));
}

/** Writes every span of the run to `--trace-out`, then stops the daemon. */
export async function finishRunTrace(trace: RunTrace, stderr: NodeJS.WritableStream): Promise<void> {
  try {
    if (trace.out === undefined) return;
    await settle(trace.daemon);
    const spans = trace.daemon.spans();
    await writeFile(trace.out, `${JSON.stringify(toOtlpJson(spans), null, 2)}\n`);
    stderr.write(`lambdakit: ${spans.length} span(s) written to ${trace.out} (OTLP/JSON)\n`);
  } finally {
    await trace.daemon.close();
  }
}
