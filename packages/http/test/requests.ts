import { sampleEvent } from '@lambdakit/testing';
import type { HttpSourceName } from '../src/index.js';

/** The four sources, for tests that run on each. */
export const sources: readonly HttpSourceName[] = ['apigw-rest', 'apigw-http', 'alb', 'lambda-url'];

/** What a test request says; every source's event is written from it in that source's format. */
export interface RequestSpec {
  method?: string;
  /** Path with an optional query string: `/orders?limit=5&tag=a&tag=b`. */
  url?: string;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string | undefined;
  base64?: boolean;
  /** ALB target group with multi-value headers on. */
  multiValue?: boolean;
}

function queryPairs(query: string): [string, string][] {
  if (query === '') return [];
  return query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

/**
 * An event of `source` for the request, built on the catalogue's sample event so every other
 * field is as AWS sends it. Query values are given percent-encoded; each source receives them as
 * AWS delivers them (decoded in maps for API Gateway REST, raw for ALB and in `rawQueryString`).
 */
export function requestEvent(source: HttpSourceName, spec: RequestSpec = {}): Record<string, unknown> {
  const method = spec.method ?? 'GET';
  const [path, query = ''] = (spec.url ?? '/').split('?') as [string, string | undefined];
  const headers = { ...(spec.headers ?? {}) };
  const cookies = spec.cookies ?? [];
  const body = spec.body ?? null;
  const pairs = queryPairs(query);
  const event = sampleEvent(source) as unknown as Record<string, unknown>;
  if (source === 'apigw-http' || source === 'lambda-url') {
    const rc = event.requestContext as Record<string, unknown>;
    rc.http = { ...(rc.http as object), method, path };
    if (source === 'apigw-http') rc.routeKey = event.routeKey = '$default';
    const out: Record<string, unknown> = { ...event, rawPath: path, rawQueryString: query, headers, body };
    if (cookies.length > 0) out.cookies = cookies;
    if (body === null) delete out.body;
    out.isBase64Encoded = spec.base64 === true;
    return out;
  }
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  const out: Record<string, unknown> = {
    ...event,
    httpMethod: method,
    path,
    body,
    isBase64Encoded: spec.base64 === true,
  };
  const raw = source === 'alb';
  // API Gateway REST hands the query decoded (a malformed escape as sent); ALB as sent.
  const decoded = (v: string) => {
    try {
      return decodeURIComponent(v);
    } catch {
      return v;
    }
  };
  const value = (v: string) => (raw ? v : decoded(v.replace(/\+/g, ' ')));
  const key = (k: string) => (raw ? k : decoded(k));
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of pairs) {
    single[key(k)] = value(v);
    const list = multi[key(k)] ?? [];
    list.push(value(v));
    multi[key(k)] = list;
  }
  if (source === 'apigw-rest') {
    (out.requestContext as Record<string, unknown>).httpMethod = method;
    out.resource = path;
    out.headers = headers;
    out.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    out.queryStringParameters = pairs.length === 0 ? null : single;
    out.multiValueQueryStringParameters = pairs.length === 0 ? null : multi;
    return out;
  }
  // ALB: one of the two forms, as the target group is set.
  delete out.headers;
  delete out.queryStringParameters;
  if (spec.multiValue === true) {
    out.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    out.multiValueQueryStringParameters = multi;
  } else {
    out.headers = headers;
    out.queryStringParameters = single;
  }
  return out;
}
