import type { EventSourceName } from './event-source.js';
import { MAX_PATH_LENGTH, type ParseError, truncate } from './parse-error.js';

/** One invalid field in a {@link ProblemDetails} response. */
export interface ProblemIssue {
  /** JSON Pointer into the event (`/body/items/0/sku`); long keys and pointers are cut, ending with `…`. */
  pointer: string;
  /** zod's issue code. */
  code: string;
  message: string;
}

/** An RFC 9457 problem details document for a request that failed validation. */
export interface ProblemDetails {
  type: 'about:blank';
  title: 'Bad Request';
  status: 400;
  detail: string;
  /** The invalid fields (at most {@link MAX_PROBLEM_ISSUES}). */
  issues: ProblemIssue[];
}

/** The 400 response `parse()` returns for an invalid HTTP request (API Gateway, ALB, function URL). */
export interface HttpProblemResponse {
  statusCode: 400;
  /** ALB only: the status line text it requires. */
  statusDescription?: string;
  headers: { 'content-type': 'application/problem+json' };
  body: string;
  isBase64Encoded: false;
}

/** The most issues a problem response lists, so a hostile request cannot make it large. */
export const MAX_PROBLEM_ISSUES = 20;

const escapePointer = (segment: string | number) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

/** The problem details for a {@link ParseError}: field paths and reasons, never the input or a stack. */
export function problemDetails(error: ParseError): ProblemDetails {
  const count = error.issues.length;
  return {
    type: 'about:blank',
    title: 'Bad Request',
    status: 400,
    detail: `The request is invalid: ${count} ${count === 1 ? 'issue' : 'issues'}.`,
    // ParseError has already cut long keys and messages; the pointer as a whole is bounded here.
    issues: error.issues.slice(0, MAX_PROBLEM_ISSUES).map((issue) => ({
      pointer: truncate(issue.path.map((segment) => `/${escapePointer(segment)}`).join(''), MAX_PATH_LENGTH),
      code: issue.code,
      message: issue.message,
    })),
  };
}

/** The HTTP response for a {@link ParseError} (`application/problem+json`, status 400). */
export function problemResponse(error: ParseError, source?: EventSourceName): HttpProblemResponse {
  const response: HttpProblemResponse = {
    statusCode: 400,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify(problemDetails(error)),
    isBase64Encoded: false,
  };
  // API Gateway REST rejects unknown response fields; ALB wants the status text.
  if ((source ?? error.source) === 'alb') response.statusDescription = '400 Bad Request';
  return response;
}
