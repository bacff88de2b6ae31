import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { httpEvent } from './http-event.js';
import type { EnvelopeOptions } from './limits.js';

const strings = z.record(z.string(), z.string());
const stringLists = z.record(z.string(), z.array(z.string()));

const albEvent = httpEvent(
  'alb',
  'alb',
  awsObject({
    requestContext: awsObject({ elb: awsObject({ targetGroupArn: z.string() }) }),
    httpMethod: z.string(),
    path: z.string(),
    // With multi-value headers enabled on the target group the ALB sends only the multiValue* fields.
    queryStringParameters: strings.optional(),
    headers: strings.optional(),
    multiValueQueryStringParameters: stringLists.optional(),
    multiValueHeaders: stringLists.optional(),
    body: z.string().nullish(),
    isBase64Encoded: z.boolean(),
  }),
);

/** An Application Load Balancer target group event, single- or multi-value headers; a base64 `body` must be valid base64. */
export const AlbEventSchema = albEvent.schema;

/** An Application Load Balancer event as Lambda receives it. */
export type AlbEvent = z.output<typeof AlbEventSchema>;

/**
 * The ALB event with `body` parsed as JSON (base64 bodies decoded first) and validated by
 * `Body`; an empty body reaches `Body` as `undefined`. An invalid request gets a 400.
 */
export function alb<Body extends z.ZodType>(Body: Body, options?: EnvelopeOptions) {
  return albEvent.withBody(Body, options);
}
