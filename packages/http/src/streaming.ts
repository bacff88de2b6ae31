import type { LambdaContext } from '@lambdakit/core';
import type { HttpResponse } from './http-response.js';
import { type IncomingRequest, incomingRequest } from './incoming-request.js';
import { chunkBytes, gather, PrimedBody, untilAborted } from './stream-body.js';
import { forgetSender, type ResponseSender, registerSender } from './stream-writers.js';
import { type HttpResult, toResult } from './to-result.js';

/**
 * The stream Lambda hands a response-streaming handler (`awslambda.streamifyResponse`): the
 * writable members of the runtime's chunked request to the Runtime API, and `setContentType`.
 */
export interface LambdaResponseStream {
  write(chunk: string | Uint8Array): boolean;
  end(): unknown;
  setContentType(contentType: string): void;
  once(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  readonly writableEnded?: boolean | undefined;
  readonly destroyed?: boolean | undefined;
}

/** A handler Lambda calls as `(event, responseStream, context)`: what {@link streaming} returns. */
export type StreamingHandler<E = unknown> = (
  event: E,
  responseStream: LambdaResponseStream,
  context: LambdaContext,
) => Promise<void>;

/** Options of {@link streaming}. */
export interface StreamingOptions {
  /** The runtime's buffer for the response stream, in bytes (`streamifyResponse`'s `highWaterMark`). */
  highWaterMark?: number | undefined;
}

interface AwsLambdaGlobal {
  streamifyResponse?: (handler: unknown, options?: { highWaterMark?: number }) => unknown;
  HttpResponseStream?: { from(stream: LambdaResponseStream, prelude: object): LambdaResponseStream };
}

// What `streamifyResponse` marks a handler with; Lambda's runtimes read it to call the handler
// with a response stream. Set directly when the runtime's global is not there (it can be turned off).
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = new Uint8Array(8);

/** The sources that stream a response through Lambda: function URLs, and REST APIs in stream mode. */
function streams(source: IncomingRequest['source']): boolean {
  return source === 'lambda-url' || source === 'apigw-rest';
}

/** The prelude a function URL or a REST API reads before the body: the result without its body. */
function preludeOf(result: HttpResult): object {
  const { statusCode, headers, multiValueHeaders, cookies } = result;
  return { statusCode, headers, multiValueHeaders, cookies };
}

/** Writes one invocation's response to Lambda's response stream. */
class StreamWriter implements ResponseSender {
  /** Bytes went out (or the whole response): the status can no longer change. */
  started = false;
  /** The invocation is over for the handler: a response the app finishes later is dropped. */
  private closed = false;
  private sending: Promise<void> | undefined;

  constructor(private readonly out: LambdaResponseStream) {}

  /**
   * Sends the app's response. A function URL or REST API gets the prelude, then each chunk of a
   * streamed body as it comes, ended early and cleanly once `signal` aborts; another source gets
   * the whole result as one JSON payload (the format it reads from a buffered function).
   */
  async send(response: HttpResponse, request: IncomingRequest, signal: AbortSignal | undefined): Promise<HttpResult> {
    const primed = response.stream instanceof PrimedBody ? response.stream : undefined;
    if (this.closed || this.started) {
      primed?.close();
      return toResult({ ...response, body: undefined }, request);
    }
    if (!streams(request.source)) {
      const body =
        primed === undefined ? response.body : await gather(primed, response.headers['content-type'], signal);
      const result = toResult({ ...response, body }, request);
      // The handler may have been answered meanwhile (the timeout's 504): that answer stands.
      if (!this.closed && !this.started) this.whole(result);
      return result;
    }
    const result = toResult({ ...response, body: undefined }, request);
    this.started = true;
    this.sending = this.stream(preludeOf(result), primed ?? response.body, request.method === 'HEAD', signal);
    await this.sending;
    return result;
  }

  /** After the handler settled: writes its result unless the app already answered, and ends the stream. */
  async finish(event: unknown, result: unknown): Promise<void> {
    this.closed = true;
    if (this.started) {
      await this.sending?.catch(() => undefined);
      this.end();
      return;
    }
    const request = httpRequestOf(event);
    if (isHttpResult(result) && request !== undefined && streams(request.source)) {
      this.started = true;
      const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
      await this.stream(preludeOf(result), body, request.method === 'HEAD', undefined);
      return;
    }
    this.whole(result);
  }

  /** The handler failed: a stream already sent stays as it is, for the runtime to end with the error. */
  async failed(): Promise<void> {
    this.closed = true;
    await this.sending?.catch(() => undefined);
  }

  private whole(result: unknown): void {
    this.started = true;
    this.out.setContentType('application/json');
    this.out.write(JSON.stringify(result ?? null));
    this.end();
  }

  private async stream(
    prelude: object,
    body: PrimedBody | string | Uint8Array | undefined,
    head: boolean,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const out = openHttp(this.out, prelude);
    // The prelude goes out with the first write; an empty one sends it for a response without a body.
    if (head || body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
      if (body instanceof PrimedBody) body.close();
      out.write(head || body === undefined || body instanceof PrimedBody ? '' : chunkBytes(body, 0));
    } else {
      out.write('');
      for await (const bytes of body.bytes(signal)) {
        // The runtime's request is gone (the connection broke): stop reading the body.
        if (this.gone()) break;
        if (!out.write(bytes)) await drained(out, signal);
      }
    }
    this.end();
  }

  private gone(): boolean {
    return this.out.writableEnded === true || this.out.destroyed === true;
  }

  private end(): void {
    if (!this.gone()) this.out.end();
  }
}

/** `awslambda.HttpResponseStream.from` where the runtime has it; the same bytes written here where not. */
function openHttp(out: LambdaResponseStream, prelude: object): LambdaResponseStream {
  const runtime = (globalThis as unknown as { awslambda?: AwsLambdaGlobal }).awslambda;
  if (typeof runtime?.HttpResponseStream?.from === 'function') return runtime.HttpResponseStream.from(out, prelude);
  out.setContentType(PRELUDE_CONTENT_TYPE);
  out.write(JSON.stringify(prelude));
  out.write(DELIMITER);
  return out;
}

/** Until the stream takes more (its buffer drained), it closes or fails, or `signal` aborts. */
async function drained(out: LambdaResponseStream, signal: AbortSignal | undefined): Promise<void> {
  if (out.destroyed === true || out.writableEnded === true) return;
  let release: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    release = resolve;
    out.once('drain', resolve);
    out.once('close', resolve);
    out.once('error', resolve);
  });
  try {
    await (signal === undefined ? ready : untilAborted(ready, signal));
  } finally {
    out.removeListener('drain', release);
    out.removeListener('close', release);
    out.removeListener('error', release);
  }
}

function isHttpResult(value: unknown): value is HttpResult {
  const v = value as Partial<HttpResult> | null | undefined;
  return typeof v?.statusCode === 'number' && typeof v.body === 'string';
}

function httpRequestOf(event: unknown): IncomingRequest | undefined {
  try {
    return incomingRequest(event);
  } catch {
    return undefined;
  }
}

/**
 * A response-streaming Lambda handler around an HTTP handler:
 * `export const handler = streaming(base.handle(app))`. Behind a function URL (invoke mode
 * `RESPONSE_STREAM`) or a REST API in stream mode, a route's {@link stream} response goes out
 * chunk by chunk as it is produced, up to Lambda's 200 MB, its status and headers first; every
 * other response (JSON, a 404, the 504 of `gatewayTimeout()`) is sent whole through the same
 * stream. Other sources invoking the same function (ALB, an HTTP API) get the usual JSON result.
 *
 * The deadline (`ctx.signal`, `timeout()`) ends a stream cleanly where it is; an error thrown by
 * the body after its first chunk ends it with Lambda's error trailers. Built on the runtime's
 * `awslambda.streamifyResponse` (or its marker, when the runtime's global is turned off).
 */
export function streaming<E>(
  handler: (event: E, context: LambdaContext) => unknown,
  options: StreamingOptions = {},
): StreamingHandler<E> {
  if (typeof handler !== 'function') throw new TypeError('streaming(handler): handler must be a function');
  const highWaterMark = options.highWaterMark;
  if (highWaterMark !== undefined && (!Number.isInteger(highWaterMark) || highWaterMark <= 0)) {
    throw new TypeError(`streaming(): highWaterMark must be a positive integer, got ${String(highWaterMark)}`);
  }
  const run = async (event: E, responseStream: LambdaResponseStream, context: LambdaContext): Promise<void> => {
    const writer = new StreamWriter(responseStream);
    const key: object = typeof context === 'object' && context !== null ? context : {};
    registerSender(key, writer);
    let result: unknown;
    try {
      result = await handler(event, context);
    } catch (error) {
      await writer.failed();
      throw error;
    } finally {
      forgetSender(key);
    }
    await writer.finish(event, result);
  };
  const runtime = (globalThis as unknown as { awslambda?: AwsLambdaGlobal }).awslambda;
  if (typeof runtime?.streamifyResponse === 'function') {
    return runtime.streamifyResponse(
      run,
      highWaterMark === undefined ? undefined : { highWaterMark },
    ) as StreamingHandler<E>;
  }
  const marked = run as StreamingHandler<E> & Record<symbol, unknown>;
  marked[STREAMING] = 'response';
  if (highWaterMark !== undefined) marked[HIGH_WATER_MARK] = highWaterMark;
  return marked;
}
