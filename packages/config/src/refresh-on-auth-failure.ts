import { emitWarning } from '@lambdakit/core';
import { describeError } from './config-error.js';
import type { ConfigInvocation } from './load-config.js';

/** Where `config()` leaves, on the invocation's `ctx`, the way to read its stores again. */
export const reloadConfigKey: unique symbol = Symbol('lambdakit.reloadConfig');

/** What `config()` leaves there: its loader. */
export interface ConfigReloader {
  reload(ctx: ConfigInvocation): Promise<unknown>;
}

/** Options of {@link refreshOnAuthFailure}. */
export interface RefreshOnAuthFailureOptions {
  /** Which failures mean "the credentials were refused" (default {@link isAuthFailure}). */
  isAuthFailure?: ((error: unknown) => boolean) | undefined;
}

type Thrown = {
  code?: unknown;
  errno?: unknown;
  status?: unknown;
  statusCode?: unknown;
  name?: unknown;
  message?: unknown;
  response?: { status?: unknown };
  $metadata?: { httpStatusCode?: unknown };
};

// PostgreSQL: invalid_password, invalid_authorization_specification; MySQL/MariaDB: access denied;
// MongoDB: AuthenticationFailed; Redis: WRONGPASS, NOAUTH.
const AUTH_CODES = new Set<unknown>(['28P01', '28000', 'ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 1045, 18]);
const AUTH_MESSAGE = /^(WRONGPASS|NOAUTH)\b/;

/**
 * The default test of {@link refreshOnAuthFailure}: a database driver's authentication error
 * (PostgreSQL `28P01`/`28000`, MySQL `ER_ACCESS_DENIED_ERROR`/1045, MongoDB code 18, Redis
 * `WRONGPASS`/`NOAUTH`) or an HTTP 401 (`status`, `statusCode`, `response.status`, the AWS SDK's
 * `$metadata.httpStatusCode`).
 */
export function isAuthFailure(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as Thrown;
  if (AUTH_CODES.has(e.code) || e.errno === 1045 || (e.name === 'MongoServerError' && e.code === 18)) return true;
  if (typeof e.message === 'string' && AUTH_MESSAGE.test(e.message)) return true;
  return [e.status, e.statusCode, e.response?.status, e.$metadata?.httpStatusCode].includes(401);
}

/**
 * Runs `fn(ctx.config)`; when it fails because a downstream refused the credentials (a secret
 * rotated under this warm sandbox), reads the config's stores again once (concurrent invocations
 * share the read; at most one every 10 s) and, if the config changed, runs `fn` once more with it
 * (`ctx.config` is replaced whole). If nothing changed, or the read fails (one warning,
 * `LAMBDAKIT_CONFIG_RELOAD_FAILED`), the original error is thrown. `ctx` is the invocation's, with
 * `config()` in its chain.
 */
export async function refreshOnAuthFailure<C, T>(
  ctx: { config: C },
  fn: (config: C) => T | Promise<T>,
  options: RefreshOnAuthFailureOptions = {},
): Promise<T> {
  const loader = (ctx as { [reloadConfigKey]?: ConfigReloader } | null)?.[reloadConfigKey];
  if (typeof loader?.reload !== 'function') {
    throw new TypeError(
      'refreshOnAuthFailure(ctx, fn): ctx has no configuration from config(); pass the ctx of a handler whose chain has config()',
    );
  }
  if (typeof fn !== 'function')
    throw new TypeError(`refreshOnAuthFailure(ctx, fn): expected a function, got ${String(fn)}`);
  const refused = options.isAuthFailure ?? isAuthFailure;
  if (typeof refused !== 'function') {
    throw new TypeError('refreshOnAuthFailure(ctx, fn, { isAuthFailure }): expected a function');
  }
  const held = ctx.config;
  try {
    return await fn(held);
  } catch (error) {
    if (!refused(error)) throw error;
    let fresh: C;
    try {
      fresh = (await loader.reload(ctx as unknown as ConfigInvocation)) as C;
    } catch (reloadError) {
      emitWarning(
        'LAMBDAKIT_CONFIG_RELOAD_FAILED',
        `A downstream refused the credentials from the configuration, and reading it again failed (${describeError(reloadError)}); the downstream's error is thrown`,
      );
      throw error;
    }
    if (fresh === held) throw error;
    ctx.config = fresh;
    return fn(fresh);
  }
}
