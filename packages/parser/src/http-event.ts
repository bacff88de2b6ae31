import type * as z from 'zod';
import { type EventSourceName, tagHttp } from './event-source.js';
import { checkingBase64Body, decodingBase64Body, httpBody } from './json.js';
import { type EnvelopeOptions, resolveLimits, trustsEnvelope } from './limits.js';
import { trustedField } from './trusted-field.js';

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
    withBody<Body extends z.ZodType>(Body: Body, options: EnvelopeOptions | undefined) {
      const limits = resolveLimits(door, options);
      const validated = event.extend({ body: httpBody(Body, limits) });
      // Trusting the envelope: the body alone is checked (base64 decoded first, as validated).
      const checked = trustsEnvelope(door, options)
        ? (trustedField('body', httpBody(Body, limits)) as unknown as typeof validated)
        : validated;
      return tagHttp(decodingBase64Body(checked, limits), source);
    },
  };
}
