import { HttpError } from './http-error.js';

/** Which AWS front door sent the request; each has its own event and response format. */
export type HttpSourceName = 'apigw-rest' | 'apigw-http' | 'alb' | 'lambda-url';

/** A request as every source is normalised to, once, before routing. */
export interface IncomingRequest {
  readonly source: HttpSourceName;
  /** Upper-case, as sent (`GET`). */
  readonly method: string;
  /** The path as sent, percent-encoded, without the query string (and without a REST API's stage). */
  readonly path: string;
  /**
   * Query parameters, decoded: a string for a key sent once, an array for a repeated key. Read
   * on first use; a malformed escape throws the 400 `HttpError` then.
   */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Header names in lower case; repeated headers joined with `, ` (as API Gateway's HTTP APIs do). */
  readonly headers: Readonly<Record<string, string>>;
  /** The `Cookie` header's (or, for HTTP APIs and function URLs, the `cookies` list's) pairs; read on first use. */
  readonly cookies: Readonly<Record<string, string>>;
  /** The body as sent: text, or base64 when `isBase64Encoded`. */
  readonly body: string | undefined;
  readonly isBase64Encoded: boolean;
  /** ALB with multi-value headers on: its response must use `multiValueHeaders` too. */
  readonly multiValue: boolean;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The normalised request; the query and cookies are decoded only if something reads them. */
class Incoming implements IncomingRequest {
  private queryRead: Record<string, string | string[]> | undefined;
  private cookiesRead: Record<string, string> | undefined;

  constructor(
    readonly source: HttpSourceName,
    readonly method: string,
    readonly path: string,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string | undefined,
    readonly isBase64Encoded: boolean,
    readonly multiValue: boolean,
    private readonly readQuery: () => Record<string, string | string[]>,
    private readonly cookieHeader: () => string,
  ) {}

  get query(): Readonly<Record<string, string | string[]>> {
    this.queryRead ??= this.readQuery();
    return this.queryRead;
  }

  get cookies(): Readonly<Record<string, string>> {
    this.cookiesRead ??= parseCookies(this.cookieHeader());
    return this.cookiesRead;
  }
}

/**
 * Tells the source from the event's shape (as AWS documents each one) and normalises it.
 * Throws a `TypeError` naming what was missing when the event is none of the four: an HTTP app
 * invoked directly, or with another source's event, is a deployment mistake, not a bad request.
 */
export function incomingRequest(event: unknown): IncomingRequest {
  if (!isObject(event) || !isObject(event.requestContext)) {
    throw new TypeError(
      'http(): the event is not an HTTP request (API Gateway REST or HTTP API, ALB or function URL): no requestContext',
    );
  }
  const rc = event.requestContext;
  if (isObject(rc.http) && typeof rc.http.method === 'string') return fromV2(event, rc.http, rc);
  if (typeof event.httpMethod === 'string') return fromV1(event, isObject(rc.elb));
  throw new TypeError(
    'http(): the event is not an HTTP request: neither requestContext.http.method (HTTP API, function URL) nor httpMethod (REST API, ALB)',
  );
}

/** API Gateway HTTP APIs (payload 2.0) and function URLs share one format. */
function fromV2(event: Json, http: Json, rc: Json): IncomingRequest {
  const domain = str(rc.domainName) ?? '';
  return new Incoming(
    domain.includes('.lambda-url.') ? 'lambda-url' : 'apigw-http',
    (http.method as string).toUpperCase(),
    str(event.rawPath) ?? str(http.path) ?? '/',
    lowerCased(event.headers, undefined),
    str(event.body),
    event.isBase64Encoded === true,
    false,
    () => parseQueryString(str(event.rawQueryString) ?? ''),
    () =>
      (Array.isArray(event.cookies) ? event.cookies.filter((c): c is string => typeof c === 'string') : []).join('; '),
  );
}

/**
 * API Gateway REST APIs (payload 1.0: single and multi-value maps, both always present) and ALB
 * (one of the two, as the target group is set; query values stay percent-encoded).
 */
function fromV1(event: Json, alb: boolean): IncomingRequest {
  const headers = lowerCased(event.headers, event.multiValueHeaders);
  return new Incoming(
    alb ? 'alb' : 'apigw-rest',
    (event.httpMethod as string).toUpperCase(),
    str(event.path) ?? '/',
    headers,
    str(event.body),
    event.isBase64Encoded === true,
    alb && isObject(event.multiValueHeaders),
    () => queryFromMaps(event.queryStringParameters, event.multiValueQueryStringParameters, alb),
    () => headers.cookie ?? '',
  );
}

/** True when every name is lower case and every value a string: the map can be used as it is. */
function alreadyLowerCased(headers: Json): boolean {
  for (const name in headers) {
    if (typeof headers[name] !== 'string' || name !== name.toLowerCase()) return false;
  }
  return true;
}

function lowerCased(single: unknown, multi: unknown): Record<string, string> {
  // HTTP APIs and function URLs send names in lower case already (AWS documents it): no copy.
  if (
    !isObject(multi) &&
    isObject(single) &&
    Object.getPrototypeOf(single) === Object.prototype &&
    alreadyLowerCased(single)
  ) {
    return single as Record<string, string>;
  }
  const out: Record<string, string> = Object.create(null);
  if (isObject(multi)) {
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) continue;
      const texts = values.filter((v): v is string => typeof v === 'string');
      if (texts.length > 0) out[name.toLowerCase()] = texts.join(', ');
    }
  }
  if (isObject(single)) {
    for (const [name, value] of Object.entries(single)) {
      const key = name.toLowerCase();
      if (typeof value === 'string' && out[key] === undefined) out[key] = value;
    }
  }
  return out;
}

/** Decodes a query component (`+` is a space in a form-encoded query); a malformed escape is a 400. */
function decodeComponent(text: string, where: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // The key is the client's: cut, as the parser cuts keys, so a hostile one cannot make the answer large.
    const key = where.length > 64 ? `${where.slice(0, 63)}…` : where;
    throw HttpError.badRequest(`malformed percent-encoding in query parameter ${key}`, `/query/${escapePointer(key)}`);
  }
}

function add(out: Record<string, string | string[]>, key: string, value: string): void {
  const seen = out[key];
  if (seen === undefined) out[key] = value;
  else if (Array.isArray(seen)) seen.push(value);
  else out[key] = [seen, value];
}

function parseQueryString(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  if (raw === '') return out;
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const key = decodeComponent(rawKey, rawKey);
    add(out, key, eq === -1 ? '' : decodeComponent(pair.slice(eq + 1), key));
  }
  return out;
}

function queryFromMaps(single: unknown, multi: unknown, encoded: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  const decode = (text: string, key: string) => (encoded ? decodeComponent(text, key) : text);
  if (isObject(multi)) {
    for (const [rawKey, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) continue;
      const key = decode(rawKey, rawKey);
      for (const value of values) if (typeof value === 'string') add(out, key, decode(value, key));
    }
    return out;
  }
  if (isObject(single)) {
    for (const [rawKey, value] of Object.entries(single)) {
      const key = decode(rawKey, rawKey);
      if (typeof value === 'string') add(out, key, decode(value, key));
    }
  }
  return out;
}

/** `a=1; b=2` → `{ a: '1', b: '2' }`; the first of a repeated name wins (the most specific path, per RFC 6265). */
export function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === '' || out[name] !== undefined) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] = value.includes('%') ? decodeURIComponent(value) : value;
    } catch {
      out[name] = value; // a cookie is opaque to the server: kept as sent when it is not percent-encoded text
    }
  }
  return out;
}

/** A JSON Pointer segment (RFC 6901). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
