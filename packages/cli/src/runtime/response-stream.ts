import type { ClientRequest } from 'node:http';
import { runtimeError } from './runtime-errors.js';
import type { RuntimeGeneration } from './runtime-generation.js';

/** The stream a response-streaming handler writes to: a fixed set of a chunked request's members. */
export interface ResponseStream {
  write(chunk: unknown, ...rest: unknown[]): boolean;
  end(...args: unknown[]): unknown;
  setContentType(contentType: string): void;
  /** Set by `awslambda.HttpResponseStream.from`: writes the HTTP prelude before the first chunk. */
  _onBeforeFirstWrite?: ((write: (chunk: string | Uint8Array) => void) => void) | undefined;
  readonly writableFinished: boolean;
  [member: string]: unknown;
}

const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
// The members each generation exposes, in its order (which `Object.keys(stream)` shows): the
// writable's, the event emitter's (3.x lists those alphabetically), then `setContentType`.
const WRITABLE_METHODS = ['cork', 'destroy', 'end', 'uncork', 'write'];
const EMITTER_METHODS = [
  'addListener',
  'on',
  'once',
  'prependListener',
  'prependOnceListener',
  'off',
  'removeListener',
  'removeAllListeners',
  'setMaxListeners',
  'getMaxListeners',
  'listeners',
  'rawListeners',
  'listenerCount',
  'eventNames',
  'emit',
];
const CURRENT_METHODS = [...WRITABLE_METHODS, ...EMITTER_METHODS, 'setContentType'];
const LEGACY_METHODS = [...WRITABLE_METHODS, ...[...EMITTER_METHODS].sort(), 'setContentType'];
const READ_ONLY = [
  'writableFinished',
  'writableObjectMode',
  'writableEnded',
  'writableNeedDrain',
  'writableHighWaterMark',
  'writableCorked',
  'writableLength',
];

/**
 * The stream Lambda hands a streaming handler, as each generation of AWS's runtime client builds
 * it over its chunked request: only the writable and event-emitter members (bound to the request),
 * `setContentType` until the first write, values other than strings and bytes written as JSON, and
 * a prelude (status and headers for a function URL) before the first chunk. 3.x's `end` passes on
 * its first argument only.
 */
export function responseStream(request: ClientRequest, generation: RuntimeGeneration): ResponseStream {
  const inner = request as unknown as Record<string, unknown> & ClientRequest;
  let written = false;
  const write = request.write.bind(request) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = request.end.bind(request) as (...args: unknown[]) => unknown;
  inner.setContentType = (contentType: string) => {
    if (written)
      throw runtimeError('Runtime.InvalidStreamingOperation', 'Cannot set content-type, too late.', generation);
    request.setHeader('Content-Type', contentType);
  };
  inner.write = (chunk: unknown, ...rest: unknown[]) => {
    const bytes =
      typeof chunk === 'string' ||
      Buffer.isBuffer(chunk) ||
      (generation === 'current' ? chunk instanceof Uint8Array : (chunk as object | null)?.constructor === Uint8Array);
    const onBeforeFirstWrite = inner._onBeforeFirstWrite;
    if (!written && typeof onBeforeFirstWrite === 'function') onBeforeFirstWrite((c: unknown) => write(c));
    written = true;
    return write(bytes ? chunk : JSON.stringify(chunk), ...rest);
  };
  if (generation === 'legacy') (inner as Record<string, unknown>).end = (first?: unknown) => end(first);
  const methods = generation === 'current' ? CURRENT_METHODS : LEGACY_METHODS;
  const stream = Object.fromEntries(
    methods.map((name) => [name, (inner[name] as (...args: unknown[]) => unknown).bind(inner)]),
  ) as ResponseStream;
  const readWrite =
    generation === 'current' ? ['destroyed', '_onBeforeFirstWrite'] : ['destroyed', 'writable', '_onBeforeFirstWrite'];
  const readOnly = generation === 'current' ? [...READ_ONLY, 'writable'] : [...READ_ONLY, 'writableBuffer'];
  for (const name of readWrite) {
    Object.defineProperty(stream, name, {
      get: () => inner[name],
      set: (value: unknown) => {
        inner[name] = value;
      },
    });
  }
  for (const name of readOnly) Object.defineProperty(stream, name, { get: () => inner[name] });
  return stream;
}

/** `awslambda.HttpResponseStream`: a streamed HTTP response with its status and headers first. */
// biome-ignore lint/complexity/noStaticOnlyClass: a class, as AWS's runtime gives it (`typeof` says 'function')
export class HttpResponseStream {
  /** Sets the prelude content type and writes `prelude` (JSON) and eight zero bytes before the first chunk. */
  static from(stream: ResponseStream, prelude: unknown): ResponseStream {
    stream.setContentType(PRELUDE_CONTENT_TYPE);
    const metadata = JSON.stringify(prelude);
    stream._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(8));
    };
    return stream;
  }
}

/** Ends a streamed response with an error, which Lambda reads from the request's trailers. */
export function failStream(request: ClientRequest, error: { errorType?: string }): Promise<void> {
  // Already ended by the handler: Lambda has the response, trailers can no longer follow.
  if (request.writableEnded) return Promise.resolve();
  request.addTrailers({
    'Lambda-Runtime-Function-Error-Type': error.errorType ?? 'Unknown',
    'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64'),
  });
  return new Promise((resolve) => request.end(() => resolve()));
}
