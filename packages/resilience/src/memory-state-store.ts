import {
  type BreakerRecord,
  CLOSED,
  type LeaseAcquisition,
  type ProbeAdmission,
  type StateStore,
} from './state-store.js';

/**
 * Keeps breakers and limiters in this process's memory: for tests, local runs, and a function
 * that runs in one sandbox only. Across sandboxes it protects nothing; use `dynamoDbStateStore`.
 */
export function memoryStateStore(): StateStore {
  const breakers = new Map<string, BreakerRecord>();
  const leases = new Map<string, Map<string, number>>();
  const breaker = (name: string) => breakers.get(name) ?? CLOSED;
  return {
    async readBreaker(name) {
      return breakers.get(name);
    },
    async recordFailure(name, nowMs, windowMs) {
      const current = breaker(name);
      const fresh = current.windowStart === 0 || current.windowStart <= nowMs - windowMs;
      const next = fresh
        ? { ...current, failures: 1, windowStart: nowMs }
        : { ...current, failures: current.failures + 1 };
      breakers.set(name, next);
      return next;
    },
    async trip(name, seenOpenedUntil, openedUntil) {
      const current = breaker(name);
      if (current.openedUntil !== seenOpenedUntil) return false;
      breakers.set(name, { ...current, openedUntil, probes: 0, probesUntil: undefined });
      return true;
    },
    async admitProbe(name, openedUntil, maxProbes, probeUntil, nowMs): Promise<ProbeAdmission> {
      const current = breaker(name);
      if (current.openedUntil !== openedUntil || openedUntil > nowMs) return { admitted: false, record: current };
      const stale = current.probesUntil !== undefined && current.probesUntil < nowMs;
      if (current.probes >= maxProbes && !stale) return { admitted: false, record: current };
      const next = { ...current, probes: stale ? 1 : current.probes + 1, probesUntil: probeUntil };
      breakers.set(name, next);
      return { admitted: true, record: next };
    },
    async close(name, openedUntil) {
      if (breaker(name).openedUntil !== openedUntil) return false;
      breakers.set(name, CLOSED);
      return true;
    },
    async acquireLease(name, leaseId, expiresAt, max, nowMs): Promise<LeaseAcquisition> {
      let held = leases.get(name);
      if (held === undefined) {
        held = new Map();
        leases.set(name, held);
      }
      for (const [id, expiry] of held) if (expiry <= nowMs) held.delete(id);
      if (held.size < max) {
        held.set(leaseId, expiresAt);
        return { acquired: true };
      }
      return { acquired: false, holders: held.size, nextExpiry: Math.min(...held.values()) };
    },
    async releaseLease(name, leaseId) {
      leases.get(name)?.delete(leaseId);
    },
  };
}
