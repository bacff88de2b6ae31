import { paginateGetParametersByPath, type SSMClient } from '@aws-sdk/client-ssm';
import { ConfigError } from './config-error.js';
import type { RawParameter } from './config-tree.js';

// SSM: GetParametersByPath returns at most 10 parameters per page.
const PAGE_SIZE = 10;

/**
 * The most parameters one function's configuration may have: SSM's standard-tier limit for a
 * whole account and region. Read at every cold start, one request per 10 parameters, so this
 * is already 1,000 requests in a row; more means a tree that was never meant as one function's
 * configuration, or a server that never stops handing out pages.
 */
export const MAX_PARAMETERS = 10_000;
/** The largest parameter value read, in bytes: 8× SSM's own limit (4 KB standard, 8 KB advanced tier). */
export const MAX_PARAMETER_VALUE_BYTES = 65_536;
/** The most bytes of values one configuration may hold in all. */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * Reads every parameter below `path`, recursively, through the SDK's paginator, within the limits
 * above: past one, a `CONFIG_TOO_LARGE` {@link ConfigError} (never retried) names the limit and,
 * for a value, the parameter. `signal` aborts the request in flight.
 */
export async function fetchParameters(
  client: SSMClient,
  path: string,
  decrypt: boolean,
  signal: AbortSignal | undefined,
): Promise<RawParameter[]> {
  const parameters: RawParameter[] = [];
  let bytes = 0;
  let token: string | undefined;
  const pages = paginateGetParametersByPath(
    { client, pageSize: PAGE_SIZE },
    { Path: path, Recursive: true, WithDecryption: decrypt },
    { abortSignal: signal },
  );
  for await (const page of pages) {
    for (const p of page.Parameters ?? []) {
      if (typeof p.Name !== 'string' || typeof p.Value !== 'string') continue;
      const size = Buffer.byteLength(p.Value);
      if (size > MAX_PARAMETER_VALUE_BYTES) {
        throw tooLarge(
          path,
          `the value of ${p.Name} is ${size} bytes; a configuration value is at most ${MAX_PARAMETER_VALUE_BYTES} (SSM's own limit is 8 KB)`,
        );
      }
      bytes += size;
      if (bytes > MAX_CONFIG_BYTES) throw tooLarge(path, `its values add up to more than ${MAX_CONFIG_BYTES} bytes`);
      if (parameters.length === MAX_PARAMETERS) {
        throw tooLarge(
          path,
          `it holds more than ${MAX_PARAMETERS} parameters (read at every cold start, 10 per request); give the function a path of its own`,
        );
      }
      parameters.push({ name: p.Name, type: p.Type, value: p.Value });
    }
    // The paginator follows every token it is given: one handed out twice would loop forever.
    if (page.NextToken && page.NextToken === token)
      throw new Error(`SSM returned the same NextToken twice for ${path}`);
    token = page.NextToken;
  }
  return parameters;
}

/** The `CONFIG_TOO_LARGE` error for the tree at `path`, saying why. */
export function tooLarge(path: string, why: string): ConfigError {
  return new ConfigError('CONFIG_TOO_LARGE', `The configuration at SSM path ${path} is too large: ${why}`, { path });
}

// SSM's rate-limit errors; everything else in 4xx (access denied, validation) will not heal on retry.
const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyUpdates',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

// Failures of the connection itself (Node's socket errors, the SDK's timeouts): worth another try.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

/**
 * Which failures of {@link fetchParameters} another attempt may heal: throttling, 5xx and network
 * failures. Other 4xx errors are not, nor errors raised before a request could be sent (no
 * credentials, no region), nor a configuration over a limit: they fail at once.
 */
export function isRetryable(error: unknown): boolean {
  const e = error as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    $retryable?: unknown;
  } | null;
  if (e === null || typeof e !== 'object') return false;
  if (typeof e.name === 'string' && THROTTLING.has(e.name)) return true;
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status >= 500 || status === 429;
  // No HTTP response: a network failure is retried; a credentials or configuration error is not.
  return (
    (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) ||
    (typeof e.name === 'string' && NETWORK_NAMES.has(e.name))
  );
}
