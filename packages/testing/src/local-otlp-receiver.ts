import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { checkOption, checkOptions, isPort } from './check-option.js';
import { decodeOtlpJson, decodeOtlpProtobuf, type ReceivedSpan } from './otlp-traces.js';
import { SpanCollector } from './span-collector.js';
import { readBodyBytes } from './wire-protocol.js';

/** Options of `startLocalOtlpReceiver()`. */
export interface StartLocalOtlpReceiverOptions {
  /** Port on 127.0.0.1 (default 0: a random free port). */
  port?: number | undefined;
}

/** One export request the receiver answered. */
export interface OtlpExportRequest {
  readonly path: string;
  readonly contentType: string;
  readonly status: number;
  readonly spans: number;
}

/** A running OTLP/HTTP trace receiver on 127.0.0.1. */
export interface LocalOtlpReceiver {
  /** `http://127.0.0.1:<port>`, the form of `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly endpoint: string;
  readonly port: number;
  /** `{ OTEL_EXPORTER_OTLP_ENDPOINT }`, to merge into a function's environment. */
  readonly env: Readonly<Record<string, string>>;
  spans(): readonly ReceivedSpan[];
  requests(): readonly OtlpExportRequest[];
  /** Resolves once at least `count` spans arrived; rejects after `timeoutMs` (default 10 s). */
  waitForSpans(count: number, timeoutMs?: number): Promise<readonly ReceivedSpan[]>;
  /** Answers the next `times` export requests with `status` (a collector that is down or refusing). */
  fail(status: number, times?: number): void;
  /** Holds every answer until {@link LocalOtlpReceiver.resume} (a collector that does not answer). */
  pause(): void;
  resume(): void;
  clear(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;

interface ReceiverState {
  readonly collector: SpanCollector;
  readonly log: OtlpExportRequest[];
  failures: { status: number; times: number } | undefined;
  paused: (() => void)[] | undefined;
}

/** One export request: read, faults applied, decoded by its content type, answered. */
async function answerExport(request: IncomingMessage, response: ServerResponse, state: ReceiverState): Promise<void> {
  const path = (request.url ?? '').split('?')[0] ?? '';
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
  const answer = (status: number, body: string, type = 'application/json', spans = 0) => {
    state.log.push({ path, contentType, status, spans });
    response.writeHead(status, { 'content-type': type }).end(body);
  };
  let body: Buffer;
  try {
    body = await readBodyBytes(request, MAX_BODY_BYTES);
    if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
  } catch (error) {
    return answer(400, JSON.stringify({ message: (error as Error).message }));
  }
  if (state.paused !== undefined) await new Promise<void>((resolve) => state.paused!.push(resolve));
  if (request.method !== 'POST' || path !== '/v1/traces') {
    return answer(404, JSON.stringify({ message: `no route ${request.method} ${path}` }));
  }
  if (state.failures !== undefined && state.failures.times > 0) {
    state.failures.times--;
    return answer(state.failures.status, JSON.stringify({ message: 'injected failure' }));
  }
  let spans: ReceivedSpan[];
  try {
    if (contentType === 'application/json') spans = decodeOtlpJson(body.toString('utf8'));
    else if (contentType === 'application/x-protobuf') spans = decodeOtlpProtobuf(body);
    else return answer(415, JSON.stringify({ message: `unsupported content-type ${contentType}` }));
  } catch (error) {
    return answer(400, JSON.stringify({ message: `not an ExportTraceServiceRequest: ${(error as Error).message}` }));
  }
  state.collector.add(spans);
  if (contentType === 'application/json') answer(200, '{}', 'application/json', spans.length);
  else answer(200, '', 'application/x-protobuf', spans.length);
}

/**
 * Starts an OTLP/HTTP receiver for traces (`POST /v1/traces`, `application/json` or
 * `application/x-protobuf`, gzip or not), as an OpenTelemetry collector or the ADOT layer's
 * receiver answers: 200 with an empty `ExportTraceServiceResponse`, 400 for a body that is not one.
 */
export async function startLocalOtlpReceiver(options: StartLocalOtlpReceiverOptions = {}): Promise<LocalOtlpReceiver> {
  checkOptions('startLocalOtlpReceiver', options);
  checkOption('startLocalOtlpReceiver', 'port', options.port, isPort);
  const collector = new SpanCollector('LocalOtlpReceiver');
  const log: OtlpExportRequest[] = [];
  const state: ReceiverState = { collector, log, failures: undefined, paused: undefined };
  const server = createServer((request, response) => {
    void answerExport(request, response, state);
  });
  const resume = () => {
    const waiting = state.paused ?? [];
    state.paused = undefined;
    for (const release of waiting) release();
  };
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
    spans: () => collector.spans(),
    requests: () => [...log],
    waitForSpans: (count, timeoutMs) => collector.waitForSpans(count, timeoutMs),
    fail(status, times = 1) {
      state.failures = { status, times };
    },
    pause() {
      state.paused ??= [];
    },
    resume,
    clear() {
      collector.clear();
      log.length = 0;
    },
    close() {
      resume();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
