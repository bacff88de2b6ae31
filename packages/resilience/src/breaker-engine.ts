import { randomUUID } from 'node:crypto';
import { emitWarning } from '@lambdakit/core';
import { type InvocationLike, invocationBounds } from './invocation-bounds.js';
import { circuitOpenError, describeError, ResilienceError } from './resilience-error.js';
import { type BreakerRecord, CLOSED, type StateStore } from './state-store.js';

/** A call let through: as a closed breaker's (`probeOf` undefined), or as probe `probeId` of the open period `probeOf`. */
export interface CircuitPermit {
  readonly probeOf: number | undefined;
  readonly probeId?: string | undefined;
}

/** How a permitted call ended for the breaker: the downstream answered, failed, or was never called. */
export type CircuitVerdict = 'success' | 'failure' | 'none';

const THROUGH: CircuitPermit = Object.freeze({ probeOf: undefined });

/** One breaker's settings and this sandbox's view of its shared state. */
export interface BreakerEngine {
  readonly name: string;
  readonly store: StateStore;
  readonly threshold: number;
  readonly windowMs: number;
  readonly openMs: number;
  readonly maxProbes: number;
  readonly cacheMs: number;
  readonly isFailure: (error: unknown) => boolean;
  readonly now: () => number;
  /** This sandbox's last view of the shared record, and when it was read. */
  view: { record: BreakerRecord; readAt: number } | undefined;
  /** Half-open with every probe taken: refused here without asking the store until then. */
  probesTakenUntil: number;
}

/** Lambda's longest invocation bounds a probe made outside one. */
const MAX_INVOCATION_MS = 15 * 60_000;

function learn(engine: BreakerEngine, record: BreakerRecord | undefined, at: number): void {
  engine.view = record === undefined ? undefined : { record, readAt: at };
}

function warn(engine: BreakerEngine, what: string, error: unknown): void {
  emitWarning(
    'LAMBDAKIT_RESILIENCE_STORE',
    `Circuit breaker ${engine.name}: the store failed to ${what} (${describeError(error)}); the call went through as if closed`,
  );
}

/**
 * Lets a call through or throws `CircuitOpenError`. No store request while this sandbox knows the
 * breaker is open (until `openedUntil`, exactly) or knows it closed within `cacheMs`.
 */
export async function enterBreaker(engine: BreakerEngine, ctx: InvocationLike | undefined): Promise<CircuitPermit> {
  const at = engine.now();
  const { view } = engine;
  const known = view?.record;
  if (known?.openedUntil !== undefined && at < known.openedUntil) {
    throw circuitOpenError(engine.name, known.openedUntil, 'open');
  }
  if (at < engine.probesTakenUntil) throw circuitOpenError(engine.name, engine.probesTakenUntil, 'probing');
  if (view !== undefined && known?.openedUntil === undefined && at - view.readAt < engine.cacheMs) return THROUGH;
  const { signal, deadline } = invocationBounds(ctx, at, MAX_INVOCATION_MS);
  let record: BreakerRecord;
  try {
    record = (await engine.store.readBreaker(engine.name, { abortSignal: signal })) ?? CLOSED;
  } catch (error) {
    // The invocation's own deadline, not the store: nothing to learn about the breaker.
    if (signal?.aborted) throw signal.reason;
    // Let this call through, and read again on the next: a failing store is not a closed breaker.
    warn(engine, 'read its state', error);
    learn(engine, undefined, at);
    return THROUGH;
  }
  learn(engine, record, at);
  if (record.openedUntil === undefined) return THROUGH;
  if (at < record.openedUntil) throw circuitOpenError(engine.name, record.openedUntil, 'open');
  return admit(engine, record.openedUntil, deadline, at, signal);
}

async function admit(
  engine: BreakerEngine,
  openedUntil: number,
  deadline: number,
  at: number,
  signal: AbortSignal | undefined,
): Promise<CircuitPermit> {
  let admission: Awaited<ReturnType<StateStore['admitProbe']>>;
  const probeId = randomUUID();
  try {
    admission = await engine.store.admitProbe(engine.name, openedUntil, engine.maxProbes, probeId, deadline, at, {
      abortSignal: signal,
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    warn(engine, 'admit a probe', error);
    learn(engine, undefined, at);
    return THROUGH;
  }
  learn(engine, admission.record, at);
  if (admission.admitted) return { probeOf: openedUntil, probeId };
  const current = admission.record.openedUntil;
  if (current === undefined) return THROUGH; // another sandbox's probe closed it
  if (at < current) throw circuitOpenError(engine.name, current, 'open'); // another's probe failed
  engine.probesTakenUntil = at + Math.max(engine.cacheMs, 1);
  throw circuitOpenError(engine.name, engine.probesTakenUntil, 'probing');
}

/**
 * Reports how a permitted call ended: a failure is counted (and may open the breaker); a probe's
 * success closes it, its failure opens it again, and a probe that never called the downstream hands
 * its slot back.
 */
export async function settleBreaker(
  engine: BreakerEngine,
  permit: CircuitPermit,
  verdict: CircuitVerdict,
  ctx: InvocationLike | undefined,
): Promise<void> {
  const { probeOf, probeId } = permit;
  const probing = probeOf !== undefined && probeId !== undefined;
  if (!probing && verdict !== 'failure') return;
  const at = engine.now();
  // After a timeout the signal has fired: the verdict is still written, bounded by the SDK's own timeouts.
  const call = { abortSignal: ctx?.signal?.aborted ? undefined : ctx?.signal };
  try {
    if (probing) await settleProbe(engine, { probeOf, probeId }, verdict, at, call);
    else await countFailure(engine, at, call);
  } catch (error) {
    warn(engine, probing ? 'record a probe' : 'count a failure', error);
    learn(engine, undefined, at);
  }
}

async function settleProbe(
  engine: BreakerEngine,
  { probeOf, probeId }: { probeOf: number; probeId: string },
  verdict: CircuitVerdict,
  at: number,
  call: { abortSignal: AbortSignal | undefined },
): Promise<void> {
  const { store, name } = engine;
  if (verdict === 'none') {
    await store.releaseProbe(name, probeOf, probeId, call);
  } else if (verdict === 'failure') {
    const until = at + engine.openMs;
    const tripped = await store.trip(name, probeOf, until, call);
    learn(engine, tripped ? { ...CLOSED, openedUntil: until } : undefined, at);
  } else {
    // False when another probe of the same period failed first and opened it again: read it next time.
    const closed = await store.close(name, probeOf, at, call);
    learn(engine, closed ? CLOSED : undefined, at);
  }
  engine.probesTakenUntil = 0;
}

async function countFailure(engine: BreakerEngine, at: number, call: { abortSignal: AbortSignal | undefined }) {
  const { store, name } = engine;
  const counted = await store.recordFailure(name, at, engine.windowMs, call);
  if (counted.openedUntil !== undefined || counted.failures < engine.threshold) {
    learn(engine, counted, at);
    return;
  }
  const until = at + engine.openMs;
  const tripped = await store.trip(name, undefined, until, call);
  learn(engine, tripped ? { ...counted, openedUntil: until, probes: 0 } : undefined, at);
}

/** Whether `error` counts against the downstream; an `isFailure` that throws counts it. */
export function countsAsFailure(engine: BreakerEngine, error: unknown): boolean {
  try {
    return engine.isFailure(error) !== false;
  } catch {
    return true;
  }
}

/**
 * The default `isFailure`: every error but lambdakit's resilience refusals (another breaker open, a
 * concurrency limit full, a store failing), which say nothing about this breaker's downstream.
 */
export function notARefusal(error: unknown): boolean {
  return !(error instanceof ResilienceError);
}
