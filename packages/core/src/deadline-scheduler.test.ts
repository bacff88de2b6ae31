import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Scheduled, schedule, scheduledCount, unschedule } from './deadline-scheduler.js';

afterEach(() => {
  vi.useRealTimers();
});

function entry(due: number, fired: number[], id: number): Scheduled {
  return { due, slot: -1, fire: () => void fired.push(id) };
}

describe('the deadline scheduler', () => {
  it('fires every entry at its due time, in due order, and never one that was unscheduled', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ delay: fc.integer({ min: 1, max: 5_000 }), cancel: fc.boolean() }), {
          minLength: 1,
          maxLength: 40,
        }),
        async (specs) => {
          vi.useFakeTimers({ now: 1_000_000 });
          const fired: number[] = [];
          const firedAt = new Map<number, number>();
          const entries = specs.map((spec, id) => {
            const e = entry(Date.now() + spec.delay, fired, id);
            const fire = e.fire;
            e.fire = () => {
              firedAt.set(id, Date.now());
              fire();
            };
            return e;
          });
          for (const e of entries) schedule(e);
          specs.forEach((spec, id) => {
            if (spec.cancel) unschedule(entries[id]!);
          });
          await vi.advanceTimersByTimeAsync(5_001);
          const expected = specs
            .map((spec, id) => ({ ...spec, id }))
            .filter((spec) => !spec.cancel)
            .map((spec) => spec.id);
          expect([...fired].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
          for (const id of fired) {
            // Never early; late by at most the millisecond a reused timer may be off.
            expect(firedAt.get(id)! - entries[id]!.due).toBeGreaterThanOrEqual(0);
            expect(firedAt.get(id)! - entries[id]!.due).toBeLessThanOrEqual(1);
          }
          const dues = fired.map((id) => entries[id]!.due);
          expect(dues).toEqual([...dues].sort((a, b) => a - b));
          expect(scheduledCount()).toBe(0);
          vi.useRealTimers();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('re-arms on fake timers installed after a real timer was armed, and back', async () => {
    const fired: number[] = [];
    const real = entry(Date.now() + 60_000, fired, 1);
    schedule(real); // armed on the real clock
    unschedule(real);
    vi.useFakeTimers();
    schedule(entry(Date.now() + 70_000, fired, 2)); // later than the real timer: must still fire on the fake clock
    await vi.advanceTimersByTimeAsync(70_000);
    expect(fired).toEqual([2]);
    vi.useRealTimers();
    const soon = entry(Date.now() + 5, fired, 3);
    schedule(soon);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fired).toEqual([2, 3]);
  });
});
