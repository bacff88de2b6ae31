import type { HttpResponse } from './http-response.js';
import { empty } from './http-response.js';
import type { IncomingRequest } from './incoming-request.js';

/** Cross-origin resource sharing (the Fetch standard's CORS protocol) for browsers on other origins. */
export interface CorsOptions {
  /**
   * The origins allowed to read responses: a list of exact origins (`https://app.example.com`),
   * `'*'` for any (not with `credentials`), or a function deciding per origin.
   */
  origins: readonly string[] | '*' | ((origin: string) => boolean);
  /** Whether the browser may send cookies and authorization (`Access-Control-Allow-Credentials`). Default false. */
  credentials?: boolean | undefined;
  /** Request headers a preflight allows. Default: those the browser asks for. */
  allowHeaders?: readonly string[] | undefined;
  /** Response headers scripts may read besides the CORS-safelisted ones. */
  exposeHeaders?: readonly string[] | undefined;
  /** How long a browser may cache a preflight's answer, in seconds. Default 600. */
  maxAgeSeconds?: number | undefined;
}

/** What the app does with CORS: answer preflights and add the headers to every response. */
export interface Cors {
  /** The answer to a preflight (`OPTIONS` with `Access-Control-Request-Method`) for a path with `allow` methods. */
  preflight(request: IncomingRequest, allow: readonly string[]): HttpResponse;
  /** The response with the headers an allowed origin needs. */
  decorate(request: IncomingRequest, response: HttpResponse): HttpResponse;
}

function withVary(headers: Record<string, string>, name: string): void {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'vary');
  if (key === undefined) headers.vary = name;
  else if (
    !headers[key]!.toLowerCase()
      .split(/\s*,\s*/)
      .includes(name.toLowerCase())
  ) {
    headers[key] = `${headers[key]}, ${name}`;
  }
}

/** Checks the options once, when the app is made. */
export function compileCors(options: CorsOptions): Cors {
  const { origins, credentials = false, allowHeaders, exposeHeaders, maxAgeSeconds = 600 } = options;
  if (origins !== '*' && typeof origins !== 'function' && !Array.isArray(origins)) {
    throw new TypeError('http({ cors }): origins must be a list of origins, "*" or a function');
  }
  if (origins === '*' && credentials) {
    throw new TypeError(
      'http({ cors }): origins "*" cannot be used with credentials (browsers refuse it); list the origins',
    );
  }
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
    throw new TypeError(`http({ cors }): maxAgeSeconds must be a non-negative integer, got ${String(maxAgeSeconds)}`);
  }
  const listed = Array.isArray(origins) ? new Set(origins as readonly string[]) : undefined;
  const allowed = (origin: string): boolean =>
    origins === '*' || (listed?.has(origin) ?? (origins as (origin: string) => boolean)(origin));

  /** The headers every response to an allowed origin carries; undefined when the origin is not allowed. */
  const common = (request: IncomingRequest): Record<string, string> | undefined => {
    const origin = request.headers.origin;
    if (origin === undefined || !allowed(origin)) return undefined;
    const headers: Record<string, string> = {
      'access-control-allow-origin': origins === '*' ? '*' : origin,
    };
    if (credentials) headers['access-control-allow-credentials'] = 'true';
    return headers;
  };

  return {
    preflight(request, allow) {
      const headers: Record<string, string> = { allow: allow.join(', ') };
      const granted = common(request);
      if (granted !== undefined) {
        Object.assign(headers, granted);
        headers['access-control-allow-methods'] = allow.join(', ');
        const asked = request.headers['access-control-request-headers'];
        const allowList = allowHeaders?.join(', ') ?? asked;
        if (allowList !== undefined && allowList !== '') headers['access-control-allow-headers'] = allowList;
        headers['access-control-max-age'] = String(maxAgeSeconds);
      }
      if (origins !== '*') withVary(headers, 'Origin');
      if (allowHeaders === undefined) withVary(headers, 'Access-Control-Request-Headers');
      return empty(204, { headers });
    },
    decorate(request, response) {
      const granted = common(request);
      if (granted === undefined && origins === '*') return response;
      const headers: Record<string, string> = { ...response.headers, ...granted };
      if (granted !== undefined && exposeHeaders !== undefined && exposeHeaders.length > 0) {
        headers['access-control-expose-headers'] = exposeHeaders.join(', ');
      }
      // The answer depends on the origin: a shared cache must not give one origin's to another.
      if (origins !== '*') withVary(headers, 'Origin');
      return { ...response, headers };
    },
  };
}

// The CORS of the app that took each request, for the 504 of gatewayTimeout(), which sees only
// the event (a timeout is answered outside the app).
const appCors = new WeakMap<object, Cors>();

/** Notes that `event` is being answered by an app with this CORS. */
export function rememberCors(event: object, cors: Cors): void {
  appCors.set(event, cors);
}

/** The CORS of the app that took `event`, if it had one. */
export function rememberedCors(event: unknown): Cors | undefined {
  return typeof event === 'object' && event !== null ? appCors.get(event) : undefined;
}
