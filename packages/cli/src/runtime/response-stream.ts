import type { ClientRequest } from 'node:http';
import { RuntimeError } from './runtime-errors.js';

/** The stream a response-streaming handler writes to: a chunked POST to the Runtime API. */
export type ResponseStream = ClientRequest & {
  setContentType(contentType: string): void;
  /** Set by `awslambda.HttpResponseStream.from`: writes the HTTP prelude before the first chunk. */
  _onBeforeFirstWrite?: (write: (chunk: string | Uint8Array) => void) => void;
};

const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/**
 * Turns the runtime's chunked request into the stream Lambda hands a streaming handler: values
 * other than strings and bytes are written as JSON, the content type can be set until the first
 * write, and a prelude (status and headers for a function URL) goes before the first chunk.
 */
export function responseStream(request: ClientRequest): ResponseStream {
  const stream = request as ResponseStream;
  let written = false;
  const write = request.write.bind(request) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.setContentType = (contentType: string) => {
    if (written) throw new RuntimeError('Runtime.InvalidStreamingOperation', 'Cannot set content-type, too late.');
    request.setHeader('Content-Type', contentType);
  };
  (stream as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
    const data = typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    if (!written && typeof stream._onBeforeFirstWrite === 'function') stream._onBeforeFirstWrite((c) => write(c));
    written = true;
    return write(data, ...rest);
  };
  return stream;
}

/** `awslambda.HttpResponseStream`: a streamed HTTP response with its status and headers first. */
export const HttpResponseStream = {
  from(stream: ResponseStream, prelude: unknown): ResponseStream {
    stream.setContentType(PRELUDE_CONTENT_TYPE);
    const metadata = JSON.stringify(prelude);
    stream._onBeforeFirstWrite = (write) => {
      write(metadata);
      // Eight zero bytes separate the prelude from the body.
      write(new Uint8Array(8));
    };
    return stream;
  },
};

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
