import type { TimeoutError } from '@lambdakit/core';
import { type CorsOptions, compileCors, rememberedCors } from './cors.js';
import { HttpError } from './http-error.js';
import { problemOf } from './http-response.js';
import { type IncomingRequest, incomingRequest } from './incoming-request.js';
import { type HttpResult, toResult } from './to-result.js';

/** Options of {@link gatewayTimeout}. */
export interface GatewayTimeoutOptions {
  /**
   * CORS options for the 504. Default: the CORS of the app that took the request, so a browser can
   * read the 504 too; give them here only for a timeout that can come before the app runs (in a
   * slow middleware earlier in the chain).
   */
  cors?: CorsOptions | undefined;
}

/**
 * The `onTimeout` of core's `timeout()` for an HTTP app: a 504 problem response in the request's
 * source format, instead of the `TimeoutError` the gateway would turn into a bare 502/503.
 * `timeout({ marginMs: 500, onTimeout: gatewayTimeout() })`. An event that is not an HTTP request
 * keeps the `TimeoutError`.
 */
export function gatewayTimeout(
  options: GatewayTimeoutOptions = {},
): (error: TimeoutError, event: unknown) => HttpResult {
  const cors = options.cors === undefined ? undefined : compileCors(options.cors);
  return (error, event) => {
    let request: IncomingRequest;
    try {
      request = incomingRequest(event);
    } catch {
      throw error;
    }
    const response = problemOf(new HttpError(504, { detail: 'The request did not complete in time.', cause: error }));
    const applied = cors ?? rememberedCors(event);
    return toResult(applied === undefined ? response : applied.decorate(request, response), request);
  };
}
