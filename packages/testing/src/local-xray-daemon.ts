import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { checkOption, checkOptions, isPort } from './check-option.js';
import { decodeOtlpProtobuf, type ReceivedSpan } from './otlp-traces.js';
import { SpanCollector } from './span-collector.js';

/** Options of `startLocalXrayDaemon()`. */
export interface StartLocalXrayDaemonOptions {
  /** UDP port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
}

/** A datagram the local daemon could not read, and why. */
export interface RejectedDatagram {
  readonly bytes: number;
  readonly reason: string;
}

/** A running local X-Ray daemon: UDP on 127.0.0.1, reading what Lambda's daemon reads. */
export interface LocalXrayDaemon {
  /** `127.0.0.1:<port>`, the form of `AWS_XRAY_DAEMON_ADDRESS`. */
  readonly address: string;
  readonly port: number;
  /** `{ AWS_XRAY_DAEMON_ADDRESS }`, to merge into a function's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Every span received, in arrival order. */
  spans(): readonly ReceivedSpan[];
  /** X-Ray segment documents received (the X-Ray SDKs' JSON format), parsed. */
  segments(): readonly Record<string, unknown>[];
  /** Datagrams that were neither; each with the reason. */
  rejected(): readonly RejectedDatagram[];
  /** How many datagrams arrived. */
  readonly datagrams: number;
  /** Resolves once at least `count` spans arrived; rejects after `timeoutMs` (default 10 s). */
  waitForSpans(count: number, timeoutMs?: number): Promise<readonly ReceivedSpan[]>;
  /** Forgets what was received. */
  clear(): void;
  close(): Promise<void>;
}

const HEADER = '{"format":"json","version":1}\n';

type Datagram = { spans: ReceivedSpan[] } | { segment: Record<string, unknown> } | { rejected: string };

/** Reads one datagram as Lambda's daemon does: spans, a segment document, or why it cannot. */
function readDatagram(text: string): Datagram {
  if (!text.startsWith(HEADER)) return { rejected: 'no {"format":"json","version":1} header line' };
  const body = text.slice(HEADER.length);
  if (body.startsWith('T1S') || body.startsWith('T1U')) {
    let spans: ReceivedSpan[];
    try {
      spans = decodeOtlpProtobuf(Buffer.from(body.slice(3), 'base64'));
    } catch (error) {
      return { rejected: `not an OTLP ExportTraceServiceRequest: ${(error as Error).message}` };
    }
    return body.startsWith('T1U') ? { rejected: `${spans.length} unsampled span(s) (T1U)` } : { spans };
  }
  try {
    const segment = JSON.parse(body) as unknown;
    if (typeof segment !== 'object' || segment === null)
      return { rejected: 'a segment document must be a JSON object' };
    return { segment: segment as Record<string, unknown> };
  } catch {
    return { rejected: 'neither T1S/T1U nor a JSON segment document' };
  }
}

/**
 * Starts a local stand-in for the X-Ray daemon on 127.0.0.1: each datagram is a header line then
 * either an X-Ray segment document (JSON) or `T1S`/`T1U` and a base64 OTLP protobuf request, the
 * OpenTelemetry form AWS's distribution sends from Lambda. Spans marked unsampled (`T1U`) are kept
 * apart from the sampled ones, as the daemon does not forward them.
 */
export async function startLocalXrayDaemon(options: StartLocalXrayDaemonOptions = {}): Promise<LocalXrayDaemon> {
  checkOptions('startLocalXrayDaemon', options);
  checkOption('startLocalXrayDaemon', 'port', options.port, isPort);
  const collector = new SpanCollector('LocalXrayDaemon');
  const segments: Record<string, unknown>[] = [];
  const rejected: RejectedDatagram[] = [];
  let datagrams = 0;
  const socket = createSocket('udp4');
  socket.on('message', (message) => {
    datagrams++;
    const read = readDatagram(message.toString('utf8'));
    if ('spans' in read) collector.add(read.spans);
    else if ('segment' in read) segments.push(read.segment);
    else rejected.push({ bytes: message.length, reason: read.rejected });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const port = (socket.address() as AddressInfo).port;
  const address = `127.0.0.1:${port}`;
  return {
    address,
    port,
    env: { AWS_XRAY_DAEMON_ADDRESS: address },
    spans: () => collector.spans(),
    segments: () => [...segments],
    rejected: () => [...rejected],
    get datagrams() {
      return datagrams;
    },
    waitForSpans: (count, timeoutMs) => collector.waitForSpans(count, timeoutMs),
    clear() {
      collector.clear();
      segments.length = 0;
      rejected.length = 0;
      datagrams = 0;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
