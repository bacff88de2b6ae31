import type * as z from 'zod';
import type { HttpResponse } from './http-response.js';
import { isHttpResponse } from './http-response.js';
import type { RouteSchemas } from './route-parts.js';

const PARTS = ['params', 'query', 'headers', 'body', 'claims'] as const;
const isZod = (value: unknown): value is z.ZodType =>
  typeof (value as { safeParse?: unknown } | null | undefined)?.safeParse === 'function';

/** Checks a route's schemas when it is added (a `TypeError` naming the route and the part). */
export function checkRouteSchemas(door: string, schemas: RouteSchemas): void {
  if (typeof schemas !== 'object' || schemas === null) throw new TypeError(`${door}: the schemas must be an object`);
  for (const [key, value] of Object.entries(schemas)) {
    if (value === undefined) continue;
    if ((PARTS as readonly string[]).includes(key)) {
      if (!isZod(value)) throw new TypeError(`${door}: ${key} must be a zod schema`);
    } else if (key === 'responses') {
      if (typeof value !== 'object' || value === null) throw new TypeError(`${door}: responses must be an object`);
      for (const [status, schema] of Object.entries(value)) {
        const code = Number(status);
        if (!Number.isInteger(code) || code < 100 || code > 599) {
          throw new TypeError(`${door}: responses has ${JSON.stringify(status)}, not an HTTP status`);
        }
        if (schema !== undefined && !isZod(schema))
          throw new TypeError(`${door}: responses[${status}] must be a zod schema`);
      }
    } else if (key === 'summary') {
      if (typeof value !== 'string') throw new TypeError(`${door}: summary must be a string`);
    } else if (key === 'tags') {
      if (!Array.isArray(value) || !value.every((t) => typeof t === 'string')) {
        throw new TypeError(`${door}: tags must be a list of strings`);
      }
    } else {
      throw new TypeError(
        `${door}: unknown part "${key}" (expected params, query, headers, body, claims, responses, summary or tags)`,
      );
    }
  }
}

const isProblem = (response: HttpResponse) =>
  Object.entries(response.headers).some(
    ([name, value]) => name.toLowerCase() === 'content-type' && value.startsWith('application/problem+json'),
  );

/**
 * What `checkResponses` does for a route that declares `responses`: a response's status must be
 * declared (problem details excepted) and its JSON body fit the status's schema.
 */
export function responseChecker(
  method: string,
  path: string,
  schemas: RouteSchemas,
): ((response: HttpResponse) => void) | undefined {
  const declared = schemas.responses;
  if (declared === undefined) return undefined;
  const route = `${method} ${path}`;
  return (response) => {
    if (!isHttpResponse(response) || isProblem(response)) return;
    // A streamed body is not read here: its chunks are for the client, as they come.
    if (response.stream !== undefined) return;
    if (!Object.hasOwn(declared, response.status)) {
      throw new TypeError(`${route} answered ${response.status}, which its responses do not declare`);
    }
    const schema = declared[response.status];
    if (schema === undefined) return;
    const body = typeof response.body === 'string' ? (JSON.parse(response.body) as unknown) : undefined;
    const result = schema.safeParse(body);
    if (!result.success) {
      const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new TypeError(`${route} answered ${response.status} with a body its schema refuses: ${issues}`);
    }
  };
}
