import { describe, expect, it } from 'vitest';
import { stores } from '../test/support.js';
import { CLOSED } from './state-store.js';

const T = Date.UTC(2030, 0, 1);
const WINDOW = 60_000;

describe.each(stores)('%s holds the state store contract', (_name, newStore) => {
  it('counts failures within one window and starts a new window at 1 once it passed', async () => {
    const store = await newStore();
    expect(await store.readBreaker('db')).toBeUndefined();
    expect((await store.recordFailure('db', T, WINDOW)).failures).toBe(1);
    expect((await store.recordFailure('db', T + 1000, WINDOW)).failures).toBe(2);
    const counted = await store.recordFailure('db', T + WINDOW - 1, WINDOW);
    expect(counted).toMatchObject({ failures: 3, windowStart: T });
    expect(await store.recordFailure('db', T + WINDOW, WINDOW)).toMatchObject({ failures: 1, windowStart: T + WINDOW });
    expect((await store.readBreaker('other')) ?? CLOSED).toEqual(CLOSED);
  });

  it('trips only from the state the caller saw, so two sandboxes racing open it once', async () => {
    const store = await newStore();
    await store.recordFailure('db', T, WINDOW);
    const [first, second] = await Promise.all([
      store.trip('db', undefined, T + 30_000),
      store.trip('db', undefined, T + 31_000),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const opened = (await store.readBreaker('db'))?.openedUntil;
    expect(opened === T + 30_000 || opened === T + 31_000).toBe(true);
    expect(await store.trip('db', 12345, T + 40_000)).toBe(false);
    expect(await store.trip('db', opened, T + 40_000)).toBe(true);
    expect((await store.readBreaker('db'))?.openedUntil).toBe(T + 40_000);
  });

  it('admits at most maxProbes running probes of one open period, none before it ends, and a lapsed probe stops counting at its deadline', async () => {
    const store = await newStore();
    await store.trip('db', undefined, T);
    expect((await store.admitProbe('db', T, 2, 'early', T + 5000, T - 1)).admitted).toBe(false);
    const deadlines = [T + 600_000, T + 1000, T + 2000, T + 3000];
    const tries = await Promise.all(deadlines.map((d, i) => store.admitProbe('db', T, 2, `p${i}`, d, T + 10)));
    const admitted = tries.flatMap((t, i) => (t.admitted ? [i] : []));
    expect(admitted).toHaveLength(2);
    expect(tries.find((t) => !t.admitted)?.record).toMatchObject({ openedUntil: T, probes: 2 });
    // Asking again with the same probe id is idempotent (a retried request).
    expect((await store.admitProbe('db', T, 2, `p${admitted[0]}`, deadlines[admitted[0]!]!, T + 11)).admitted).toBe(
      true,
    );
    // Once the earliest-ending admitted probe's deadline has passed, exactly one slot frees up, not the round.
    const firstEnd = Math.min(...admitted.map((i) => deadlines[i]!));
    const after = firstEnd + 1;
    const next = await Promise.all(['q1', 'q2'].map((id) => store.admitProbe('db', T, 2, id, T + 900_000, after)));
    const stillRunning = admitted.filter((i) => deadlines[i]! >= after).length;
    expect(next.filter((t) => t.admitted)).toHaveLength(2 - stillRunning);
    expect((await store.admitProbe('db', T - 1, 2, 'other-period', T + 9000, after)).admitted).toBe(false);
  });

  it('takes a probe’s slot back without a verdict, and only in its own open period', async () => {
    const store = await newStore();
    await store.trip('db', undefined, T);
    expect((await store.admitProbe('db', T, 1, 'a', T + 60_000, T)).admitted).toBe(true);
    expect((await store.admitProbe('db', T, 1, 'b', T + 60_000, T)).admitted).toBe(false);
    await store.releaseProbe('db', T - 5, 'a');
    expect((await store.admitProbe('db', T, 1, 'b', T + 60_000, T)).admitted).toBe(false);
    await store.releaseProbe('db', T, 'a');
    expect((await store.admitProbe('db', T, 1, 'b', T + 60_000, T)).admitted).toBe(true);
    expect((await store.readBreaker('db'))?.probes).toBe(1);
    // A failed probe opens a new period whose probes start at none.
    expect(await store.trip('db', T, T + 30_000)).toBe(true);
    expect((await store.readBreaker('db'))?.probes).toBe(0);
    await store.releaseProbe('never', T, 'x');
  });

  it('closes only the open period a probe belonged to, and a closed breaker counts afresh', async () => {
    const store = await newStore();
    await store.recordFailure('db', T, WINDOW);
    await store.trip('db', undefined, T + 1000);
    expect(await store.close('db', T + 999, T + 2000)).toBe(false);
    expect(await store.close('db', T + 1000, T + 2000)).toBe(true);
    expect((await store.readBreaker('db')) ?? CLOSED).toEqual(CLOSED);
    expect(await store.close('db', T + 1000, T + 2000)).toBe(false);
    expect((await store.recordFailure('db', T + 3000, WINDOW)).failures).toBe(1);
  });

  it('hands out at most max leases, purges lapsed ones, and takes a lease back on release', async () => {
    const store = await newStore();
    const taken = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((id) => store.acquireLease('pool', id, T + 1000 * id.charCodeAt(0), 3, T)),
    );
    expect(taken.filter((t) => t.acquired)).toHaveLength(3);
    const full = await store.acquireLease('pool', 'f', T + 5000, 3, T);
    expect(full).toMatchObject({ acquired: false, holders: 3 });
    if (full.acquired) throw new Error('unreachable');
    expect(full.nextExpiry).toBeGreaterThan(T);
    // A lapsed lease does not count: its holder's invocation is over.
    expect(await store.acquireLease('pool', 'g', T + 500_000, 3, (full.nextExpiry ?? 0) + 1)).toEqual({
      acquired: true,
    });
    const holders = taken.flatMap((t, i) => (t.acquired ? [['a', 'b', 'c', 'd', 'e'][i] as string] : []));
    await store.releaseLease('pool', holders[1] as string);
    await store.releaseLease('pool', 'never-held');
    expect(await store.acquireLease('pool', 'h', T + 500_000, 3, T + 1)).toEqual({ acquired: true });
    expect((await store.acquireLease('pool', 'i', T + 500_000, 3, T + 1)).acquired).toBe(false);
    await store.releaseLease('gone', 'x');
    // A retried take whose first try landed finds its own lease: taken, even with the limiter full.
    expect(await store.acquireLease('pool', 'h', T + 500_000, 3, T + 1)).toEqual({ acquired: true });
  });
});
