import { Agent, type ClientRequest, type IncomingHttpHeaders, request } from 'node:http';
import type { ErrorResponse } from './runtime-errors.js';

/** One invocation as `GET /runtime/invocation/next` hands it out: the event text and Lambda's headers. */
export interface NextInvocation {
  body: string;
  headers: IncomingHttpHeaders;
}

/**
 * The Runtime API would not hand out an invocation (`GET /next` answered other than 2xx).
 *
 * Internal to the sandbox's runtime process, never a lambdakit error: it ends that process as
 * AWS's runtime client ends on a broken Runtime API (an unhandled rejection, exit 1), which the
 * CLI reports as Lambda does (`Runtime.ExitError`); no lambdakit API throws it or lets it escape.
 * Nor can it extend `LambdakitError`: `runtime/` loads nothing of lambdakit into the function's
 * process, whose modules and init time must be the function's own. The CLI's local Runtime API
 * answers `/next` with an error only on a fault of its own (500).
 */
export class RuntimeApiError extends Error {
  readonly code = 'RUNTIME_API_ERROR';

  constructor(
    readonly status: number,
    readonly body: string,
    path: string,
  ) {
    super(`Runtime API answered ${status} to ${path}: ${body}`);
    this.name = 'RuntimeApiError';
  }
}

const BASE = '/2018-06-01/runtime';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';

/**
 * A client of Lambda's Runtime API (`AWS_LAMBDA_RUNTIME_API`, version 2018-06-01): what a custom
 * runtime uses to take invocations and answer them. Keep-alive connections, none held while idle,
 * so a runtime waiting for its event loop to empty (callback handlers) is not kept busy by them.
 */
export class RuntimeApiClient {
  private readonly agent = new Agent({ keepAlive: true });
  private readonly hostname: string;
  private readonly port: number;

  /** `worker` names the poller in a `User-Agent` tag, so the local Runtime API can tell workers apart. */
  constructor(
    address: string,
    private readonly worker: string,
  ) {
    const [hostname, port] = address.split(':');
    if (!hostname || !port || !/^\d+$/.test(port)) throw new Error(`Invalid AWS_LAMBDA_RUNTIME_API: ${address}`);
    this.hostname = hostname;
    this.port = Number(port);
  }

  /** Waits for the next invocation (a long poll: Lambda answers when there is one). */
  async next(): Promise<NextInvocation> {
    const { status, body, headers } = await this.send('GET', `${BASE}/invocation/next`, undefined, {});
    if (status < 200 || status >= 300) throw new RuntimeApiError(status, body, `${BASE}/invocation/next`);
    return { body, headers };
  }

  // AWS's clients do not look at the status of their posts (a response over the payload limit is
  // answered 413, and Lambda has already failed the invocation): neither does this one.

  /** Answers an invocation with its JSON response payload. */
  async postResponse(requestId: string, payload: string): Promise<void> {
    await this.send('POST', `${BASE}/invocation/${encodeURIComponent(requestId)}/response`, payload, {});
  }

  /** Fails an invocation with an error payload. */
  async postError(requestId: string, error: ErrorResponse): Promise<void> {
    await this.send('POST', `${BASE}/invocation/${encodeURIComponent(requestId)}/error`, JSON.stringify(error), {
      [ERROR_TYPE_HEADER]: error.errorType ?? 'Unknown',
    });
  }

  /** Reports that the function could not be initialised; the runtime exits after this. */
  async postInitError(error: ErrorResponse): Promise<void> {
    await this.send('POST', `${BASE}/init/error`, JSON.stringify(error), {
      [ERROR_TYPE_HEADER]: error.errorType ?? 'Unknown',
    });
  }

  /** Opens a streamed (chunked) response for an invocation; errors go in trailers. */
  streamResponse(
    requestId: string,
    highWaterMark: number | undefined,
  ): { request: ClientRequest; answered: Promise<void> } {
    const req = request({
      hostname: this.hostname,
      port: this.port,
      method: 'POST',
      path: `${BASE}/invocation/${encodeURIComponent(requestId)}/response`,
      agent: this.agent,
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        'Transfer-Encoding': 'chunked',
        'Content-Type': 'application/octet-stream',
        Trailer: [ERROR_TYPE_HEADER, 'Lambda-Runtime-Function-Error-Body'].join(', '),
        'User-Agent': this.userAgent(),
      },
      ...(highWaterMark === undefined ? {} : { highWaterMark }),
    });
    // AWS's clients also keep a promise of the answer's headers that nothing awaits: a broken
    // connection rejects it unhandled, which ends the runtime (in 3.x, reports the rejection).
    void new Promise<void>((resolve, reject) => {
      req.once('response', () => resolve());
      req.once('error', reject);
    });
    const answered = new Promise<void>((resolve, reject) => {
      req.once('response', (response) => {
        response.resume();
        response.once('end', () => resolve());
        response.once('error', reject);
      });
      req.once('error', reject);
    });
    return { request: req, answered };
  }

  private userAgent(): string {
    return `lambdakit-runtime worker/${this.worker}`;
  }

  private send(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          hostname: this.hostname,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...headers,
            'User-Agent': this.userAgent(),
            ...(body === undefined
              ? {}
              : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.once('error', reject);
          response.once('end', () => {
            resolve({
              status: response.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: response.headers,
            });
          });
        },
      );
      req.once('error', reject);
      req.end(body);
    });
  }
}
