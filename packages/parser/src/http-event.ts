import type * as z from 'zod';
import { type EventSourceName, tagHttp } from './event-source.js';
import { checkingBase64Body, decodingBase64Body, httpBody } from './json.js';
import { type PayloadOptions, resolveLimits } from './limits.js';

/** The fields of an HTTP event the body handling reads. */
type HttpEventShape = z.core.$ZodShape & { body: z.ZodType; isBase64Encoded: z.ZodBoolean };

/**
 * The two schemas of an HTTP source (API Gateway REST and HTTP APIs, ALB, function URLs), built
 * from its event object: the registry `schema`, which keeps the body as sent but checks a base64
 * one decodes, and `withBody(Body)`, the payload helper's, whose `body` is decoded and validated
 * by `Body`. `door` names the payload helper in the `TypeError` of a bad option.
 */
export function httpEvent<Shape extends HttpEventShape>(
  source: EventSourceName,
  door: string,
  event: z.ZodObject<Shape, z.core.$strip>,
) {
  return {
    schema: tagHttp(checkingBase64Body(event), source),
    withBody<Body extends z.ZodType>(Body: Body, options: PayloadOptions | undefined) {
      const limits = resolveLimits(door, options);
      return tagHttp(decodingBase64Body(event.extend({ body: httpBody(Body, limits) }), limits), source);
    },
  };
}
