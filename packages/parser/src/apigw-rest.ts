import * as z from 'zod';
import { ClientCertSchema } from './apigw-http.js';
import { awsObject } from './aws-object.js';
import { httpEvent } from './http-event.js';
import type { EnvelopeOptions } from './limits.js';

const nullableString = z.string().nullish();

/** The caller identity of a REST API request; API Gateway sends `null` for whatever does not apply. */
export const ApigwRestIdentitySchema = awsObject({
  accessKey: nullableString,
  accountId: nullableString,
  apiKey: nullableString,
  apiKeyId: nullableString,
  caller: nullableString,
  cognitoAuthenticationProvider: nullableString,
  cognitoAuthenticationType: nullableString,
  cognitoIdentityId: nullableString,
  cognitoIdentityPoolId: nullableString,
  principalOrgId: nullableString,
  sourceIp: z.string(),
  user: nullableString,
  userAgent: nullableString,
  userArn: nullableString,
  vpcId: nullableString,
  vpceId: nullableString,
  // Mutual TLS only.
  clientCert: ClientCertSchema.nullish(),
});

/** `requestContext` of a REST API (payload v1) event; `authorizer` exists only behind an authorizer. */
export const ApigwRestRequestContextSchema = awsObject({
  accountId: z.string(),
  apiId: z.string(),
  // Lambda authorizer: principalId, integrationLatency and its context; Cognito: { claims }; IAM: absent.
  authorizer: z.record(z.string(), z.unknown()).nullish(),
  domainName: z.string().optional(),
  domainPrefix: z.string().optional(),
  extendedRequestId: z.string().optional(),
  httpMethod: z.string(),
  identity: ApigwRestIdentitySchema,
  path: z.string(),
  protocol: z.string().optional(),
  requestId: z.string(),
  requestTime: z.string().optional(),
  requestTimeEpoch: z.number(),
  // null in AWS's payload 1.0 example for HTTP APIs, which have no REST resources.
  resourceId: nullableString,
  resourcePath: z.string(),
  stage: z.string(),
  operationName: z.string().optional(),
});

const nullableStrings = z.record(z.string(), z.string()).nullable();
const nullableStringLists = z.record(z.string(), z.array(z.string())).nullable();

const rest = httpEvent(
  'apigw-rest',
  'apigwRest',
  awsObject({
    resource: z.string(),
    path: z.string(),
    httpMethod: z.string(),
    // API Gateway sends null, not {}, when a request has none of these.
    headers: nullableStrings,
    multiValueHeaders: nullableStringLists,
    queryStringParameters: nullableStrings,
    multiValueQueryStringParameters: nullableStringLists,
    pathParameters: nullableStrings,
    stageVariables: nullableStrings,
    requestContext: ApigwRestRequestContextSchema,
    body: z.string().nullable(),
    isBase64Encoded: z.boolean(),
  }),
);

/**
 * An API Gateway REST API proxy event (payload format 1.0, also an HTTP API's 1.0 integration),
 * with or without an authorizer; a base64 `body` must be valid base64 (it stays encoded).
 */
export const ApigwRestEventSchema = rest.schema;

/** An API Gateway REST API proxy event as Lambda receives it. */
export type ApigwRestEvent = z.output<typeof ApigwRestEventSchema>;

/**
 * The REST API event with `body` parsed as JSON (base64 bodies decoded first) and validated by
 * `Body`; a missing or null body reaches `Body` as `undefined`. An invalid request gets a 400.
 */
export function apigwRest<Body extends z.ZodType>(Body: Body, options?: EnvelopeOptions) {
  return rest.withBody(Body, options);
}
