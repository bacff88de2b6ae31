import { createSocket, type Socket } from 'node:dgram';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * The X-Ray daemon's UDP protocol for OpenTelemetry spans (as AWS's own OpenTelemetry
 * distribution sends them from Lambda): a header line, then `T1S` and the base64 of an OTLP
 * `ExportTraceServiceRequest` in protobuf, one request per datagram.
 */
const PROTOCOL_HEADER = '{"format":"json","version":1}\n';
const SAMPLED_PREFIX = 'T1S';
/** The daemon reads datagrams of at most 64 KiB; a little is kept for the IP and UDP headers. */
export const MAX_DATAGRAM_BYTES = 65_000;
const DEFAULT_DAEMON_ADDRESS = '127.0.0.1:2000';

/** Options of {@link xrayDaemonExporter}. */
export interface XrayDaemonExporterOptions {
  /**
   * The daemon's address, `host:port` or the X-Ray SDKs' `udp:host:port tcp:host:port`.
   * Default: `AWS_XRAY_DAEMON_ADDRESS` (Lambda sets it), else `127.0.0.1:2000`.
   */
  address?: string | undefined;
}

/** Where a datagram goes. */
export interface DaemonAddress {
  host: string;
  port: number;
}

/**
 * Reads `AWS_XRAY_DAEMON_ADDRESS`'s forms: `host:port`, or space-separated `udp:host:port` and
 * `tcp:host:port` (the UDP one is used). Throws a `TypeError` naming the value when neither fits.
 */
export function parseDaemonAddress(value: string): DaemonAddress {
  const parts = value.trim().split(/\s+/);
  const udp = parts.find((p) => p.startsWith('udp:'));
  const chosen = udp !== undefined ? udp.slice(4) : parts.length === 1 ? parts[0]! : undefined;
  const match = chosen === undefined ? null : /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(chosen);
  const port = match === null ? Number.NaN : Number(match[2]);
  if (match === null || !(port > 0 && port < 65536)) {
    throw new TypeError(
      `X-Ray daemon address: expected "host:port" or "udp:host:port tcp:host:port", got ${JSON.stringify(value)}`,
    );
  }
  const host = match[1]!;
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port };
}

/**
 * Splits spans into OTLP protobuf requests small enough for one datagram each (halving a group
 * that is too large); a single span larger than a datagram is left out and counted.
 */
export function toDatagrams(spans: ReadableSpan[]): { datagrams: Buffer[]; dropped: number } {
  const datagrams: Buffer[] = [];
  let dropped = 0;
  const pending: ReadableSpan[][] = [spans];
  while (pending.length > 0) {
    const group = pending.pop()!;
    if (group.length === 0) continue;
    const body = ProtobufTraceSerializer.serializeRequest(group);
    const datagram =
      body === undefined
        ? undefined
        : Buffer.from(PROTOCOL_HEADER + SAMPLED_PREFIX + Buffer.from(body).toString('base64'), 'utf8');
    if (datagram !== undefined && datagram.length <= MAX_DATAGRAM_BYTES) {
      datagrams.push(datagram);
    } else if (group.length === 1) {
      dropped++;
    } else {
      const half = Math.ceil(group.length / 2);
      pending.push(group.slice(half), group.slice(0, half));
    }
  }
  return { datagrams, dropped };
}

/**
 * A span exporter to the X-Ray daemon over UDP: the one Lambda runs beside every function with
 * active tracing (its address in `AWS_XRAY_DAEMON_ADDRESS`). Sending a datagram to a local
 * socket takes microseconds and needs no answer, so nothing waits on the network.
 */
export function xrayDaemonExporter(options: XrayDaemonExporterOptions = {}): SpanExporter {
  const address = parseDaemonAddress(options.address ?? process.env.AWS_XRAY_DAEMON_ADDRESS ?? DEFAULT_DAEMON_ADDRESS);
  let socket: Socket | undefined;
  const open = (): Socket => {
    if (socket === undefined) {
      socket = createSocket(address.host.includes(':') ? 'udp6' : 'udp4');
      socket.on('error', () => {}); // reported per send, through its callback
      socket.unref(); // a pending send never keeps a process (a test, a local invoke) alive
    }
    return socket;
  };
  return {
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      const { datagrams, dropped } = toDatagrams(spans);
      let waiting = datagrams.length;
      let failure: Error | undefined =
        dropped > 0
          ? new Error(`${dropped} span(s) larger than one datagram (${MAX_DATAGRAM_BYTES} bytes) left out`)
          : undefined;
      const done = () =>
        resultCallback(
          failure === undefined
            ? { code: ExportResultCode.SUCCESS }
            : { code: ExportResultCode.FAILED, error: failure },
        );
      if (waiting === 0) {
        done();
        return;
      }
      const target = open();
      for (const datagram of datagrams) {
        target.send(datagram, address.port, address.host, (error) => {
          if (error) failure ??= error;
          if (--waiting === 0) done();
        });
      }
    },
    async shutdown(): Promise<void> {
      const open = socket;
      socket = undefined;
      if (open !== undefined) await new Promise<void>((resolve) => open.close(() => resolve()));
    },
    async forceFlush(): Promise<void> {},
  };
}
