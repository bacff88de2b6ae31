import type * as z from 'zod';
import { ApigwHttpEventObject, ApigwHttpRequestContextSchema, IamAuthorizerSchema } from './apigw-http.js';
import { awsObject } from './aws-object.js';
import { httpEvent } from './http-event.js';
import type { EnvelopeOptions } from './limits.js';

/**
 * `requestContext` of a function URL event: an HTTP API's (payload v2), except that `routeKey` and
 * `stage` are `$default` and the only authorizer is AWS_IAM's, `authorizer.iam`.
 */
export const LambdaUrlRequestContextSchema = ApigwHttpRequestContextSchema.extend({
  authorizer: awsObject({ iam: IamAuthorizerSchema.optional() }).optional(),
});

// AWS documents the function URL request payload as the HTTP API's payload v2 with `routeKey`
// `$default` and no path parameters or stage variables (sent as null, so not the v2 schema's).
const url = httpEvent(
  'lambda-url',
  'lambdaUrl',
  ApigwHttpEventObject.omit({ pathParameters: true, stageVariables: true }).extend({
    requestContext: LambdaUrlRequestContextSchema,
  }),
);

/** A Lambda function URL event (payload format 2.0), with AWS_IAM or NONE auth; a base64 `body` must be valid base64. */
export const LambdaUrlEventSchema = url.schema;

/** A Lambda function URL event as the function receives it. */
export type LambdaUrlEvent = z.output<typeof LambdaUrlEventSchema>;

/**
 * The function URL event with `body` parsed as JSON (base64 bodies decoded first) and validated
 * by `Body`; a missing body reaches `Body` as `undefined`. An invalid request gets a 400.
 */
export function lambdaUrl<Body extends z.ZodType>(Body: Body, options?: EnvelopeOptions) {
  return url.withBody(Body, options);
}
