import { problemDetails, safeParseEvent } from '@lambdakit/parser';
import type * as z from 'zod';
import { HttpError } from './http-error.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/**
 * What API Gateway's authorizer put in the event: an HTTP API's JWT authorizer's `jwt.claims`, a
 * Lambda authorizer's context (`lambda` on an HTTP API; the authorizer object itself, with
 * `principalId`, on a REST API), a REST API Cognito authorizer's `claims`, or a function URL's
 * or HTTP API's IAM caller (`iam`). Undefined when the request went through none.
 */
export function authorizerContext(event: unknown): Json | undefined {
  const authorizer = isObject(event) && isObject(event.requestContext) ? event.requestContext.authorizer : undefined;
  if (!isObject(authorizer)) return undefined;
  if (isObject(authorizer.jwt)) return isObject(authorizer.jwt.claims) ? authorizer.jwt.claims : undefined;
  if (isObject(authorizer.lambda)) return authorizer.lambda;
  if (isObject(authorizer.iam)) return authorizer.iam;
  if (isObject(authorizer.claims)) return authorizer.claims;
  return authorizer;
}

/**
 * Reads and validates the authorizer's claims with `schema`: none (a route whose API has no
 * authorizer, or a direct invoke) is a 401, claims the schema refuses a 403 naming each by JSON
 * Pointer (`/claims/scope`). API Gateway has checked the token; this checks what the route needs of it.
 */
export function readClaims(schema: z.ZodType, event: unknown): unknown {
  const context = authorizerContext(event);
  if (context === undefined) {
    throw new HttpError(401, {
      detail: 'This route needs an authorized request: no authorizer context reached the function.',
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  const result = safeParseEvent(schema, context);
  if (result.success) return result.data;
  const details = problemDetails(result.error);
  throw new HttpError(403, {
    detail: 'The request’s claims do not allow this route.',
    issues: details.issues.map((issue) => ({ ...issue, pointer: `/claims${issue.pointer}` })),
    cause: result.error,
  });
}
