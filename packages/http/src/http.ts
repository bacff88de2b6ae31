import type { InvocationContext, LambdaBuilder } from '@lambdakit/core';
import { defaultLimits, type ParseLimits } from '@lambdakit/parser';
import { readClaims } from './authorizer-claims.js';
import { type CompressionOptions, compileCompression } from './compression.js';
import { type Cors, type CorsOptions, compileCors, rememberCors } from './cors.js';
import { HttpError } from './http-error.js';
import { empty, type HttpResponse, isHttpResponse, json, problemOf, stream } from './http-response.js';
import { type IncomingRequest, incomingRequest } from './incoming-request.js';
import { type OpenApiDocument, type OpenApiInfo, openApiDocument } from './openapi.js';
import { checkRouteSchemas, responseChecker } from './route-check.js';
import { compileParts, type RequestParts, type RouteSchemas } from './route-parts.js';
import { ROUTE_METHODS, type RouteMethod, RouteTable } from './route-table.js';
import type { RouteHandler, RouteRequest } from './route-types.js';
import { gathered, primed, signalOf } from './stream-body.js';
import { senderOf } from './stream-writers.js';
import { type HttpResult, toResult } from './to-result.js';

/** Options of {@link http}. */
export interface HttpOptions {
  /** Bounds on a body's parsing (size, depth), as the parser's; a body over `maxBodyBytes` is a 413. */
  limits?: Partial<ParseLimits> | undefined;
  /** Answers CORS preflights and adds CORS headers to every response (errors included). Default: none. */
  cors?: CorsOptions | undefined;
  /**
   * Compresses text and JSON bodies (brotli or gzip, as `Accept-Encoding` prefers) from `minBytes`
   * (1024). Default off: a REST API or CloudFront in front may compress already.
   */
  compression?: CompressionOptions | boolean | undefined;
  /**
   * Checks each response of a route that declares `responses` against them, and throws a
   * `TypeError` (the invocation's error) when one does not fit. For tests; off by default.
   */
  checkResponses?: boolean | undefined;
  /**
   * With a logger on `ctx.log` (`logger()` earlier in the chain): one `WARN` line for each request
   * answered 400 or 413 for its parts, with the first issues (pointers and reasons, never the
   * values). Default true.
   */
  logInvalid?: boolean | undefined;
}

// Issues named in the line: enough to see what is wrong, bounded whatever the request.
const LOGGED_ISSUES = 3;

/** The `WARN` line of a request refused for its parts. */
function logInvalidRequest(ctx: unknown, request: IncomingRequest, error: HttpError): void {
  const log = (ctx as { log?: { warn?: unknown } } | undefined)?.log;
  if (typeof log?.warn !== 'function') return;
  const issues = error.issues.slice(0, LOGGED_ISSUES).map(({ pointer, message }) => ({ pointer, message }));
  const first = issues[0]!;
  (log.warn as (fields: object, message: string) => void).call(
    log,
    { source: request.source, method: request.method, status: error.status, issues },
    `invalid request answered ${error.status}: ${first.pointer}: ${first.message}`,
  );
}

/** A registered route, as `app.routes` lists it (for documentation and OpenAPI). */
export interface RouteInfo {
  readonly method: RouteMethod;
  readonly path: string;
  readonly schemas: RouteSchemas;
}

type AddRoute<C> = {
  <const P extends string, const S extends RouteSchemas>(
    path: P,
    schemas: S,
    handler: RouteHandler<P, S, C>,
  ): HttpApp<C>;
  <const P extends string>(path: P, handler: RouteHandler<P, {}, C>): HttpApp<C>;
};

/**
 * An HTTP app: the business logic of a `lambda()` handler (`.handle(app)`), and the routes it serves.
 * `C` is the chain's `ctx`, given to every route.
 */
export interface HttpApp<C = InvocationContext> {
  (event: unknown, ctx: C): Promise<HttpResult>;
  readonly get: AddRoute<C>;
  readonly head: AddRoute<C>;
  readonly post: AddRoute<C>;
  readonly put: AddRoute<C>;
  readonly patch: AddRoute<C>;
  readonly delete: AddRoute<C>;
  readonly options: AddRoute<C>;
  /** The routes in the order they were added (the first that matches a request serves it). */
  readonly routes: readonly RouteInfo[];
  /** The OpenAPI 3.1 document of the routes, from their zod schemas. */
  openapi(info: OpenApiInfo): OpenApiDocument;
}

interface Route {
  readonly info: RouteInfo;
  /** With `checkResponses`: throws when a response does not fit the route's declared `responses`. */
  readonly check: ((response: HttpResponse) => void) | undefined;
  readonly parts: (request: IncomingRequest, params: Record<string, string>) => RequestParts;
  readonly handler: (request: RouteRequest, ctx: unknown) => unknown;
}

function isBuilder(value: unknown): value is LambdaBuilder<unknown, InvocationContext, unknown> {
  const v = value as { use?: unknown; handle?: unknown } | null | undefined;
  return typeof v?.use === 'function' && typeof v.handle === 'function';
}

/**
 * Typed routes for API Gateway REST and HTTP APIs, ALB and function URLs, as one app:
 *
 * ```ts
 * const base = lambda().use(logger()).use(timeout());
 * const app = http(base)
 *   .get('/orders/:id', async ({ params }, ctx) => json(200, await load(params.id, ctx.signal)))
 *   .post('/orders', { body: Order }, async ({ body }) => json(201, await save(body)));
 * export const handler = base.handle(app);
 * ```
 *
 * Given the builder, routes get its `ctx` type (the builder is read for its type only). Each
 * request is normalised once from its source's format and answered in it; no route for the path
 * is a 404, a path without the method a 405 with `Allow`, an invalid part a 400 listing each
 * issue by JSON Pointer, a body over the size limit a 413, an {@link HttpError} thrown by a route
 * its problem response; any other error is the invocation's error.
 */
export function http<C extends InvocationContext = InvocationContext>(
  base: LambdaBuilder<any, C, any>,
  options?: HttpOptions,
): HttpApp<C>;
export function http(options?: HttpOptions): HttpApp<InvocationContext>;
export function http(first?: unknown, second?: HttpOptions): HttpApp<any> {
  const options = (isBuilder(first) ? second : (first as HttpOptions | undefined)) ?? {};
  checkOptions(options);
  const limits: Readonly<ParseLimits> = { ...defaultLimits, ...definedOf(options.limits) };
  const logInvalid = options.logInvalid ?? true;
  const cors = options.cors === undefined ? undefined : compileCors(options.cors);
  const compress =
    options.compression === undefined || options.compression === false
      ? undefined
      : compileCompression(options.compression);
  const table = new RouteTable<Route>();
  const routes: RouteInfo[] = [];

  const app = (async (event: unknown, ctx: unknown) => {
    const request = incomingRequest(event);
    if (cors !== undefined) rememberCors(event as object, cors);
    let response: HttpResponse;
    try {
      response = await dispatch(table, request, event, ctx, cors);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      if (logInvalid && error.issues.length > 0) logInvalidRequest(ctx, request, error);
      response = problemOf(error);
    }
    if (cors !== undefined && !isPreflight(request)) response = cors.decorate(request, response);
    if (compress !== undefined) response = compress(request, response);
    const sender = senderOf(ctx);
    if (sender !== undefined) {
      return sender.send(response, request, response.stream === undefined ? undefined : signalOf(ctx));
    }
    return toResult(response.stream === undefined ? response : await gathered(response, ctx), request);
  }) as HttpApp<any>;

  const adder =
    (method: RouteMethod) =>
    (path: string, second: unknown, third?: unknown): HttpApp<any> => {
      const schemas = (third === undefined ? {} : second) as RouteSchemas;
      const handler = (third ?? second) as Route['handler'];
      if (typeof handler !== 'function') {
        throw new TypeError(`http().${method.toLowerCase()}(${JSON.stringify(path)}): the handler must be a function`);
      }
      checkRouteSchemas(`http().${method.toLowerCase()}(${JSON.stringify(path)})`, schemas);
      const info: RouteInfo = { method, path, schemas };
      const check = options.checkResponses === true ? responseChecker(method, path, schemas) : undefined;
      table.add(method, path, { info, parts: compileParts(schemas, limits), handler, check });
      routes.push(info);
      return app;
    };
  for (const method of ROUTE_METHODS) Object.defineProperty(app, method.toLowerCase(), { value: adder(method) });
  Object.defineProperty(app, 'routes', { get: () => [...routes] });
  Object.defineProperty(app, 'openapi', { value: (info: OpenApiInfo) => openApiDocument(routes, info) });
  return app;
}

/** A CORS preflight: `OPTIONS` with `Access-Control-Request-Method`, sent by a browser before the request itself. */
function isPreflight(request: IncomingRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
}

async function dispatch(
  table: RouteTable<Route>,
  request: IncomingRequest,
  event: unknown,
  ctx: unknown,
  cors: Cors | undefined,
): Promise<HttpResponse> {
  const lookup = table.find(request.method, request.path, cors !== undefined && isPreflight(request));
  if (lookup.kind === 'none') throw new HttpError(404, { detail: 'No route matches the path.' });
  if (lookup.kind === 'method') {
    const allow = lookup.allow.join(', ');
    if (cors !== undefined && isPreflight(request)) return cors.preflight(request, lookup.allow);
    if (request.method === 'OPTIONS') return empty(204, { headers: { allow } });
    throw new HttpError(405, {
      detail: `The path does not accept ${request.method}.`,
      headers: { allow },
    });
  }
  const { route, params } = lookup;
  const claims = route.info.schemas.claims;
  // Checked before the other parts: an unauthorized caller learns nothing of what the route takes.
  if (claims !== undefined) (ctx as { claims?: unknown }).claims = readClaims(claims, event);
  const routeRequest = new ReceivedRequest(request, route.info.path, route.parts(request, params), event);
  const response = toResponse(await route.handler(routeRequest, ctx));
  route.check?.(response);
  return response.stream === undefined ? response : primed(response, request.method);
}

/** What a route's handler receives. The query and cookies of a route without a schema for them are decoded only if read. */
class ReceivedRequest implements RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly source: IncomingRequest['source'];
  readonly params: Record<string, string>;
  readonly headers: unknown;
  readonly body: unknown;
  readonly text: string | undefined;

  constructor(
    private readonly incoming: IncomingRequest,
    readonly route: string,
    private readonly parts: RequestParts,
    readonly event: unknown,
  ) {
    this.method = incoming.method;
    this.path = incoming.path;
    this.source = incoming.source;
    this.params = parts.params as Record<string, string>;
    this.headers = parts.headers;
    this.body = parts.body;
    this.text = parts.text;
  }

  get query(): unknown {
    return this.parts.query ?? this.incoming.query;
  }

  get cookies(): Readonly<Record<string, string>> {
    return this.incoming.cookies;
  }
}

function toResponse(value: unknown): HttpResponse {
  if (isHttpResponse(value)) return value;
  if (value === undefined) return empty(204);
  // An async iterable returned as it is (an async generator, a stream): its chunks, streamed.
  if (typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function') {
    return stream(200, value as AsyncIterable<Uint8Array>, 'application/octet-stream');
  }
  return json(200, value);
}

const OPTIONS = ['limits', 'cors', 'compression', 'checkResponses', 'logInvalid'];

/** A misspelt or misplaced option is a `TypeError` when the app is made, not a silent default. */
function checkOptions(options: HttpOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('http(options): options must be an object');
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) {
      throw new TypeError(`http(options): unknown option "${key}" (expected ${OPTIONS.join(', ')})`);
    }
  }
  checkLimits(options.limits);
}

/** A bad limit is named at `http()`, not later by the parser's door when a route with a body is added. */
function checkLimits(limits: unknown): void {
  if (limits === undefined) return;
  if (typeof limits !== 'object' || limits === null) {
    throw new TypeError(
      `http({ limits }): expected an object of limits, got ${limits === null ? 'null' : typeof limits}`,
    );
  }
  const known = Object.keys(defaultLimits);
  for (const [key, value] of Object.entries(limits)) {
    if (!known.includes(key)) {
      throw new TypeError(`http({ limits }): unknown limit "${key}" (expected ${known.join(', ')})`);
    }
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) > 0)) {
      throw new TypeError(`http({ limits }): expected limits.${key} to be a positive integer, got ${String(value)}`);
    }
  }
}

function definedOf<T extends object>(value: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (value === undefined) return out;
  for (const [key, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  return out;
}
