import {
  type BreakerRecord,
  CLOSED,
  type LeaseAcquisition,
  type ProbeAdmission,
  type StateStore,
} from './state-store.js';

/** A breaker as the memory store keeps it: the shared record, and its running probes by id → deadline. */
interface Breaker {
  record: BreakerRecord;
  readonly running: Map<string, number>;
}

/**
 * Keeps breakers and limiters in this process's memory: for tests, local runs, and a function
 * that runs in one sandbox only. Across sandboxes it protects nothing; use `dynamoDbStateStore`.
 * Each method is the same step as the DynamoDB store's, with the same outcome.
 */
export function memoryStateStore(): StateStore {
  const breakers = new Map<string, Breaker>();
  const breaker = (name: string): Breaker => {
    let found = breakers.get(name);
    if (found === undefined) {
      found = { record: CLOSED, running: new Map() };
      breakers.set(name, found);
    }
    return found;
  };
  const update = (entry: Breaker, changes: Partial<BreakerRecord>) => {
    entry.record = { ...entry.record, ...changes, probes: entry.running.size };
    return entry.record;
  };
  return {
    async readBreaker(name) {
      return breakers.get(name)?.record;
    },
    async recordFailure(name, nowMs, windowMs) {
      const entry = breaker(name);
      const { windowStart, failures } = entry.record;
      const fresh = windowStart === 0 || windowStart <= nowMs - windowMs;
      return update(entry, fresh ? { failures: 1, windowStart: nowMs } : { failures: failures + 1 });
    },
    async trip(name, seenOpenedUntil, openedUntil) {
      const entry = breaker(name);
      if (entry.record.openedUntil !== seenOpenedUntil) return false;
      entry.running.clear();
      update(entry, { openedUntil });
      return true;
    },
    async admitProbe(name, openedUntil, maxProbes, probeId, probeUntil, nowMs): Promise<ProbeAdmission> {
      const entry = breaker(name);
      if (entry.record.openedUntil !== openedUntil || openedUntil > nowMs) {
        return { admitted: false, record: entry.record };
      }
      for (const [id, deadline] of entry.running) if (deadline < nowMs) entry.running.delete(id);
      const admitted = entry.running.has(probeId) || entry.running.size < maxProbes;
      if (admitted) entry.running.set(probeId, probeUntil);
      return { admitted, record: update(entry, {}) };
    },
    async releaseProbe(name, openedUntil, probeId) {
      const entry = breakers.get(name);
      if (entry === undefined || entry.record.openedUntil !== openedUntil) return;
      entry.running.delete(probeId);
      update(entry, {});
    },
    async close(name, openedUntil) {
      const entry = breaker(name);
      if (entry.record.openedUntil !== openedUntil) return false;
      entry.running.clear();
      entry.record = CLOSED;
      return true;
    },
    ...memoryLeases(),
  };
}

/** The limiter half of the memory store: leases by limiter name, lease id → expiry. */
function memoryLeases(): Pick<StateStore, 'acquireLease' | 'releaseLease'> {
  const leases = new Map<string, Map<string, number>>();
  return {
    async acquireLease(name, leaseId, expiresAt, max, nowMs): Promise<LeaseAcquisition> {
      let held = leases.get(name);
      if (held === undefined) {
        held = new Map();
        leases.set(name, held);
      }
      for (const [id, expiry] of held) if (expiry <= nowMs) held.delete(id);
      if (held.has(leaseId) || held.size < max) {
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
