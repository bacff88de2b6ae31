export type { CompressionOptions } from './compression.js';
export type { CorsOptions } from './cors.js';
export { type GatewayTimeoutOptions, gatewayTimeout } from './gateway-timeout.js';
export { type HttpApp, type HttpOptions, http, type RouteInfo } from './http.js';
export { HttpError, type HttpErrorCode, type HttpErrorDetails, type HttpIssue } from './http-error.js';
export {
  binary,
  empty,
  type HttpResponse,
  json,
  type ProblemDocument,
  problem,
  type ResponseInit,
  type StreamBody,
  stream,
  text,
} from './http-response.js';
export type { HttpSourceName } from './incoming-request.js';
export type { OpenApiDocument, OpenApiInfo } from './openapi.js';
export type { RouteSchemas } from './route-parts.js';
export type { RouteMethod } from './route-table.js';
export type {
  DeclaredResult,
  PathParams,
  RequestOf,
  RouteContext,
  RouteHandler,
  RouteRequest,
  RouteResult,
} from './route-types.js';
export {
  type LambdaResponseStream,
  type StreamingHandler,
  type StreamingOptions,
  streaming,
} from './streaming.js';
export type { HttpResult } from './to-result.js';
