import { LambdakitError } from './lambdakit-error.js';

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Total attempts, 1-10 (default 3). Bounded so a misconfiguration cannot become a retry storm. */
  attempts?: number | undefined;
  /** Backoff before the second attempt, doubling each time, with equal jitter (default 100). */
  baseDelayMs?: number | undefined;
  /** Cap on one backoff (default 1000). */
  maxDelayMs?: number | undefined;
  /** Which failures are worth another attempt (default: every failure). */
  isRetryable?: ((error: unknown) => boolean) | undefined;
  /** Stops the retries: an abort ends a backoff at once and the attempt in flight gets the signal. */
  signal?: AbortSignal | undefined;
  /** Waits `ms` or rejects when `signal` aborts (default: an unref'd timer); inject to test or observe backoff. */
  sleep?: ((ms: number, signal: AbortSignal | undefined) => Promise<void>) | undefined;
}

/** The codes of {@link RetryError}. */
export type RetryErrorCode = 'CORE_RETRY_EXHAUSTED' | 'CORE_RETRY_ABORTED';

/** What {@link retry} rejects with: the last failure (or the abort reason) as `cause`, and how many attempts ran. */
export class RetryError extends LambdakitError<RetryErrorCode> {
  /** Attempts that ran, the failed one included. */
  readonly attempts: number;

  constructor(code: RetryErrorCode, message: string, details: { attempts: number; cause: unknown }) {
    super(code, message, { cause: details.cause });
    this.attempts = details.attempts;
  }
}

const MAX_ATTEMPTS = 10;

/** {@link RetryOptions} checked, with every default applied. */
export interface RetrySettings {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly isRetryable: (error: unknown) => boolean;
  readonly sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/** Checks retry options (a `TypeError` names the bad one) and applies the defaults: call it where the options are given, to fail early. */
export function retrySettings(options: RetryOptions = {}, caller = 'retry'): RetrySettings {
  const { attempts = 3, baseDelayMs = 100, maxDelayMs = 1000, isRetryable = always, sleep = abortableSleep } = options;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_ATTEMPTS) {
    throw new TypeError(
      `${caller}({ attempts }): expected an integer from 1 to ${MAX_ATTEMPTS}, got ${String(attempts)}`,
    );
  }
  for (const [name, value] of [
    ['baseDelayMs', baseDelayMs],
    ['maxDelayMs', maxDelayMs],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new TypeError(
        `${caller}({ ${name} }): expected a finite number of milliseconds, at least 0, got ${String(value)}`,
      );
    }
  }
  if (typeof isRetryable !== 'function') throw new TypeError(`${caller}({ isRetryable }): expected a function`);
  if (typeof sleep !== 'function') throw new TypeError(`${caller}({ sleep }): expected a function`);
  return { attempts, baseDelayMs, maxDelayMs, isRetryable, sleep };
}

/**
 * Runs `fn` until it resolves, a failure is not retryable, `signal` aborts or the attempts run out,
 * with exponential backoff and equal jitter in between; the backoff ends at once when `signal` aborts.
 * Rejects with a {@link RetryError} whose `cause` is the last failure (or the abort reason).
 */
export async function retry<T>(
  fn: (signal: AbortSignal | undefined, attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const settings = retrySettings(options);
  const { signal } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(signal, attempt);
    } catch (error) {
      if (signal?.aborted) throw aborted(signal.reason, attempt);
      if (attempt >= settings.attempts || !settings.isRetryable(error)) {
        const why = attempt >= settings.attempts ? `${attempt} attempt(s) failed` : 'a failure no retry can heal';
        throw new RetryError('CORE_RETRY_EXHAUSTED', `Gave up after ${why}: ${describe(error)}`, {
          attempts: attempt,
          cause: error,
        });
      }
      const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
      try {
        await settings.sleep(ceiling / 2 + (Math.random() * ceiling) / 2, signal);
      } catch (reason) {
        throw aborted(signal?.reason ?? reason, attempt);
      }
    }
  }
}

function aborted(reason: unknown, attempts: number): RetryError {
  return new RetryError('CORE_RETRY_ABORTED', `Stopped after ${attempts} attempt(s): ${describe(reason)}`, {
    attempts,
    cause: reason,
  });
}

function always(): boolean {
  return true;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Waits `ms` on an unref'd timer (never keeping a process alive for a backoff); rejects when `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref?.();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
