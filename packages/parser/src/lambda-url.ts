import * as z from 'zod';
import { HttpAuthenticationSchema, HttpRequestSchema, IamAuthorizerSchema } from './apigw-http.js';
import { awsObject } from './aws-object.js';
import { tagHttp } from './event-source.js';
import { checkingBase64Body, decodingBase64Body, httpBody } from './json.js';
import { type PayloadOptions, resolveLimits } from './limits.js';

/** `requestContext` of a function URL event: `routeKey` and `stage` are `$default`, `authorizer.iam` with AWS_IAM auth. */
export const LambdaUrlRequestContextSchema = awsObject({
  accountId: z.string(),
  apiId: z.string(),
  authentication: HttpAuthenticationSchema.nullish(),
  authorizer: awsObject({ iam: IamAuthorizerSchema.optional() }).optional(),
  domainName: z.string(),
  domainPrefix: z.string(),
  http: HttpRequestSchema,
  requestId: z.string(),
  routeKey: z.string(),
  stage: z.string(),
  time: z.string(),
  timeEpoch: z.number(),
});

const strings = z.record(z.string(), z.string());

const urlShape = {
  version: z.literal('2.0'),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  // Omitted when the request has none; function URLs have no path parameters or stage variables.
  cookies: z.array(z.string()).optional(),
  headers: strings.optional(),
  queryStringParameters: strings.optional(),
  requestContext: LambdaUrlRequestContextSchema,
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
};

/** A Lambda function URL event (payload format 2.0), with AWS_IAM or NONE auth; a base64 `body` must be valid base64. */
export const LambdaUrlEventSchema = tagHttp(checkingBase64Body(awsObject(urlShape)), 'lambda-url');

/** A Lambda function URL event as the function receives it. */
export type LambdaUrlEvent = z.output<typeof LambdaUrlEventSchema>;

/**
 * The function URL event with `body` parsed as JSON (base64 bodies decoded first) and validated
 * by `Body`; a missing body reaches `Body` as `undefined`. An invalid request gets a 400.
 */
export function lambdaUrl<Body extends z.ZodType>(Body: Body, options?: PayloadOptions) {
  const limits = resolveLimits(options);
  return tagHttp(decodingBase64Body(awsObject({ ...urlShape, body: httpBody(Body, limits) }), limits), 'lambda-url');
}
