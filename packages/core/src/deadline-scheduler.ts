/**
 * One timer for the deadlines of every invocation in flight, instead of a `setTimeout` /
 * `clearTimeout` pair per invocation (each invocation's delay is a different number of
 * milliseconds, so Node arms a timer list of its own for each one).
 *
 * Module scope holds an invocation only while it runs: `schedule()` adds it when it starts,
 * `unschedule()` removes it when it settles, and an entry is reachable from here and nowhere
 * else, so no invocation can see another's. The timer is armed for the earliest deadline; when
 * the last entry leaves it stays armed but unref'd (it keeps no process alive and is not a
 * pending timer), and the next invocation, whose deadline is almost always later, reuses it.
 * A timer armed by another `setTimeout` than the global one of now (a test installed or removed
 * fake timers) is replaced, so fake clocks drive deadlines as they drive every other timer.
 */

/** An entry: when it is due (epoch ms) and what to do then. */
export interface Scheduled {
  /** @internal */ due: number;
  /** @internal Position in the heap, −1 when not scheduled. */ slot: number;
  /** @internal */ fire(): void;
}

type SetTimer = (fn: () => void, ms: number) => unknown;
type ClearTimer = (timer: unknown) => void;
interface TimerHandle {
  ref?(): unknown;
  unref?(): unknown;
}

const SLACK_MS = 1;

/** A binary min-heap on `due`; each entry knows its slot, so removal is O(log n). */
const heap: Scheduled[] = [];
let timer: unknown;
let timerDue = Number.POSITIVE_INFINITY;
let armedWith: SetTimer | undefined;
let clearWith: ClearTimer | undefined;

/** Runs `entry.fire()` at `entry.due` unless it is unscheduled first. */
export function schedule(entry: Scheduled): void {
  entry.slot = heap.length;
  heap.push(entry);
  siftUp(entry.slot);
  const first = heap[0]!;
  if (timer !== undefined && armedWith === globalThis.setTimeout && timerDue <= first.due + SLACK_MS) {
    // The armed timer fires no later than the earliest deadline (and re-arms then), or within
    // the millisecond timers are precise to: deadlines read from the same context differ by one
    // when the clock ticks between two reads, and re-arming for that costs more than it saves.
    if (heap.length === 1) (timer as TimerHandle).ref?.();
    return;
  }
  arm(first.due);
}

/** Removes an entry; nothing happens if it already fired or was never scheduled. */
export function unschedule(entry: Scheduled): void {
  const slot = entry.slot;
  if (slot < 0) return;
  entry.slot = -1;
  const last = heap.pop()!;
  if (last !== entry) {
    heap[slot] = last;
    last.slot = slot;
    siftDown(slot);
    siftUp(last.slot);
  }
  if (heap.length === 0 && timer !== undefined) (timer as TimerHandle).unref?.();
}

/** @internal For tests: how many entries are scheduled. */
export function scheduledCount(): number {
  return heap.length;
}

function arm(due: number): void {
  if (timer !== undefined) clearWith?.(timer);
  armedWith = globalThis.setTimeout as unknown as SetTimer;
  clearWith = globalThis.clearTimeout as unknown as ClearTimer;
  timerDue = due;
  timer = armedWith(onTimer, Math.max(1, due - Date.now()));
}

function onTimer(): void {
  timer = undefined;
  timerDue = Number.POSITIVE_INFINITY;
  const now = Date.now();
  while (heap.length > 0 && heap[0]!.due <= now) {
    const entry = heap[0]!;
    unschedule(entry);
    entry.fire();
  }
  if (heap.length > 0 && timer === undefined) arm(heap[0]!.due);
}

function siftUp(start: number): void {
  let i = start;
  const entry = heap[i]!;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const above = heap[parent]!;
    if (above.due <= entry.due) break;
    heap[i] = above;
    above.slot = i;
    i = parent;
  }
  heap[i] = entry;
  entry.slot = i;
}

function siftDown(start: number): void {
  let i = start;
  const entry = heap[i]!;
  const n = heap.length;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && heap[right]!.due < heap[left]!.due ? right : left;
    const below = heap[child]!;
    if (below.due >= entry.due) break;
    heap[i] = below;
    below.slot = i;
    i = child;
  }
  heap[i] = entry;
  entry.slot = i;
}
