import { Writable } from 'node:stream';
import { type LambdaContext, type LambdaError, toLambdaError } from '@lambdakit/core';
import { contextFor } from './create-context.js';
import type { InvokeOptions } from './invoke.js';

/** A response-streaming handler, as `awslambda.streamifyResponse` (or lambdakit's `streaming()`) marks it. */
export type StreamingLambdaHandler<E> = (
  event: E,
  responseStream: Writable & { setContentType(contentType: string): void },
  context: LambdaContext,
) => unknown;

/** One write of the body, as the client would receive it, and when (ms after the invocation started). */
export interface StreamedChunk {
  bytes: Buffer;
  atMs: number;
}

/** The HTTP prelude a function URL or a REST API reads before the body. */
export interface StreamedPrelude {
  statusCode?: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  cookies?: string[];
}

/** What {@link invokeStream} saw of the response stream, and how the invocation ended. */
export interface InvokeStreamResult {
  ok: boolean;
  /** The handler's error, or the platform's timeout, in Lambda's shape; undefined on success. */
  error: LambdaError | undefined;
  timedOut: boolean;
  /** As the handler set it (`application/octet-stream` unless set). */
  contentType: string;
  /** The prelude, when the handler wrote one (`HttpResponseStream.from`); its bytes are not in `chunks`. */
  prelude: StreamedPrelude | undefined;
  /** The body's writes in order, with their times. */
  chunks: StreamedChunk[];
  body: Buffer;
  /** The body as UTF-8. */
  text: string;
  /** The handler ended the stream (a stream never ended holds the invocation until its timeout). */
  ended: boolean;
  durationMs: number;
  context: LambdaContext;
}

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);

/** The response stream a test hands the handler: a real `Writable` recording each write's bytes and time. */
class RecordingStream extends Writable {
  contentType = 'application/octet-stream';
  written = false;
  readonly writes: StreamedChunk[] = [];

  constructor(private readonly started: number) {
    super({ decodeStrings: true });
  }

  setContentType(contentType: string): void {
    if (this.written) throw new Error('Cannot set content-type, too late.');
    this.contentType = contentType;
  }

  /** Set by the runtime's `awslambda.HttpResponseStream.from`: writes the prelude before the first chunk. */
  _onBeforeFirstWrite: ((write: (chunk: string | Uint8Array) => void) => void) | undefined;

  override write(chunk: unknown, ...rest: unknown[]): boolean {
    if (!this.written && typeof this._onBeforeFirstWrite === 'function') {
      this.written = true;
      this._onBeforeFirstWrite((piece) => super.write(piece));
    }
    this.written = true;
    // As Lambda's runtimes do: values other than text and bytes are written as JSON.
    const data = typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    return super.write(data, ...(rest as [BufferEncoding]));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (chunk.length > 0) this.writes.push({ bytes: chunk, atMs: performance.now() - this.started });
    callback();
  }
}

/**
 * Runs a response-streaming handler the way Lambda would: with a response stream and a
 * real-shaped context, stopped at its deadline. The result has the prelude (status, headers)
 * split from the body, and each chunk with its time, so a test can check what a client receives
 * and when.
 */
export async function invokeStream<E>(
  handler: StreamingLambdaHandler<E>,
  event: E,
  options: InvokeOptions = {},
): Promise<InvokeStreamResult> {
  if (typeof handler !== 'function' || (handler as unknown as Record<symbol, unknown>)[STREAMING] !== 'response') {
    throw new TypeError(
      'invokeStream(handler): the handler is not marked for response streaming (awslambda.streamifyResponse, or streaming() of @lambdakit/http); use invoke()',
    );
  }
  const context = options.context ?? contextFor('invokeStream', options);
  const started = performance.now();
  const stream = new RecordingStream(started);
  const finished = new Promise<void>((resolve) => stream.once('finish', () => resolve()));
  const remaining = context.getRemainingTimeInMillis();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, remaining));
  });
  let error: LambdaError | undefined;
  let timedOut = false;
  try {
    // The runtime answers once the handler has settled and the stream has ended. A handler that
    // fails is reported with what it wrote (Lambda ends its stream with error trailers); one that
    // times out is left running, as the test's process is not a sandbox Lambda would stop.
    const run = Promise.resolve()
      .then(() => handler(event, stream, context))
      .then(() => finished);
    const outcome = await Promise.race([run.then(() => 'done' as const), deadline]);
    if (outcome === 'timeout') {
      timedOut = true;
      const seconds = ((options.timeoutMs ?? remaining) / 1000).toFixed(2);
      const errorMessage = `${new Date().toISOString()} ${context.awsRequestId} Task timed out after ${seconds} seconds`;
      error = { errorType: 'Sandbox.Timedout', errorMessage, trace: [] };
    }
  } catch (thrown) {
    error = toLambdaError(thrown);
  } finally {
    clearTimeout(timer);
  }
  return {
    ...split(stream),
    ok: error === undefined,
    error,
    timedOut,
    durationMs: performance.now() - started,
    context,
  };
}

/** The prelude and the body's chunks, from what was written. */
function split(
  stream: RecordingStream,
): Pick<InvokeStreamResult, 'contentType' | 'prelude' | 'chunks' | 'body' | 'text' | 'ended'> {
  let chunks = stream.writes;
  let prelude: StreamedPrelude | undefined;
  let contentType = stream.contentType;
  if (contentType === PRELUDE_CONTENT_TYPE) {
    const all = Buffer.concat(chunks.map((c) => c.bytes));
    const at = all.indexOf(DELIMITER);
    if (at !== -1) {
      prelude = JSON.parse(all.subarray(0, at).toString('utf8')) as StreamedPrelude;
      contentType =
        prelude.headers?.['content-type'] ?? prelude.headers?.['Content-Type'] ?? 'application/octet-stream';
      chunks = afterBytes(chunks, at + DELIMITER.length);
    }
  }
  const body = Buffer.concat(chunks.map((c) => c.bytes));
  return { contentType, prelude, chunks, body, text: body.toString('utf8'), ended: stream.writableEnded };
}

/** The chunks with their first `count` bytes taken off. */
function afterBytes(chunks: StreamedChunk[], count: number): StreamedChunk[] {
  const out: StreamedChunk[] = [];
  let skip = count;
  for (const chunk of chunks) {
    if (skip >= chunk.bytes.length) {
      skip -= chunk.bytes.length;
      continue;
    }
    out.push({ bytes: chunk.bytes.subarray(skip), atMs: chunk.atMs });
    skip = 0;
  }
  return out;
}
