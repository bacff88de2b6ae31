import type { Result, Router } from 'hono/router';
import { PatternRouter } from 'hono/router/pattern-router';
import { TrieRouter } from 'hono/router/trie-router';
import { HttpError } from './http-error.js';
import { escapePointer } from './incoming-request.js';

/** The methods a route can be registered for. */
export const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** One of {@link ROUTE_METHODS}. */
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** What {@link RouteTable.find} found for a request. */
export type RouteLookup<R> =
  | { readonly kind: 'found'; readonly route: R; readonly params: Record<string, string> }
  /** The path has routes, none for the method: the methods it has, for `Allow`. */
  | { readonly kind: 'method'; readonly allow: readonly string[] }
  | { readonly kind: 'none' };

interface Entry<R> {
  readonly method: RouteMethod;
  readonly route: R;
}

/** Up to this many routes a list of patterns is matched fastest; past it, a trie. */
const PATTERN_ROUTER_MAX = 20;

/**
 * Routes by method and path on Hono's routers, used on their own: they support every pattern
 * Hono does (`:id`, `:id?`, `:id{[0-9]+}`, `*`) and need no build step to pay on a cold start.
 * Up to 20 routes, `PatternRouter` (one regular expression per route: 0.16 µs a match with 7
 * routes); past that, `TrieRouter`, whose cost does not grow with the routes (0.6 µs with 7 or 60,
 * where the pattern list takes 1.7 µs). Every route is registered for all methods, so one match
 * tells both the route and, when the method is not there, the methods for a 405's `Allow`. The
 * first route added that matches wins.
 */
export class RouteTable<R> {
  private readonly entries: [pattern: string, entry: Entry<R>][] = [];
  private router: Router<Entry<R>> | undefined;

  add(method: RouteMethod, pattern: string, route: R): void {
    if (!pattern.startsWith('/')) {
      throw new TypeError(`http(): a route's path must start with "/", got ${JSON.stringify(pattern)}`);
    }
    this.entries.push([pattern, { method, route }]);
    this.router = undefined; // built again, with the new route, at the next request
  }

  private built(): Router<Entry<R>> {
    if (this.router !== undefined) return this.router;
    const router: Router<Entry<R>> =
      this.entries.length <= PATTERN_ROUTER_MAX ? new PatternRouter<Entry<R>>() : new TrieRouter<Entry<R>>();
    for (const [pattern, entry] of this.entries) router.add('ALL', pattern, entry);
    this.router = router;
    return router;
  }

  /**
   * The route for `method` on `path`. A CORS `preflight` is never a route's own `OPTIONS`: the
   * app's CORS answers it, with the methods the path allows.
   */
  find(method: string, path: string, preflight = false): RouteLookup<R> {
    const matches = entries(this.built().match('ALL', path));
    if (matches.length === 0) return { kind: 'none' };
    // HEAD is served by a GET route when none of its own is there (RFC 9110 §9.3.2).
    const found = preflight
      ? undefined
      : (matches.find(([entry]) => entry.method === method) ??
        (method === 'HEAD' ? matches.find(([entry]) => entry.method === 'GET') : undefined));
    if (found === undefined) {
      const allow = new Set<string>();
      for (const [entry] of matches) {
        allow.add(entry.method);
        if (entry.method === 'GET') allow.add('HEAD');
      }
      allow.add('OPTIONS');
      return { kind: 'method', allow: ROUTE_METHODS.filter((m) => allow.has(m)) };
    }
    return { kind: 'found', route: found[0].route, params: decodeParams(found[1]) };
  }
}

/** A match in either of Hono's result forms: params by value, or by index into a stash. */
function entries<T>(result: Result<T>): [T, Record<string, string | undefined>][] {
  const [matches, stash] = result as [[T, Record<string, string | number>][], string[] | undefined];
  if (stash === undefined) return matches as [T, Record<string, string | undefined>][];
  return matches.map(([handler, indexes]) => {
    const params: Record<string, string | undefined> = {};
    for (const [name, index] of Object.entries(indexes)) params[name] = stash[index as number];
    return [handler, params];
  });
}

/** Path parameters as sent are percent-encoded; a malformed escape is a 400 at the parameter. */
function decodeParams(raw: Record<string, string | undefined>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue; // an optional parameter that is absent
    try {
      params[name] = value.includes('%') ? decodeURIComponent(value) : value;
    } catch {
      throw HttpError.badRequest(
        `malformed percent-encoding in path parameter ${name}`,
        `/params/${escapePointer(name)}`,
      );
    }
  }
  return params;
}
