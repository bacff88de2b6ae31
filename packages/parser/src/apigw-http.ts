import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { httpEvent } from './http-event.js';
import type { EnvelopeOptions } from './limits.js';

/** `requestContext.http` of a payload v2 event (HTTP API and function URLs). */
export const HttpRequestSchema = awsObject({
  method: z.string(),
  path: z.string(),
  protocol: z.string(),
  sourceIp: z.string(),
  userAgent: z.string().optional(),
});

/** The IAM caller of a request authorized with AWS_IAM (HTTP API and function URLs). */
export const IamAuthorizerSchema = awsObject({
  accessKey: z.string().nullish(),
  accountId: z.string().nullish(),
  callerId: z.string().nullish(),
  cognitoIdentity: awsObject({
    amr: z.array(z.string()),
    identityId: z.string(),
    identityPoolId: z.string(),
  }).nullish(),
  principalOrgId: z.string().nullish(),
  userArn: z.string().nullish(),
  userId: z.string().nullish(),
});

/** The client certificate of a request over mutual TLS (REST and HTTP APIs, function URLs). */
export const ClientCertSchema = awsObject({
  clientCertPem: z.string(),
  subjectDN: z.string(),
  issuerDN: z.string(),
  serialNumber: z.string(),
  validity: awsObject({ notBefore: z.string(), notAfter: z.string() }),
});

/** Mutual TLS details, `requestContext.authentication` (null or absent without mTLS). */
export const HttpAuthenticationSchema = awsObject({ clientCert: ClientCertSchema.optional() });

/** `requestContext` of an HTTP API event; `authorizer` holds `jwt`, `lambda` or `iam`, or is absent. */
export const ApigwHttpRequestContextSchema = awsObject({
  accountId: z.string(),
  apiId: z.string(),
  authentication: HttpAuthenticationSchema.nullish(),
  authorizer: awsObject({
    jwt: awsObject({
      claims: z.record(z.string(), z.unknown()),
      // null when the token carries no scope claim.
      scopes: z.array(z.string()).nullish(),
    }).optional(),
    // A Lambda authorizer's context, as it returned it.
    lambda: z.unknown().optional(),
    iam: IamAuthorizerSchema.optional(),
  }).optional(),
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

/**
 * The payload v2 event object (internal: function URLs send the same shape, see lambda-url.ts).
 * Payload v2 omits cookies, query, path parameters, stage variables and body when there are none.
 */
export const ApigwHttpEventObject = awsObject({
  version: z.literal('2.0'),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  cookies: z.array(z.string()).optional(),
  headers: strings.optional(),
  queryStringParameters: strings.optional(),
  pathParameters: strings.optional(),
  stageVariables: strings.optional(),
  requestContext: ApigwHttpRequestContextSchema,
  body: z.string().optional(),
  isBase64Encoded: z.boolean(),
});

const http = httpEvent('apigw-http', 'apigwHttp', ApigwHttpEventObject);

/** An API Gateway HTTP API event (payload format 2.0), with or without an authorizer; a base64 `body` must be valid base64. */
export const ApigwHttpEventSchema = http.schema;

/** An API Gateway HTTP API event (payload v2) as Lambda receives it. */
export type ApigwHttpEvent = z.output<typeof ApigwHttpEventSchema>;

/**
 * The HTTP API event with `body` parsed as JSON (base64 bodies decoded first) and validated by
 * `Body`; a missing body reaches `Body` as `undefined`. An invalid request gets a 400.
 */
export function apigwHttp<Body extends z.ZodType>(Body: Body, options?: EnvelopeOptions) {
  return http.withBody(Body, options);
}
