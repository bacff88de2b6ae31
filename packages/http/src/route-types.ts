import type * as z from 'zod';
import type { HttpResponse, ProblemDocument } from './http-response.js';
import type { HttpSourceName } from './incoming-request.js';
import type { RouteSchemas } from './route-parts.js';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The `:name` segments of a path pattern, as written (`id`, `id?`, `id{[0-9]+}`). */
type RawParams<P extends string> = P extends `${string}:${infer Rest}`
  ? Rest extends `${infer Segment}/${infer Tail}`
    ? Segment | RawParams<`/${Tail}`>
    : Rest
  : never;
type NameOf<S extends string> = S extends `${infer N}{${string}` ? NameOf<N> : S extends `${infer N}?` ? N : S;
type IsOptional<S extends string> = S extends `${string}{${string}` ? false : S extends `${string}?` ? true : false;

/** The path parameters a pattern declares: `'/orders/:id/items/:item?'` → `{ id: string; item?: string }`. */
export type PathParams<P extends string> = Simplify<
  { [K in RawParams<P> as IsOptional<K> extends true ? never : NameOf<K>]: string } & {
    [K in RawParams<P> as IsOptional<K> extends true ? NameOf<K> : never]?: string;
  }
>;

type PartOf<S, K extends keyof RouteSchemas, Fallback> = S extends { [P in K]: infer T }
  ? T extends z.ZodType
    ? z.output<T>
    : Fallback
  : Fallback;

/** What a route's handler receives: each part typed from its schema, or as sent when it has none. */
export interface RouteRequest<Params = Record<string, string>, Query = unknown, Headers = unknown, Body = unknown> {
  /** `GET`, `POST`, … (a `HEAD` served by a GET route says `HEAD`). */
  readonly method: string;
  /** The path as sent, percent-encoded. */
  readonly path: string;
  /** The route's pattern, `'/orders/:id'`. */
  readonly route: string;
  readonly source: HttpSourceName;
  readonly params: Params;
  readonly query: Query;
  readonly headers: Headers;
  readonly body: Body;
  readonly cookies: Readonly<Record<string, string>>;
  /** The body's text (base64 decoded); undefined when the request has none. */
  readonly text: string | undefined;
  /** The event as Lambda delivered it. */
  readonly event: unknown;
}

/** The request a route with pattern `P` and schemas `S` receives. */
export type RequestOf<P extends string, S> = RouteRequest<
  PartOf<S, 'params', PathParams<P>>,
  PartOf<S, 'query', Readonly<Record<string, string | string[] | undefined>>>,
  PartOf<S, 'headers', Readonly<Record<string, string | undefined>>>,
  PartOf<S, 'body', undefined>
>;

/**
 * What a route returns: a response made by `json()`, `text()`, `binary()`, `empty()` or
 * `problem()`; any other value is sent as JSON with status 200, and `undefined` as a 204.
 */
export type RouteResult = HttpResponse | object | string | number | boolean | null | undefined;

/**
 * What a route with declared `responses` may return: a response of a declared status whose body
 * fits that status's schema, or problem details of any status.
 */
export type DeclaredResult<R> =
  | { [K in keyof R & number]: HttpResponse<K, R[K] extends z.ZodType ? z.input<R[K]> : undefined> }[keyof R & number]
  | HttpResponse<number, ProblemDocument>;

type ResultOf<S> = S extends { responses: infer R }
  ? R extends object
    ? DeclaredResult<R>
    : RouteResult
  : RouteResult;

/** The chain's `ctx`, with the route's validated `claims` when it declares a schema for them. */
export type RouteContext<S, C> = S extends { claims: infer T extends z.ZodType }
  ? C & { readonly claims: z.output<T> }
  : C;

/** A route's handler: the typed request, and the same `ctx` as the rest of the chain. */
export type RouteHandler<P extends string, S, C> = (
  request: RequestOf<P, S>,
  ctx: RouteContext<S, C>,
) => ResultOf<S> | Promise<ResultOf<S>>;
