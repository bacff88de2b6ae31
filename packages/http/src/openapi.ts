import * as z from 'zod';
import { reasonPhrase } from './http-error.js';
import type { RouteSchemas } from './route-parts.js';

/** What the document says about the API as a whole (OpenAPI's `info`, and `servers`). */
export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string | undefined;
  servers?: readonly { url: string; description?: string | undefined }[] | undefined;
}

/** An OpenAPI 3.1 document (the parts this package writes). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  servers?: { url: string; description?: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, unknown> };
}

/** A route as the document needs it. */
export interface DocumentedRoute {
  readonly method: string;
  readonly path: string;
  readonly schemas: RouteSchemas;
}

type JsonSchema = Record<string, unknown>;

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect); what JSON Schema cannot say becomes `{}`. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

const PROBLEM: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    issues: {
      type: 'array',
      description: 'The invalid parts of the request',
      items: {
        type: 'object',
        required: ['pointer', 'code', 'message'],
        properties: {
          pointer: { type: 'string', description: 'JSON Pointer into the request: /params/id, /query/limit, /body/…' },
          code: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
};

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
});

/**
 * One OpenAPI path per pattern: `:id` becomes `{id}` (a `{regex}` becomes the parameter's
 * `pattern`); an optional `:id?` gives the path with and without it. A wildcard `*` has no
 * OpenAPI form: undefined, and the route is left out.
 */
export function openApiPaths(
  pattern: string,
): { path: string; names: { name: string; pattern?: string }[] }[] | undefined {
  if (pattern.includes('*')) return undefined;
  let variants: { path: string; names: { name: string; pattern?: string }[] }[] = [{ path: '', names: [] }];
  for (const segment of pattern.split('/').slice(1)) {
    const param = /^:([A-Za-z0-9_]+)(?:\{(.+)\})?(\?)?$/.exec(segment);
    if (param === null) {
      variants = variants.map((v) => ({ path: `${v.path}/${segment}`, names: v.names }));
      continue;
    }
    const [, name, regex, optional] = param as unknown as [string, string, string | undefined, string | undefined];
    const withIt = variants.map((v) => ({
      path: `${v.path}/{${name}}`,
      names: [...v.names, regex === undefined ? { name } : { name, pattern: `^(?:${regex})$` }],
    }));
    variants = optional === undefined ? withIt : [...variants, ...withIt];
  }
  return variants.map((v) => ({ path: v.path === '' ? '/' : v.path, names: v.names }));
}

function parametersOf(
  where: 'path' | 'query' | 'header',
  schema: z.ZodType | undefined,
  fallback: { name: string; pattern?: string }[],
): unknown[] {
  if (schema === undefined) {
    return fallback.map(({ name, pattern }) => ({
      name,
      in: where,
      required: true,
      schema: pattern === undefined ? { type: 'string' } : { type: 'string', pattern },
    }));
  }
  const object = jsonSchema(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    // Path parameters are always required in OpenAPI; the others as the schema says.
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

function operationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s.startsWith('{') ? `By ${s.slice(1, -1)}` : s))
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function responsesOf(schemas: RouteSchemas): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(schemas.responses ?? {})) {
    const description = reasonPhrase(Number(status));
    responses[status] =
      schema === undefined || Number(status) === 204 || Number(status) === 304
        ? { description }
        : { description, content: { 'application/json': { schema: jsonSchema(schema, 'output') } } };
  }
  if (Object.keys(responses).length === 0) responses.default = { description: 'The route’s response' };
  const validated = schemas.params ?? schemas.query ?? schemas.headers ?? schemas.body;
  if (validated !== undefined) responses['400'] = { $ref: '#/components/responses/BadRequest' };
  if (schemas.body !== undefined) responses['413'] = { $ref: '#/components/responses/ContentTooLarge' };
  if (schemas.claims !== undefined) {
    responses['401'] = { $ref: '#/components/responses/Unauthorized' };
    responses['403'] = { $ref: '#/components/responses/Forbidden' };
  }
  return responses;
}

/** The OpenAPI 3.1 document of `routes`, from their zod schemas (requests as input, responses as output). */
export function openApiDocument(routes: readonly DocumentedRoute[], info: OpenApiInfo): OpenApiDocument {
  if (typeof info?.title !== 'string' || typeof info.version !== 'string') {
    throw new TypeError('app.openapi(info): info.title and info.version must be strings');
  }
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) {
    for (const { path, names } of openApiPaths(route.path) ?? []) {
      const { schemas } = route;
      const operation: Record<string, unknown> = {
        operationId: operationId(route.method, path),
        ...(schemas.summary === undefined ? {} : { summary: schemas.summary }),
        ...(schemas.tags === undefined ? {} : { tags: [...schemas.tags] }),
        parameters: [
          ...parametersOf('path', schemas.params, names),
          ...parametersOf('query', schemas.query, []),
          ...parametersOf('header', schemas.headers, []),
        ],
        responses: responsesOf(schemas),
      };
      if (schemas.body !== undefined) {
        operation.requestBody = {
          required: !schemas.body.safeParse(undefined).success,
          content: { 'application/json': { schema: jsonSchema(schemas.body, 'input') } },
        };
      }
      paths[path] ??= {};
      paths[path]![route.method.toLowerCase()] = operation;
    }
  }
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      ...(info.description === undefined ? {} : { description: info.description }),
    },
    paths,
    components: {
      schemas: { ProblemDetails: PROBLEM },
      responses: {
        BadRequest: problemResponse('A part of the request is invalid: each issue names it by JSON Pointer'),
        ContentTooLarge: problemResponse('The body is larger than the app accepts'),
        Unauthorized: problemResponse('The request reached the function without an authorizer’s claims'),
        Forbidden: problemResponse(
          'The authorizer’s claims do not allow the route: each refused claim by JSON Pointer',
        ),
      },
    },
  };
  if (info.servers !== undefined) {
    document.servers = info.servers.map((s) => ({
      url: s.url,
      ...(s.description === undefined ? {} : { description: s.description }),
    }));
  }
  return document;
}
