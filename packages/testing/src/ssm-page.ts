import { ServiceError } from './service-error.js';
import { validation } from './ssm-validation.js';

/** The query a page belongs to: a `NextToken` from another query is refused, as SSM refuses it. */
export interface SsmPageScope {
  readonly base: string;
  readonly recursive: boolean;
}

/** One page of a listing and the token of the next, if there is one. */
export interface SsmPage<T> {
  readonly items: T[];
  readonly nextToken: string | undefined;
}

/**
 * The page of `items` a request asks for, as SSM pages `GetParametersByPath`: `MaxResults`
 * (1 to 10, default 10) items from where the request's `NextToken` left off.
 */
export function ssmPage<T>(items: readonly T[], input: Record<string, unknown>, scope: SsmPageScope): SsmPage<T> {
  const maxResults = input.MaxResults ?? 10;
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 10) {
    throw validation(
      `1 validation error detected: Value '${String(maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10`,
    );
  }
  const token = input.NextToken;
  const offset = token === undefined || token === null ? 0 : decodeToken(token, scope);
  const page = items.slice(offset, offset + maxResults);
  const next = offset + page.length;
  return { items: page, nextToken: next < items.length ? encodeToken(scope, next) : undefined };
}

function encodeToken({ base, recursive }: SsmPageScope, offset: number): string {
  return Buffer.from(JSON.stringify({ base, recursive, offset })).toString('base64url');
}

function decodeToken(token: unknown, { base, recursive }: SsmPageScope): number {
  const invalid = new ServiceError('InvalidNextToken', "The specified token isn't valid.");
  if (typeof token !== 'string') throw invalid;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const t = decoded as { base?: unknown; recursive?: unknown; offset?: unknown } | null;
  if (
    t === null ||
    typeof t !== 'object' ||
    t.base !== base ||
    t.recursive !== recursive ||
    typeof t.offset !== 'number' ||
    !Number.isSafeInteger(t.offset) ||
    t.offset < 0
  ) {
    throw invalid;
  }
  return t.offset;
}
