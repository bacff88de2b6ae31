import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { errorTypeOf, readBody, reply, workerKey } from './runtime-api-http.js';

/** One invocation for the runtime to take: the event as JSON text and Lambda's invocation headers. */
export interface Invocation {
  requestId: string;
  /** The event, JSON text, passed to the runtime byte for byte. */
  body: string;
  timeoutMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
  identity?: string;
  tenantId?: string;
  /** Told of a streamed response as it arrives: its content type, then each piece of it. */
  onStream?: StreamObserver | undefined;
}

/** What watches a streamed response arrive (`lambdakit invoke` prints it as it comes). */
export interface StreamObserver {
  open(contentType: string | undefined): void;
  chunk(bytes: Buffer): void;
}

/** How the runtime answered an invocation. */
export type InvocationAnswer =
  | {
      kind: 'response';
      payload: Buffer;
      streamed: boolean;
      /** The connection broke before the (streamed) response ended: the bytes that came. */
      truncated?: boolean;
      durationMs: number;
      worker: number;
    }
  | {
      kind: 'error';
      /** The error payload as the runtime posted it (JSON text, passed to the caller as it is). */
      payload: Buffer;
      /** `Lambda-Runtime-Function-Error-Type`, or the platform's own error type. */
      errorType: string;
      durationMs: number;
      worker: number;
    };

type AnswerBody =
  | { kind: 'response'; payload: Buffer; streamed: boolean; truncated?: boolean }
  | { kind: 'error'; payload: Buffer; errorType: string };

/** An init error the runtime posted before giving up. */
export interface InitErrorReport {
  payload: Buffer;
  errorType: string;
}

/** Lambda's limit on a synchronous response (the figure its error message gives). */
export const MAX_RESPONSE_BYTES = 6_291_556;
/** Lambda's limit on a streamed response. */
export const MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024;
const MAX_ERROR_BYTES = 1024 * 1024;
const PREFIX = '/2018-06-01/runtime';

interface Pending {
  invocation: Invocation;
  resolve(answer: InvocationAnswer): void;
  dispatchedAt: number | undefined;
  worker: number;
  /** A post answering it has arrived: a second one is refused, whichever finishes reading first. */
  claimed: boolean;
}

/** Callbacks through which the server tells the sandbox what the runtime does. */
export interface RuntimeApiEvents {
  /** A worker asked for its first invocation: its init is over (`number` counts workers from 1). */
  workerReady(worker: number): void;
  initError(report: InitErrorReport): void;
  /** An invocation was handed to the runtime: its deadline starts now. */
  dispatched(requestId: string): void;
}

/**
 * Lambda's Runtime API (2018-06-01) for one sandbox, on 127.0.0.1: `GET /invocation/next` (a long
 * poll), `POST /invocation/{id}/response` (buffered or streamed), `POST /invocation/{id}/error` and
 * `POST /init/error`. It serves lambdakit's own runtime and AWS's runtime interface client alike,
 * and enforces the response payload limits.
 */
export class RuntimeApiServer {
  private readonly queue: Pending[] = [];
  private readonly pollers: { response: ServerResponse; worker: number }[] = [];
  private readonly inFlight = new Map<string, Pending>();
  private readonly workers = new Map<string, number>();
  private readonly socketIds = new WeakMap<Socket, string>();

  private constructor(
    private readonly server: Server,
    readonly address: string,
    private readonly events: RuntimeApiEvents,
  ) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.route(request, response).catch((error: unknown) =>
        reply(response, 500, { errorType: 'ServerError', errorMessage: String(error) }),
      );
    });
  }

  /** Starts the server on a random loopback port. */
  static async start(events: RuntimeApiEvents): Promise<RuntimeApiServer> {
    // No timeouts: a poll for the next invocation stays open as long as the runtime waits.
    const server = createServer({ keepAliveTimeout: 0, requestTimeout: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new RuntimeApiServer(server, `127.0.0.1:${port}`, events);
  }

  /** Queues an invocation; resolves when the runtime answers it (never on its own at a timeout). */
  invoke(invocation: Invocation): Promise<InvocationAnswer> {
    return new Promise((resolve) => {
      this.queue.push({ invocation, resolve, dispatchedAt: undefined, worker: 0, claimed: false });
      this.dispatch();
    });
  }

  /** When an invocation was handed out (`performance.now()`), and to which worker; undefined while queued. */
  dispatchOf(requestId: string): { at: number; worker: number } | undefined {
    const pending = this.inFlight.get(requestId);
    return pending?.dispatchedAt === undefined ? undefined : { at: pending.dispatchedAt, worker: pending.worker };
  }

  /** Forgets an invocation that ended without an answer (timed out, or the runtime died). */
  abandon(requestId: string): void {
    this.inFlight.delete(requestId);
    const queued = this.queue.findIndex((pending) => pending.invocation.requestId === requestId);
    if (queued !== -1) this.queue.splice(queued, 1);
  }

  /** Stops the server and drops open connections (parked polls included). */
  async close(): Promise<void> {
    for (const { response } of this.pollers.splice(0)) response.destroy();
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
    await closed;
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? '';
    if (request.method === 'GET' && path === `${PREFIX}/invocation/next`) return this.next(request, response);
    if (request.method === 'POST' && path === `${PREFIX}/init/error`) {
      const { body: payload } = await readBody(request, MAX_ERROR_BYTES);
      reply(response, 202, { status: 'OK' });
      this.events.initError({ payload: payload ?? Buffer.from('{}'), errorType: errorTypeOf(request) });
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (request.method !== 'POST' || match === null) {
      request.resume();
      return reply(response, 404, { errorType: 'NotFound', errorMessage: `${request.method} ${path}` });
    }
    const requestId = decodeURIComponent(match[1] ?? '');
    const pending = this.inFlight.get(requestId);
    if (pending === undefined || pending.dispatchedAt === undefined || pending.claimed) {
      request.resume();
      return reply(response, 400, { errorType: 'InvalidRequestID', errorMessage: `Invalid request ID: ${requestId}` });
    }
    pending.claimed = true;
    if (match[2] === 'error') return this.error(request, response, pending);
    return this.response(request, response, pending);
  }

  private next(request: IncomingMessage, response: ServerResponse): void {
    const key = workerKey(request, this.socketIds);
    let worker = this.workers.get(key);
    if (worker === undefined) {
      worker = this.workers.size + 1;
      this.workers.set(key, worker);
      this.events.workerReady(worker);
    }
    const poller = { response, worker };
    this.pollers.push(poller);
    response.once('close', () => {
      const index = this.pollers.indexOf(poller);
      if (index !== -1) this.pollers.splice(index, 1);
    });
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.pollers.length > 0) {
      const pending = this.queue.shift() as Pending;
      const { response, worker } = this.pollers.shift() as { response: ServerResponse; worker: number };
      const { invocation } = pending;
      pending.dispatchedAt = performance.now();
      pending.worker = worker;
      this.inFlight.set(invocation.requestId, pending);
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
        'Lambda-Runtime-Deadline-Ms': String(Date.now() + invocation.timeoutMs),
        'Lambda-Runtime-Invoked-Function-Arn': invocation.invokedFunctionArn,
        'Lambda-Runtime-Trace-Id': invocation.traceId,
      };
      if (invocation.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = invocation.clientContext;
      if (invocation.identity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = invocation.identity;
      if (invocation.tenantId !== undefined) headers['Lambda-Runtime-Aws-Tenant-Id'] = invocation.tenantId;
      // The invocation starts now (its START line, its deadline), before the runtime can answer it.
      this.events.dispatched(invocation.requestId);
      response.writeHead(200, headers);
      response.end(invocation.body);
    }
  }

  private settle(pending: Pending, answer: AnswerBody): void {
    this.inFlight.delete(pending.invocation.requestId);
    const durationMs = performance.now() - (pending.dispatchedAt ?? performance.now());
    pending.resolve({ ...answer, durationMs, worker: pending.worker } as InvocationAnswer);
  }

  private async response(request: IncomingMessage, response: ServerResponse, pending: Pending): Promise<void> {
    const streamed = request.headers['lambda-runtime-function-response-mode'] === 'streaming';
    const limit = streamed ? MAX_STREAMED_RESPONSE_BYTES : MAX_RESPONSE_BYTES;
    const observer = pending.invocation.onStream;
    if (streamed && observer !== undefined) {
      observer.open(request.headers['content-type']);
      request.on('data', (chunk: Buffer) => observer.chunk(chunk));
    }
    const { body: payload, complete } = await readBody(request, limit);
    if (!complete) {
      // The runtime dropped the connection mid-response (a stream destroyed): what came is what the caller gets.
      this.settle(pending, { kind: 'response', payload: payload ?? Buffer.alloc(0), streamed, truncated: true });
      return;
    }
    if (payload === undefined) {
      reply(response, 413, {
        errorType: 'RequestEntityTooLarge',
        errorMessage: `Exceeded maximum allowed payload size (${limit} bytes).`,
      });
      this.settle(pending, {
        kind: 'error',
        errorType: 'Function.ResponseSizeTooLarge',
        payload: Buffer.from(
          JSON.stringify({
            errorMessage: `Response payload size exceeded maximum allowed payload size (${limit} bytes).`,
            errorType: 'Function.ResponseSizeTooLarge',
          }),
        ),
      });
      return;
    }
    reply(response, 202, { status: 'OK' });
    // A streamed response that failed after it started carries the error in its trailers.
    const trailerType = request.trailers['lambda-runtime-function-error-type'];
    if (streamed && trailerType !== undefined) {
      const body = request.trailers['lambda-runtime-function-error-body'];
      const errorPayload =
        body === undefined ? Buffer.from(JSON.stringify({ errorType: trailerType })) : Buffer.from(body, 'base64');
      this.settle(pending, { kind: 'error', errorType: trailerType, payload: errorPayload });
      return;
    }
    this.settle(pending, { kind: 'response', payload, streamed });
  }

  private async error(request: IncomingMessage, response: ServerResponse, pending: Pending): Promise<void> {
    const { body: payload, complete } = await readBody(request, MAX_ERROR_BYTES);
    // Cut off mid-post: the runtime is gone, and its exit settles the invocation.
    if (!complete) return;
    reply(response, 202, { status: 'OK' });
    this.settle(pending, {
      kind: 'error',
      errorType: errorTypeOf(request),
      payload:
        payload ??
        Buffer.from(JSON.stringify({ errorType: errorTypeOf(request), errorMessage: 'error payload too large' })),
    });
  }
}
