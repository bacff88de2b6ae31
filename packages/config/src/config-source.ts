import { emitWarning, RetryError, type RetrySettings, retry } from '@lambdakit/core';
import { ConfigError, describeError } from './config-error.js';
import type { RawParameter } from './config-tree.js';

/** One complete read of a function's parameter tree. `generation` changes only when the content does. */
export interface Snapshot {
  readonly parameters: readonly RawParameter[];
  readonly generation: number;
  readonly loadedAt: number;
}

/** Where a source reads from: SSM, Secrets Manager, or KMS (the function's encrypted variables). */
export type ConfigStoreKind = 'ssm' | 'secrets' | 'kms';

/** What a source reads: SSM's parameters under a path, a function's secrets, or its encrypted variables. */
export interface Fetcher {
  /** `{prefix}/{functionName}`: what the tree's names are relative to. */
  readonly path: string;
  /** How messages name what is read (`SSM path /lambdakit/orders`). */
  readonly describe: string;
  readonly store: ConfigStoreKind;
  /** `false` for what cannot change while the sandbox lives (environment variables): never refreshed. */
  readonly refreshes: boolean;
  fetch(signal: AbortSignal | undefined): Promise<RawParameter[]>;
}

/** The caller-specific knobs a source needs for one call. */
export interface SourceSettings {
  /** Retries of the first load and of each refresh, with SSM's retryable failures as `isRetryable`. */
  readonly retry: RetrySettings;
  readonly now: () => number;
  readonly maxAgeMs: number;
}

/** Attempts so far and the latest one's error, so a caller that gives up can say why it was failing. */
interface Tries {
  lastError: unknown;
  attempts: number;
}

interface SharedLoad {
  readonly promise: Promise<Snapshot>;
  readonly controller: AbortController;
  /** Callers waiting with a signal; when the last of them gives up, the load is cancelled. */
  waiters: number;
  /** A caller without a signal is waiting: never cancel. */
  pinned: boolean;
  readonly tries: Tries;
}

// A background refresh is not tied to any invocation's deadline, so it gets its own bound.
const REFRESH_TIMEOUT_MS = 10_000;
/** The least time between two forced reads of one source (`refreshOnAuthFailure`). */
export const RELOAD_MIN_INTERVAL_MS = 10_000;
// After a failed refresh, wait at most this long (or maxAge, if shorter) before trying again,
// so a throttled SSM is not hit by every warm invocation.
const REFRESH_RETRY_MAX_MS = 60_000;

let lastSourceId = 0;

/**
 * One function's parameter tree (`{prefix}/{functionName}`) read through one client from SSM or
 * Secrets Manager: loaded once, shared by concurrent first callers, refreshed in the background
 * when stale.
 */
export class ConfigSource {
  /** The last good read; replaced whole, never mutated. */
  snapshot: Snapshot | undefined = undefined;
  /** Resolved configs per qualifier, schema and environment, owned by `resolveConfig` (bounded there). */
  readonly memo = new Map<string, unknown>();
  /** Set once the memo overflowed and it was said: one warning per source, not one per invocation. */
  memoFullWarned = false;
  private load: SharedLoad | undefined = undefined;
  private refreshing = false;
  private reloading: Promise<Snapshot> | undefined = undefined;
  private reloadedAt = Number.NEGATIVE_INFINITY;
  private refreshAfter = Number.NEGATIVE_INFINITY;
  private fingerprint = '';
  private generation = 0;

  /** Tells sources apart in the memo key of a config resolved from several. */
  readonly id = ++lastSourceId;

  constructor(private readonly fetcher: Fetcher) {}

  /** `{prefix}/{functionName}`. */
  get path(): string {
    return this.fetcher.path;
  }

  /** How messages name what this source reads. */
  get describe(): string {
    return this.fetcher.describe;
  }

  /** The store this source reads. */
  get store(): ConfigStoreKind {
    return this.fetcher.store;
  }

  /** Starts the first load if nothing is loaded or loading (prefetch at init); never rejects. */
  prefetch(settings: SourceSettings): Promise<boolean> {
    if (this.snapshot !== undefined) return Promise.resolve(true);
    this.load ??= this.startLoad(settings);
    return this.load.promise.then(
      () => true,
      () => false,
    );
  }

  /**
   * The current snapshot, loading it first when there is none. Concurrent callers share one
   * load; a caller whose `signal` aborts stops waiting with a ConfigError, and when every
   * waiting caller has given up the SDK request is aborted too.
   */
  get(settings: SourceSettings, signal: AbortSignal | undefined): Promise<Snapshot> {
    if (this.snapshot !== undefined) return Promise.resolve(this.snapshot);
    if (signal?.aborted) return Promise.reject(this.aborted(signal, undefined));
    this.load ??= this.startLoad(settings);
    const load = this.load;
    if (signal === undefined) {
      load.pinned = true;
      return load.promise;
    }
    load.waiters++;
    return new Promise<Snapshot>((resolve, reject) => {
      let waiting = true;
      const stop = () => {
        waiting = false;
        load.waiters--;
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (!waiting) return;
        stop();
        if (load.waiters === 0 && !load.pinned) {
          if (this.load === load) this.load = undefined;
          load.controller.abort(signal.reason);
        }
        reject(this.aborted(signal, load));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      load.promise.then(
        (snapshot) => {
          if (!waiting) return;
          stop();
          resolve(snapshot);
        },
        (error: unknown) => {
          if (!waiting) return;
          stop();
          reject(error);
        },
      );
    });
  }

  /**
   * Stale-while-revalidate: when the snapshot is older than `maxAgeMs`, starts one background
   * read and returns at once. The new snapshot replaces the old one only when complete; a failed
   * refresh keeps the old one and warns (`LAMBDAKIT_CONFIG_REFRESH_FAILED`).
   */
  refreshIfStale(settings: SourceSettings): void {
    const snapshot = this.snapshot;
    if (snapshot === undefined || this.refreshing || !this.fetcher.refreshes) return;
    const now = settings.now();
    if (now - snapshot.loadedAt < settings.maxAgeMs || now < this.refreshAfter) return;
    this.refreshing = true;
    retry((signal) => this.fetcher.fetch(signal), {
      ...settings.retry,
      signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS),
    })
      .then(
        (parameters) => {
          this.snapshot = this.snapshotOf(parameters, settings.now());
          this.refreshAfter = Number.NEGATIVE_INFINITY;
        },
        (thrown: unknown) => {
          const { cause, attempts } = failureOf(thrown);
          this.refreshAfter = settings.now() + Math.min(settings.maxAgeMs, REFRESH_RETRY_MAX_MS);
          emitWarning(
            'LAMBDAKIT_CONFIG_REFRESH_FAILED',
            `Refreshing configuration from ${this.describe} failed after ${attempts} attempt(s) (${describeError(cause)}); serving the last good configuration`,
          );
        },
      )
      .finally(() => {
        this.refreshing = false;
      });
  }

  /**
   * Reads the source again now, whatever its age (a downstream refused the credentials it holds:
   * a rotation happened under this sandbox). Concurrent callers share one read; within
   * {@link RELOAD_MIN_INTERVAL_MS} of the last one the current snapshot is returned without a
   * request, so a downstream that keeps refusing does not turn into a storm of reads. Rejects
   * with what the read failed with; the snapshot is kept then.
   */
  reload(settings: SourceSettings, signal: AbortSignal | undefined): Promise<Snapshot> {
    const snapshot = this.snapshot;
    if (!this.fetcher.refreshes || snapshot === undefined) return this.get(settings, signal);
    if (this.reloading !== undefined) return this.reloading;
    if (settings.now() - this.reloadedAt < RELOAD_MIN_INTERVAL_MS) return Promise.resolve(snapshot);
    this.reloadedAt = settings.now();
    const reading = retry((attemptSignal) => this.fetcher.fetch(attemptSignal), {
      ...settings.retry,
      ...(signal === undefined ? {} : { signal }),
    }).then((parameters) => {
      this.snapshot = this.snapshotOf(parameters, settings.now());
      return this.snapshot;
    });
    this.reloading = reading;
    void reading
      .finally(() => {
        if (this.reloading === reading) this.reloading = undefined;
      })
      .catch(() => {});
    return reading;
  }

  private startLoad(settings: SourceSettings): SharedLoad {
    const controller = new AbortController();
    // Written by each attempt (the first runs synchronously, before `load` exists).
    const tries: Tries = { lastError: undefined, attempts: 0 };
    const attempt = async () => {
      tries.attempts++;
      try {
        return await this.fetcher.fetch(controller.signal);
      } catch (error) {
        if (!controller.signal.aborted) tries.lastError = error;
        throw error;
      }
    };
    const promise = retry(attempt, { ...settings.retry, signal: controller.signal }).then(
      (parameters) => {
        this.snapshot = this.snapshotOf(parameters, settings.now());
        if (this.load === load) this.load = undefined;
        return this.snapshot;
      },
      (thrown: unknown) => {
        // The next caller starts a fresh load rather than inheriting this failure.
        if (this.load === load) this.load = undefined;
        throw this.loadFailed(thrown, controller.signal, tries);
      },
    );
    promise.catch(() => {}); // observed by its callers; a prefetch nobody awaits must not crash the process
    const load: SharedLoad = { promise, controller, waiters: 0, pinned: false, tries };
    return load;
  }

  private loadFailed(thrown: unknown, signal: AbortSignal, tries: Tries): ConfigError {
    const failure = failureOf(thrown);
    // Over a limit: nothing SSM failed at, and the error already says what and where.
    if (failure.cause instanceof ConfigError) return failure.cause;
    // Cancelled while retrying: what SSM last answered is the cause worth reporting.
    const cause = signal.aborted && tries.lastError !== undefined ? tries.lastError : failure.cause;
    return new ConfigError(
      'CONFIG_LOAD_FAILED',
      `Could not load configuration from ${this.describe} after ${failure.attempts} attempt(s): ${describeError(cause)}`,
      { cause, path: this.path },
    );
  }

  private snapshotOf(parameters: readonly RawParameter[], loadedAt: number): Snapshot {
    const sorted = [...parameters].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const fingerprint = JSON.stringify(sorted.map((p) => [p.name, p.type, p.value]));
    // Unchanged content keeps its generation, so resolved configs (and their identity) are reused.
    if (fingerprint !== this.fingerprint || this.snapshot === undefined) {
      this.fingerprint = fingerprint;
      this.generation++;
    }
    return Object.freeze({ parameters: Object.freeze(sorted), generation: this.generation, loadedAt });
  }

  private aborted(signal: AbortSignal, load: SharedLoad | undefined): ConfigError {
    // The cause is what SSM last answered when an attempt had failed (throttling, say), else the abort.
    const failing = load?.tries.lastError;
    const tried =
      failing === undefined
        ? ''
        : ` after ${load!.tries.attempts} attempt(s); the last failed with ${describeError(failing)}`;
    return new ConfigError(
      'CONFIG_LOAD_FAILED',
      `Gave up loading configuration from ${this.describe}: the invocation's signal aborted (${describeError(signal.reason)})${tried}`,
      { cause: failing ?? signal.reason, path: this.path },
    );
  }
}

/** What a {@link retry} that gave up reports: the last failure (or the abort reason) and the attempts that ran. */
function failureOf(thrown: unknown): { cause: unknown; attempts: number } {
  return thrown instanceof RetryError
    ? { cause: thrown.cause, attempts: thrown.attempts }
    : { cause: thrown, attempts: 1 };
}
