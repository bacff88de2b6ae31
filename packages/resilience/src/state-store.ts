/**
 * The shared state of a circuit breaker, as every sandbox sees it. Closed while `openedUntil` is
 * unset; open until `openedUntil`; half-open after it, until a probe closes it or trips it again.
 */
export interface BreakerRecord {
  /** Failures counted in the current window. */
  readonly failures: number;
  /** When the current failure window began, epoch milliseconds (0: no window yet). */
  readonly windowStart: number;
  /** Set while open or half-open: when probes may begin, epoch milliseconds. */
  readonly openedUntil: number | undefined;
  /** Half-open probes running now (admitted, no verdict yet, their invocation not over). */
  readonly probes: number;
}

/** The result of {@link StateStore.admitProbe}: admitted or not, and the record as it stands. */
export interface ProbeAdmission {
  readonly admitted: boolean;
  readonly record: BreakerRecord;
}

/** The result of {@link StateStore.acquireLease}. */
export type LeaseAcquisition =
  | { readonly acquired: true }
  | {
      readonly acquired: false;
      /** Live leases seen. */
      readonly holders: number;
      /** When the first live lease expires, epoch milliseconds. */
      readonly nextExpiry: number | undefined;
    };

/** What every store call accepts: the invocation's signal, so no call outlives the deadline. */
export interface StoreCallOptions {
  readonly abortSignal?: AbortSignal | undefined;
}

/**
 * Where breakers and limiters keep the state every sandbox shares. Each method is one atomic
 * step (in DynamoDB: one conditional request), so concurrent sandboxes agree on every transition.
 */
export interface StateStore {
  /** The breaker's record, or `undefined` before its first failure. */
  readBreaker(name: string, options?: StoreCallOptions): Promise<BreakerRecord | undefined>;
  /** Counts one failure in the window that holds `nowMs` (a window older than `windowMs` restarts at 1). */
  recordFailure(name: string, nowMs: number, windowMs: number, options?: StoreCallOptions): Promise<BreakerRecord>;
  /**
   * Opens the breaker until `openedUntil`, if it is still where the caller saw it (`seenOpenedUntil`:
   * `undefined` for closed, else the open period a failed probe belonged to). False if another sandbox moved it.
   */
  trip(
    name: string,
    seenOpenedUntil: number | undefined,
    openedUntil: number,
    options?: StoreCallOptions,
  ): Promise<boolean>;
  /**
   * Admits probe `probeId` of the open period `openedUntil`, until `probeUntil` (its invocation's
   * deadline), if fewer than `maxProbes` probes are running: one whose deadline passed without a
   * verdict (its sandbox crashed or froze) no longer counts.
   */
  admitProbe(
    name: string,
    openedUntil: number,
    maxProbes: number,
    probeId: string,
    probeUntil: number,
    nowMs: number,
    options?: StoreCallOptions,
  ): Promise<ProbeAdmission>;
  /** Hands probe `probeId`'s slot back without a verdict (the downstream was not called). */
  releaseProbe(name: string, openedUntil: number, probeId: string, options?: StoreCallOptions): Promise<void>;
  /** Closes the breaker after a successful probe of the open period `openedUntil`; false if it moved. */
  close(name: string, openedUntil: number, nowMs: number, options?: StoreCallOptions): Promise<boolean>;
  /** Takes a lease of limiter `name` until `expiresAt` if fewer than `max` leases are live at `nowMs`. */
  acquireLease(
    name: string,
    leaseId: string,
    expiresAt: number,
    max: number,
    nowMs: number,
    options?: StoreCallOptions,
  ): Promise<LeaseAcquisition>;
  /** Gives lease `leaseId` back (nothing if it already expired and was purged). */
  releaseLease(name: string, leaseId: string, options?: StoreCallOptions): Promise<void>;
}

/** A closed breaker that never failed. */
export const CLOSED: BreakerRecord = Object.freeze({
  failures: 0,
  windowStart: 0,
  openedUntil: undefined,
  probes: 0,
});
