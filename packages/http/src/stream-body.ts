import { LambdakitError } from '@lambdakit/core';
import type { HttpResponse, StreamBody } from './http-response.js';

type Chunks = AsyncIterator<unknown> | Iterator<unknown>;

/** A new iterator over the chunks of `body`: its async iterator if it has one (a stream, a generator), else its sync one. */
export function iteratorOf(body: StreamBody): Chunks {
  const asyncIterator = (body as AsyncIterable<unknown>)[Symbol.asyncIterator];
  return typeof asyncIterator === 'function'
    ? asyncIterator.call(body)
    : (body as Iterable<unknown>)[Symbol.iterator].call(body);
}

/** The bytes of a chunk: a string as UTF-8, bytes as they are; anything else is a `TypeError`. */
export function chunkBytes(chunk: unknown, index: number): Uint8Array {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError(
    `stream(): chunk ${index} is ${chunk === null ? 'null' : typeof chunk}; a streamed body yields strings or bytes (Uint8Array, Buffer)`,
  );
}

/**
 * A streamed body whose first chunk has been awaited. The route's handler has not really answered
 * until its stream yields once: an `HttpError` thrown before that (a generator that checks the
 * order exists first) is still answered as its problem response, since nothing has been sent.
 */
export class PrimedBody implements AsyncIterable<string | Uint8Array> {
  private taken = false;

  private constructor(
    private readonly chunks: Chunks,
    private readonly first: IteratorResult<unknown>,
    private readonly source: StreamBody,
  ) {}

  /** Awaits the first chunk of `body`: what it throws, the route threw. */
  static async of(body: StreamBody): Promise<PrimedBody> {
    if (body instanceof PrimedBody) return body;
    if (typeof body === 'string') throw new TypeError('stream(): the body is a string; use text() for one');
    const chunks = iteratorOf(body);
    const first = await Promise.resolve(chunks.next());
    const primed = new PrimedBody(chunks, first, body);
    // A wrong first chunk fails the route before anything is sent, not a stream already under way.
    try {
      if (first.done !== true) chunkBytes(first.value, 0);
    } catch (error) {
      primed.close();
      throw error;
    }
    return primed;
  }

  /** Each chunk's bytes in turn, ending early once `signal` aborts (the iterator is then closed). */
  async *bytes(signal: AbortSignal | undefined): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.taken) throw new TypeError('stream(): a streamed body can be sent once');
    this.taken = true;
    let index = 0;
    let next = this.first;
    let finished = false;
    try {
      while (!next.done) {
        yield chunkBytes(next.value, index++);
        if (signal?.aborted === true) return;
        const pending = Promise.resolve(this.chunks.next());
        const settled = signal === undefined ? await pending : await untilAborted(pending, signal);
        if (settled === ABORTED) return;
        next = settled;
      }
      finished = true;
    } finally {
      if (!finished) this.close();
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<string | Uint8Array> {
    return this.bytes(undefined);
  }

  /**
   * Lets the body go unsent (a `HEAD` request, an early end): its iterator is told to return,
   * without waiting, so a generator stuck in an await cannot hold the response up.
   */
  close(): void {
    try {
      const closing = this.chunks.return?.();
      if (closing instanceof Promise) closing.catch(() => undefined);
    } catch {
      // The body's own cleanup failed: the response is over either way.
    }
    const source = this.source as { destroy?: unknown; cancel?: unknown };
    // A Node Readable or a web ReadableStream not read to its end: release what it holds.
    if (typeof source.destroy === 'function') (source.destroy as () => void)();
  }
}

const ABORTED = Symbol('aborted');

/** `pending`, or {@link ABORTED} as soon as `signal` aborts, whichever comes first. */
export function untilAborted<T>(pending: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) {
    pending.catch(() => undefined);
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      pending.catch(() => undefined);
      resolve(ABORTED);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Lambda's limit on a response that is not streamed (the request/response payload limit). */
export const MAX_BUFFERED_BYTES = 6 * 1024 * 1024;

// Bodies sent as text when gathered (others go base64-encoded, a third larger).
const TEXTUAL = /^(?:text\/|application\/(?:[\w.+-]*[+-])?(?:json|xml|javascript|ndjson)\b)|;\s*charset=utf-8/i;

/**
 * The whole of a streamed body, for a source that does not stream (ALB, an HTTP API) or a handler
 * not made with `streaming()`: text for a textual content type, else bytes. Over `maxBytes` it
 * is a `LambdakitError` with code `HTTP_RESPONSE_TOO_LARGE`: Lambda would refuse the response
 * anyway, and a silent cut is worse.
 */
export async function gather(
  body: PrimedBody,
  contentType: string | undefined,
  signal: AbortSignal | undefined,
  maxBytes = MAX_BUFFERED_BYTES,
): Promise<string | Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const bytes of body.bytes(signal)) {
    size += bytes.byteLength;
    if (size > maxBytes) {
      body.close();
      throw new LambdakitError(
        'HTTP_RESPONSE_TOO_LARGE',
        `stream(): the body passed ${maxBytes} bytes while being gathered into one response (this source or handler does not stream; wrap the handler in streaming() for a function URL)`,
      );
    }
    parts.push(bytes);
  }
  // Cut short by the deadline: a part of the body is not the response (the timeout's is).
  if (signal?.aborted === true) throw signal.reason;
  const all = Buffer.concat(parts);
  if (contentType !== undefined && TEXTUAL.test(contentType)) return all.toString('utf8');
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

/** The invocation's signal, when `ctx` has one (lambdakit's own ctx does). */
export function signalOf(ctx: unknown): AbortSignal | undefined {
  const signal = (ctx as { signal?: unknown } | null | undefined)?.signal;
  return signal instanceof AbortSignal ? signal : undefined;
}

/** `response` with its streamed body (if any) gathered into one body, for a handler that does not stream. */
export async function gathered(response: HttpResponse, ctx: unknown): Promise<HttpResponse> {
  if (!(response.stream instanceof PrimedBody)) return response;
  const body = await gather(response.stream, response.headers['content-type'], signalOf(ctx));
  return { ...response, body, stream: undefined };
}

/**
 * A route's streamed body, its first chunk awaited (so an error before it is the route's); a
 * `HEAD` request's is let go unread.
 */
export async function primed(response: HttpResponse, method: string): Promise<HttpResponse> {
  const body = response.stream;
  if (body === undefined || body instanceof PrimedBody) return response;
  if (method === 'HEAD') {
    discard(body);
    return { ...response, stream: undefined };
  }
  return { ...response, stream: await PrimedBody.of(body) };
}

/** Releases a body that will not be read: a generator is returned, a stream destroyed or cancelled. */
function discard(body: StreamBody): void {
  const b = body as { return?: unknown; destroy?: unknown; cancel?: unknown };
  try {
    if (typeof b.destroy === 'function') (b.destroy as () => void).call(body);
    else if (typeof b.cancel === 'function')
      ((b.cancel as () => Promise<void>).call(body) as Promise<void>).catch(() => undefined);
    else if (typeof b.return === 'function') {
      const done = (b.return as () => unknown).call(body);
      if (done instanceof Promise) done.catch(() => undefined);
    }
  } catch {
    // Its own cleanup failed: nothing was sent, and nothing more can be done.
  }
}
