import { LambdakitError, type LambdakitErrorOptions } from '@lambdakit/core';

/** The stable code an {@link HttpError} carries. */
export type HttpErrorCode = 'HTTP_ERROR';

/** One invalid part of a request, as problem details list it. */
export interface HttpIssue {
  /** JSON Pointer into the request's parts: `/params/id`, `/query/limit`, `/body/items/0/sku`. */
  readonly pointer: string;
  /** zod's issue code, or lambdakit's (`too_large`, `invalid_json`, `malformed`). */
  readonly code: string;
  readonly message: string;
}

/** What an {@link HttpError} carries besides its status. */
export interface HttpErrorDetails extends LambdakitErrorOptions {
  /** The problem's short title; default the status's reason phrase (`Not Found`). */
  title?: string | undefined;
  /** Said to the client: never put internals here. */
  detail?: string | undefined;
  issues?: readonly HttpIssue[] | undefined;
  /** Response headers to send with the problem (`Allow` with a 405, `Retry-After` with a 429). */
  headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * An HTTP failure to answer with a problem details document (RFC 9457): thrown by a route (`throw
 * new HttpError(404, { detail: 'no such order' })`) or by the app itself (404, 405, 400, 413).
 */
export class HttpError extends LambdakitError<HttpErrorCode> {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly issues: readonly HttpIssue[];
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, details: HttpErrorDetails = {}) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new TypeError(`HttpError: status must be an integer from 400 to 599, got ${String(status)}`);
    }
    const title = details.title ?? reasonPhrase(status);
    super('HTTP_ERROR', details.detail === undefined ? `${status} ${title}` : `${status} ${title}: ${details.detail}`, {
      cause: details.cause,
    });
    this.status = status;
    this.title = title;
    this.detail = details.detail;
    this.issues = details.issues ?? [];
    this.headers = details.headers ?? {};
  }

  /** A 400 with one issue at `pointer`. */
  static badRequest(message: string, pointer: string): HttpError {
    return new HttpError(400, {
      detail: `The request is invalid: ${message}.`,
      issues: [{ pointer, code: 'malformed', message }],
    });
  }
}

const phrases: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The reason phrase of a status (RFC 9110), or a generic one for its class. */
export function reasonPhrase(status: number): string {
  return (
    phrases[status] ??
    (status >= 500 ? 'Server Error' : status >= 400 ? 'Client Error' : status >= 300 ? 'Redirection' : 'OK')
  );
}
