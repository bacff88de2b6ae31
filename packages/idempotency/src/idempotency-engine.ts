import { acquireLock } from './acquire-lock.js';
import { completeLock } from './complete-lock.js';
import type { IdempotencyContext } from './idempotency-context.js';
import { type IdempotencySettings, idempotencySettings } from './idempotency-settings.js';
import type { IdempotentOptions } from './idempotent-options.js';
import { createLock, keepLock, type Lock, releaseLock } from './lock.js';
import { logReplay } from './log-replay.js';
import { checkPayload, payloadHash } from './payload-hash.js';
import { recordKey } from './record-key.js';

/** @internal What `begin` decided. */
export type Begin = { kind: 'replay'; result: unknown } | { kind: 'run'; lock: Lock } | { kind: 'skip' };

/** @internal A durable execution's hold on a key: its owner (the ARN), and when a timeout may still give it up. */
export interface ExecutionLock {
  owner: string;
  releasableOnTimeout: () => boolean;
}

/** @internal The record protocol, shared by the function wrapper, the middleware and the per-record form. */
export interface Engine<E> {
  /**
   * Replays a stored result, or locks the key for this invocation to run (`skip`: no key, run as
   * is). Within a durable execution (`owner`: its ARN) the lock is the execution's, held by each
   * of its invocations until it ends.
   */
  begin(event: E, context: IdempotencyContext | undefined, execution?: ExecutionLock): Promise<Begin>;
  /** Stores the result of the invocation that holds `lock`. */
  complete(lock: Lock, result: unknown): Promise<void>;
  /** Gives the key up after a failure, so a retry runs again. */
  release(lock: Lock): Promise<void>;
  /** Leaves the key held for the next invocation of the same durable execution. */
  keep(lock: Lock): void;
}

/** @internal Validates the options once (when the door is called) and returns the protocol bound to them. */
export function createEngine<E>(options: IdempotentOptions<E>, caller: string): Engine<E> {
  const settings = idempotencySettings(options, caller);
  return {
    begin: (event, context, execution) => begin(settings, event, context, execution),
    complete: (lock, result) => completeLock(settings, lock, result),
    release: (lock) => releaseLock(settings.store, lock),
    keep: keepLock,
  };
}

async function begin<E>(
  settings: IdempotencySettings<E>,
  event: E,
  context: IdempotencyContext | undefined,
  execution: ExecutionLock | undefined,
): Promise<Begin> {
  const found = recordKey(settings, event, context);
  if (found === undefined) return { kind: 'skip' };
  const { key, keyPrefix } = found;
  const hash = payloadHash(settings, event, keyPrefix);
  const cached = settings.cache?.get(key, settings.now());
  if (cached !== undefined) {
    checkPayload(key, cached, hash);
    logReplay(context, key, 'local cache');
    return { kind: 'replay', result: cached.json === undefined ? undefined : JSON.parse(cached.json) };
  }
  const held = execution === undefined ? undefined : { owner: execution.owner, heldForMs: settings.expiresAfterMs };
  const lock = createLock(key, hash, context, {
    startedAt: settings.now(),
    inProgressMs: settings.inProgressMs,
    execution: held,
  });
  // Registered before the first request: a timeout that aborts the PutItem after DynamoDB
  // applied it still releases the lock before the handler returns. A durable execution that has
  // checkpointed anything keeps its key instead: Lambda retries the timed-out invocation.
  context?.cleanup?.(() =>
    execution === undefined || execution.releasableOnTimeout() ? releaseLock(settings.store, lock) : undefined,
  );
  return acquireLock(settings, lock, context);
}
