/** How the first load (and a background refresh) retries a failed SSM read. */
export interface RetryOptions {
  /** Total attempts, 1-10 (default 3). */
  attempts?: number | undefined;
  /** Backoff before the second attempt; doubles each time (default 100). */
  baseDelayMs?: number | undefined;
  /** Cap on one backoff (default 1000). */
  maxDelayMs?: number | undefined;
  /** Waits `ms` or rejects when `signal` aborts (default: an unref'd timer); inject to test or to observe backoff. */
  sleep?: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
}

/** {@link RetryOptions} with every default applied. */
export type RetrySettings = Required<{ [K in keyof RetryOptions]: Exclude<RetryOptions[K], undefined> }>;

// Bounded so a misconfiguration cannot turn a cold start into a retry storm against SSM.
const MAX_ATTEMPTS = 10;

/** Applies defaults and checks bounds. */
export function retrySettings(options: RetryOptions = {}): RetrySettings {
  const attempts = options.attempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const maxDelayMs = options.maxDelayMs ?? 1000;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_ATTEMPTS) {
    throw new RangeError(`retry.attempts must be an integer from 1 to ${MAX_ATTEMPTS}, got ${attempts}`);
  }
  for (const [name, value] of [
    ['baseDelayMs', baseDelayMs],
    ['maxDelayMs', maxDelayMs],
  ] as const) {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`retry.${name} must be a finite number >= 0, got ${value}`);
  }
  return { attempts, baseDelayMs, maxDelayMs, sleep: options.sleep ?? sleep };
}

/** What {@link withRetry} rejects with: the last error (or the abort reason) and how many attempts ran. */
export class RetryFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly attempts: number,
  ) {
    super('retries exhausted', { cause: error });
  }
}

/**
 * Runs `fn` until it succeeds, a non-retryable error occurs, `signal` aborts or the attempts run
 * out, sleeping with exponential backoff (equal jitter) in between. Rejects with a {@link RetryFailure}.
 */
export async function withRetry<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  settings: RetrySettings,
  signal: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(signal);
    } catch (error) {
      if (signal.aborted || attempt >= settings.attempts || !isRetryable(error)) {
        throw new RetryFailure(signal.aborted ? signal.reason : error, attempt);
      }
      const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
      try {
        await settings.sleep(ceiling / 2 + (Math.random() * ceiling) / 2, signal);
      } catch {
        throw new RetryFailure(signal.reason ?? error, attempt);
      }
    }
  }
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
 * Throttling, 5xx and network failures are worth another attempt. Other 4xx errors are not, nor
 * errors raised before a request could be sent (no credentials, no region): they fail at once.
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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    // Never keep a test runner or a local invoke alive just to wait out a backoff.
    timer.unref?.();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
