import { randomUUID } from 'node:crypto';
import type { CleanupHook } from '@lambdakit/core';
import {
  IdempotencyInProgressError,
  IdempotencyKeyError,
  IdempotencyPayloadMismatchError,
  IdempotencyResultError,
  IdempotencyResultTooLargeError,
  IdempotencyStoreError,
} from './idempotency-error.js';
import { hashValue, idempotencyKey, isMissingKey } from './idempotency-key.js';
import type { IdempotencyOptions } from './idempotency-options.js';
import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store.js';
import { KeyEncodingError } from './key-encoding.js';
import { LocalCache } from './local-cache.js';
import { compressJson, decodeResult, MAX_RESULT_JSON_BYTES, resultToJson } from './result-codec.js';

/**
 * The parts of a context the protocol reads: Lambda's context (function name, remaining time)
 * or lambdakit's `ctx`, which adds the cancellation signal and cleanup hooks. All optional.
 */
export interface IdempotencyContext {
  functionName?: string;
  getRemainingTimeInMillis?: () => number;
  signal?: AbortSignal;
  cleanup?: (hook: CleanupHook) => void;
  /** `ctx.log` of `@lambdakit/logger` (or any logger with `info(fields, message)`): a replay is logged there. */
  log?: unknown;
  /** Lambda's tenant id (tenant isolation mode): part of the key, so tenants never share a record. */
  tenantId?: string | undefined;
}

/** @internal One invocation's hold on a key. Lives only as long as the invocation. */
export interface Lock {
  readonly key: string;
  readonly token: string;
  readonly payloadHash: string | undefined;
  /** Epoch milliseconds: the invocation's deadline. */
  readonly inProgressExpiration: number;
  /**
   * Aborts a store request when the invocation is cancelled (`ctx.signal`) or its deadline
   * passes, whichever comes first: no request outlives the lock it is about.
   */
  readonly signal: AbortSignal;
  /** Aborts at the deadline only: a release, which runs after a cancellation, is bounded by it. */
  readonly deadline: AbortSignal;
  /**
   * `acquiring`/`held`/`completing`: the store may hold our IN_PROGRESS record, a release is due
   * if the invocation settles now. `kept`: left IN_PROGRESS on purpose. The rest: nothing to do.
   */
  state: 'acquiring' | 'held' | 'completing' | 'completed' | 'released' | 'kept' | 'lost';
}

/** @internal What `begin` decided. */
export type Begin = { kind: 'replay'; result: unknown } | { kind: 'run'; lock: Lock } | { kind: 'skip' };

/** @internal The record protocol, shared by the function wrapper, the middleware and the per-record form. */
export interface Engine<E> {
  begin(event: E, context: IdempotencyContext | undefined): Promise<Begin>;
  complete(lock: Lock, result: unknown): Promise<void>;
  release(lock: Lock): Promise<void>;
}

const ACQUIRE_ATTEMPTS = 3;
// The longest delay a Node timer keeps; a longer one would fire at once.
const MAX_TIMER_MS = 2_147_483_647;

/** A store request cut off by the lock's deadline says so, rather than the SDK's bare "Request aborted". */
function pastDeadline(lock: Lock, error: unknown, signal: AbortSignal = lock.signal): unknown {
  if (!signal.aborted || signal.reason !== lock.deadline.reason) return error;
  return Object.assign(
    new Error(
      `no answer from the store before the invocation's deadline (${new Date(lock.inProgressExpiration).toISOString()})`,
      { cause: error },
    ),
    { name: 'DeadlineExceeded' },
  );
}

/** @internal Validates the options once (at init) and returns the protocol bound to them. */
export function createEngine<E>(options: IdempotencyOptions<E>, caller: string): Engine<E> {
  const store = checkStore(options?.store, caller);
  if (typeof options.key !== 'function') throw new TypeError(`${caller}({ key }): expected a function of the event`);
  const keyPrefix = options.keyPrefix;
  if (keyPrefix !== undefined && (typeof keyPrefix !== 'string' || keyPrefix === '')) {
    throw new TypeError(`${caller}({ keyPrefix }): expected a non-empty string`);
  }
  const expiresAfterMs = seconds(options.expiresAfterSeconds ?? 3600, 'expiresAfterSeconds', caller) * 1000;
  const inProgressMs =
    seconds(options.inProgressExpiresAfterSeconds ?? 60, 'inProgressExpiresAfterSeconds', caller) * 1000;
  const { validatePayload, missingKey = 'throw' } = options;
  if (missingKey !== 'throw' && missingKey !== 'warn') {
    throw new TypeError(`${caller}({ missingKey }): expected 'throw' or 'warn'`);
  }
  const clock = options.clock ?? Date.now;
  const cache = localCache(options.localCache, caller);

  const payloadHashOf = (event: E, prefix: string): string | undefined => {
    if (validatePayload === undefined || validatePayload === false) return undefined;
    try {
      return hashValue(validatePayload === true ? event : validatePayload(event)) ?? 'undefined';
    } catch (cause) {
      throw new IdempotencyKeyError(
        'IDEMPOTENCY_KEY_INVALID',
        `${caller}: the payload cannot be hashed for validatePayload`,
        prefix,
        {
          cause,
        },
      );
    }
  };

  const replay = (key: string, record: { payloadHash?: string | undefined }, payloadHash: string | undefined) => {
    // A record stored before validatePayload was turned on has no hash and is replayed as is.
    if (payloadHash !== undefined && record.payloadHash !== undefined && record.payloadHash !== payloadHash) {
      throw new IdempotencyPayloadMismatchError(key, record.payloadHash, payloadHash);
    }
  };

  const release = async (lock: Lock): Promise<void> => {
    if (lock.state !== 'acquiring' && lock.state !== 'held' && lock.state !== 'completing') return;
    lock.state = 'released';
    try {
      // Not cancelled by ctx.signal: a release runs precisely after a timeout aborted it. Bounded
      // by the deadline: past it, the lock frees itself anyway.
      await store.release(lock.key, lock.token, { signal: lock.deadline });
    } catch (error) {
      warn(
        `could not release the lock on ${lock.key} (${describe(pastDeadline(lock, error, lock.deadline))}); it frees itself at ` +
          new Date(lock.inProgressExpiration).toISOString(),
        'LAMBDAKIT_IDEMPOTENCY_RELEASE_FAILED',
      );
    }
  };

  /** Deletes a COMPLETED record whose result cannot be decoded (if the store can); true when gone. */
  const discardCorrupt = async (record: IdempotencyRecord, error: unknown, signal: AbortSignal): Promise<boolean> => {
    if (store.discard === undefined) return false;
    try {
      const discarded = await store.discard(record, { signal });
      warn(
        `the stored result of ${record.id} cannot be decoded (${describe(error)}); ${discarded ? 'the record was discarded and the call runs again' : 'the record changed meanwhile'}`,
        'LAMBDAKIT_IDEMPOTENCY_RECORD_CORRUPT',
      );
      return true;
    } catch {
      return false;
    }
  };

  return {
    async begin(event, context) {
      const prefix = keyPrefix ?? (context?.functionName || undefined);
      if (prefix === undefined) {
        throw new IdempotencyKeyError(
          'IDEMPOTENCY_KEY_MISSING',
          `${caller}: no keyPrefix, and no Lambda context with a function name to default it to`,
          undefined,
        );
      }
      let value: unknown;
      let key: string | undefined;
      try {
        value = options.key(event);
        // A tenant-isolated function: the same key in two tenants is two records, never a replay
        // of one tenant's result to another.
        const tenantId = context?.tenantId;
        key = isMissingKey(value)
          ? undefined
          : idempotencyKey(prefix, typeof tenantId === 'string' && tenantId !== '' ? { tenantId, key: value } : value);
      } catch (cause) {
        // A key that cannot be encoded faithfully is refused: it could share a record with another.
        const why = cause instanceof KeyEncodingError ? `: ${cause.message}` : '';
        throw new IdempotencyKeyError(
          'IDEMPOTENCY_KEY_INVALID',
          `${caller}: the idempotency key cannot be computed${why}`,
          prefix,
          {
            cause,
          },
        );
      }
      if (key === undefined) {
        const message = `${caller}: the key function found no idempotency key in the event (it returned ${describeKey(value)})`;
        if (missingKey === 'throw') throw new IdempotencyKeyError('IDEMPOTENCY_KEY_MISSING', message, prefix);
        warn(`${message}; running without idempotency`, 'LAMBDAKIT_IDEMPOTENCY_KEY_MISSING');
        return { kind: 'skip' };
      }
      const payloadHash = payloadHashOf(event, prefix);

      const cached = cache?.get(key, clock());
      if (cached !== undefined) {
        replay(key, cached, payloadHash);
        logReplay(context, key, 'local cache');
        return { kind: 'replay', result: cached.json === undefined ? undefined : JSON.parse(cached.json) };
      }

      const startedAt = clock();
      const remainingMs = context?.getRemainingTimeInMillis?.();
      // The lock lives exactly as long as the invocation: a sandbox killed by Lambda at its
      // deadline leaves a lock that frees itself then, not an hour later.
      const inProgressExpiration = Math.ceil(
        startedAt +
          (typeof remainingMs === 'number' && Number.isFinite(remainingMs) ? Math.max(0, remainingMs) : inProgressMs),
      );
      // Every request about this lock is bounded by its lifetime, with or without ctx.signal: an
      // SDK client without a request timeout cannot hang the invocation past its deadline.
      const deadline = AbortSignal.timeout(Math.min(MAX_TIMER_MS, Math.max(0, inProgressExpiration - startedAt)));
      const signal = context?.signal === undefined ? deadline : AbortSignal.any([context.signal, deadline]);
      const lock: Lock = {
        key,
        token: randomUUID(),
        payloadHash,
        inProgressExpiration,
        signal,
        deadline,
        state: 'acquiring',
      };
      // Registered before the first request: a timeout that aborts the PutItem after DynamoDB
      // applied it still releases the lock before the handler returns.
      context?.cleanup?.(() => release(lock));

      for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
        const now = clock();
        const record: IdempotencyRecord = {
          id: key,
          status: 'IN_PROGRESS',
          // TTL not before the lock expires, so DynamoDB's TTL cleans up abandoned locks too.
          expiration: Math.ceil(Math.max(inProgressExpiration, now + expiresAfterMs) / 1000),
          inProgressExpiration,
          lockToken: lock.token,
          payloadHash,
        };
        let existing: IdempotencyRecord | undefined;
        try {
          const acquired = await store.acquire(record, now, { signal });
          if (acquired.acquired) {
            lock.state = 'held';
            return { kind: 'run', lock };
          }
          existing = acquired.existing ?? (await store.get(key, { signal }));
        } catch (error) {
          // Only an aborted request may have landed unseen; then the cleanup hook releases it.
          if (!signal.aborted) lock.state = 'released';
          throw error instanceof IdempotencyStoreError
            ? error
            : new IdempotencyStoreError('acquire', key, pastDeadline(lock, error));
        }
        const checkedAt = clock();
        // Absent (released between our two requests) or expired (DynamoDB's TTL deletes lazily,
        // days late): the key is free, try to take it again.
        if (existing === undefined || existing.expiration * 1000 <= checkedAt) continue;
        if (existing.status === 'COMPLETED') {
          lock.state = 'released';
          replay(key, existing, payloadHash);
          let result: unknown;
          let json: string | undefined;
          try {
            result = await decodeResult(existing.result);
            json = existing.result === undefined ? undefined : JSON.stringify(result);
          } catch (error) {
            // A result that cannot be decoded can never be replayed: rather than block the key
            // until the record expires, the record is discarded and this call takes the key.
            if ((await discardCorrupt(existing, error, signal)) && attempt < ACQUIRE_ATTEMPTS - 1) continue;
            throw new IdempotencyStoreError('decode', key, error);
          }
          cache?.set(key, { expiration: existing.expiration, json, payloadHash: existing.payloadHash });
          logReplay(context, key, 'store');
          return { kind: 'replay', result };
        }
        if ((existing.inProgressExpiration ?? 0) > checkedAt) {
          lock.state = 'released';
          throw new IdempotencyInProgressError(key, existing.inProgressExpiration);
        }
      }
      lock.state = 'released';
      throw new IdempotencyInProgressError(key, undefined);
    },

    async complete(lock, result) {
      // Released by a timeout while the business logic kept running: its late result is not
      // recorded (another invocation may hold the key by now).
      if (lock.state !== 'held') return;
      lock.state = 'completing';
      let json: string | undefined;
      try {
        json = resultToJson(result);
      } catch (cause) {
        await release(lock);
        throw new IdempotencyResultError(
          'IDEMPOTENCY_RESULT_INVALID',
          `${caller}: the result for ${lock.key} cannot be stored as JSON`,
          lock.key,
          { cause },
        );
      }
      if (json !== undefined && Buffer.byteLength(json) > MAX_RESULT_JSON_BYTES) {
        await release(lock);
        const bytes = Buffer.byteLength(json);
        throw new IdempotencyResultTooLargeError(
          lock.key,
          bytes,
          MAX_RESULT_JSON_BYTES,
          `The result for idempotency key ${lock.key} is ${bytes} bytes of JSON; a result replayed is at most ${MAX_RESULT_JSON_BYTES} (Lambda's response limit)`,
        );
      }
      const now = clock();
      const record: IdempotencyRecord = {
        id: lock.key,
        status: 'COMPLETED',
        expiration: Math.ceil((now + expiresAfterMs) / 1000),
        payloadHash: lock.payloadHash,
        result: json === undefined ? undefined : { encoding: 'json', data: json },
      };
      if (json !== undefined && store.recordSize(record) > store.maxRecordBytes) {
        record.result = await compressJson(json);
        const size = store.recordSize(record);
        if (size > store.maxRecordBytes) {
          await release(lock);
          throw new IdempotencyResultTooLargeError(lock.key, size, store.maxRecordBytes);
        }
      }
      let written: boolean;
      try {
        written = await store.complete(record, lock.token, { signal: lock.signal });
      } catch (error) {
        // Timed out mid-request: the cleanup hook releases. Otherwise the business logic ran and
        // its result is lost: the record stays IN_PROGRESS until the deadline, so an immediate
        // retry gets IdempotencyInProgressError instead of running the business logic again.
        lock.state = lock.signal.aborted ? 'held' : 'kept';
        throw new IdempotencyStoreError('complete', lock.key, pastDeadline(lock, error));
      }
      if (!written) {
        lock.state = 'lost';
        warn(
          `the lock on ${lock.key} expired and was taken over before the business logic finished; its result was not stored`,
          'LAMBDAKIT_IDEMPOTENCY_LOCK_LOST',
        );
        return;
      }
      lock.state = 'completed';
      cache?.set(lock.key, { expiration: record.expiration, json, payloadHash: lock.payloadHash });
    },

    release,
  };
}

function checkStore(store: IdempotencyStore | undefined, caller: string): IdempotencyStore {
  const methods = ['acquire', 'get', 'complete', 'release', 'recordSize'] as const;
  if (store === null || typeof store !== 'object' || methods.some((name) => typeof store[name] !== 'function')) {
    throw new TypeError(`${caller}({ store }): expected a store such as dynamoDbStore({ tableName }) or memoryStore()`);
  }
  return store;
}

function seconds(value: number, name: string, caller: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${caller}({ ${name} }): expected a positive number of seconds, got ${String(value)}`);
  }
  return value;
}

function localCache(option: IdempotencyOptions<unknown>['localCache'], caller: string): LocalCache | undefined {
  if (option === undefined || option === false) return undefined;
  const maxItems = option === true ? 256 : (option.maxItems ?? 256);
  if (!Number.isInteger(maxItems) || maxItems < 1) {
    throw new RangeError(
      `${caller}({ localCache: { maxItems } }): expected a positive integer, got ${String(maxItems)}`,
    );
  }
  return new LocalCache(maxItems);
}

/**
 * One INFO line on the invocation's logger, when it has one, so that a retry that ran nothing
 * is visible in the logs next to the first delivery's lines. Never throws.
 */
function logReplay(context: IdempotencyContext | undefined, key: string, from: 'local cache' | 'store'): void {
  const log = context?.log as { info?: (fields: object, message: string) => void } | undefined;
  if (typeof log?.info !== 'function') return;
  try {
    log.info({ idempotencyKey: key, replayedFrom: from }, 'idempotent replay: returning the stored result');
  } catch {
    // Logging is a courtesy here: the replayed result is what matters.
  }
}

function warn(message: string, code: string): void {
  process.emitWarning(`lambdakit: ${message}`, { code });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function describeKey(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value)
    ? 'an array of null/undefined'
    : `${typeof value === 'object' ? 'an object' : typeof value}`;
}
