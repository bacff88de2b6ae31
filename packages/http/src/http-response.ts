import { HttpError, type HttpErrorDetails, type HttpIssue } from './http-error.js';

declare const bodyType: unique symbol;

/** What a route answers with: made by {@link json}, {@link text}, {@link empty} or {@link problem}. */
export interface HttpResponse<Status extends number = number, Body = unknown> {
  readonly status: Status;
  /** Header names as given; `content-type` is set by the helper. */
  readonly headers: Readonly<Record<string, string>>;
  /** `Set-Cookie` values, one per cookie: each source's format is written from them. */
  readonly cookies: readonly string[];
  /** The body as sent: text, or bytes (sent base64-encoded). */
  readonly body: string | Uint8Array | undefined;
  /** A streamed body, made by {@link stream}: its chunks, sent as they come where the source streams. */
  readonly stream?: StreamBody | undefined;
  /** Type-level only: the value a JSON response was made from. */
  readonly [bodyType]?: Body;
}

/** Headers and cookies any helper accepts. */
export interface ResponseInit {
  headers?: Readonly<Record<string, string>> | undefined;
  cookies?: readonly string[] | undefined;
}

const responses = new WeakSet<object>();

function make<S extends number, B>(
  status: S,
  contentType: string | undefined,
  body: string | Uint8Array | undefined,
  init: ResponseInit | undefined,
): HttpResponse<S, B> {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new TypeError(`http response: status must be an integer from 100 to 599, got ${String(status)}`);
  }
  const headers: Record<string, string> = contentType === undefined ? {} : { 'content-type': contentType };
  if (init?.headers !== undefined) Object.assign(headers, init.headers);
  const response: HttpResponse<S, B> = { status, headers, cookies: init?.cookies ?? [], body };
  responses.add(response);
  return response;
}

/** @internal A response with the body as given (a stored response replayed as it was sent). */
export function rawResponse(
  status: number,
  body: string | Uint8Array | undefined,
  init: { headers: Readonly<Record<string, string>>; cookies: readonly string[] },
): HttpResponse {
  return make(status, undefined, body, init);
}

/** Whether `value` was made by one of this module's helpers. */
export function isHttpResponse(value: unknown): value is HttpResponse {
  return typeof value === 'object' && value !== null && responses.has(value);
}

/** A JSON response: `json(201, order)`. The body's type is kept for response schemas and tests. */
export function json<const S extends number, B>(status: S, body: B, init?: ResponseInit): HttpResponse<S, B> {
  const text = JSON.stringify(body);
  if (text === undefined) throw new TypeError(`json(${status}, …): the body cannot be written as JSON`);
  return make(status, 'application/json', text, init);
}

/** A text response (`text/plain; charset=utf-8` unless `init.headers` sets another type). */
export function text<const S extends number>(status: S, body: string, init?: ResponseInit): HttpResponse<S, string> {
  return make(status, 'text/plain; charset=utf-8', body, init);
}

/** A binary response, sent base64-encoded as every source requires. */
export function binary<const S extends number>(
  status: S,
  body: Uint8Array,
  contentType: string,
  init?: ResponseInit,
): HttpResponse<S, Uint8Array> {
  return make(status, contentType, body, init);
}

/**
 * The chunks of a streamed body: an async iterable (an async generator, a Node `Readable`, a web
 * `ReadableStream`) or an iterable of strings (sent as UTF-8) and bytes.
 */
export type StreamBody = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * A streamed response: `stream(200, rows(ctx.signal), 'application/x-ndjson')`. Behind a
 * {@link streaming} handler a function URL or a REST API in stream mode sends each chunk as it
 * comes; other sources (and a handler that does not stream) get the chunks gathered into one body.
 * The route's `ctx.signal` and the deadline end the stream early and cleanly.
 */
export function stream<const S extends number>(
  status: S,
  body: StreamBody,
  contentType: string,
  init?: ResponseInit,
): HttpResponse<S, StreamBody> {
  const iterable =
    typeof body === 'object' &&
    body !== null &&
    (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' ||
      typeof (body as Iterable<unknown>)[Symbol.iterator] === 'function');
  if (!iterable) {
    throw new TypeError(
      `stream(${status}, …): the body must be an async iterable or an iterable of chunks, got ${body === null ? 'null' : typeof body}`,
    );
  }
  if (typeof contentType !== 'string' || contentType === '') {
    throw new TypeError(`stream(${status}, …): the content type must be a non-empty string`);
  }
  const response = make<S, StreamBody>(status, contentType, undefined, init);
  return Object.assign(response, { stream: body });
}

/** A response with no body (`204`, `304`, a redirect with `location`). */
export function empty<const S extends number>(status: S, init?: ResponseInit): HttpResponse<S, undefined> {
  return make(status, undefined, undefined, init);
}

/** An RFC 9457 problem details document, as every error of the app is sent. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The invalid parts of the request, for a 400 or 413. */
  issues?: HttpIssue[];
}

/** A problem details response (`application/problem+json`): `problem(404, { detail: 'no such order' })`. */
export function problem<const S extends number>(
  status: S,
  details: Omit<HttpErrorDetails, 'cause'> & { type?: string } = {},
): HttpResponse<S, ProblemDocument> {
  return problemOf(new HttpError(status, details), details.type) as HttpResponse<S, ProblemDocument>;
}

/** The problem response of an {@link HttpError}. */
export function problemOf(error: HttpError, type = 'about:blank'): HttpResponse<number, ProblemDocument> {
  const document: ProblemDocument = { type, title: error.title, status: error.status };
  if (error.detail !== undefined) document.detail = error.detail;
  if (error.issues.length > 0) document.issues = [...error.issues];
  return make(error.status, 'application/problem+json', JSON.stringify(document), { headers: error.headers });
}
