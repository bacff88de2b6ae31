import type { IdempotencyStore } from './idempotency-store.js';
import type { IdempotentOptions } from './idempotent-options.js';
import { LocalCache } from './local-cache.js';

/** @internal A door's options, checked once when the door is called, with every default applied. */
export interface IdempotencySettings<E> {
  /** The door, for messages: `makeIdempotent`, `idempotent` or `idempotentRecord`. */
  readonly caller: string;
  readonly store: IdempotencyStore;
  readonly key: (event: E) => unknown;
  readonly keyPrefix: string | undefined;
  readonly expiresAfterMs: number;
  readonly inProgressMs: number;
  readonly validatePayload: boolean | ((event: E) => unknown);
  readonly missingKey: 'throw' | 'warn';
  readonly now: () => number;
  readonly cache: LocalCache | undefined;
}

/** @internal Checks a door's options (a `TypeError` names the bad one) and applies the defaults. */
export function idempotencySettings<E>(options: IdempotentOptions<E>, caller: string): IdempotencySettings<E> {
  const store = checkStore(options?.store, caller);
  if (typeof options.key !== 'function') throw new TypeError(`${caller}({ key }): expected a function of the event`);
  const { keyPrefix, missingKey = 'throw', validatePayload = false, now = Date.now } = options;
  if (keyPrefix !== undefined && (typeof keyPrefix !== 'string' || keyPrefix === '')) {
    throw new TypeError(`${caller}({ keyPrefix }): expected a non-empty string`);
  }
  if (missingKey !== 'throw' && missingKey !== 'warn') {
    throw new TypeError(`${caller}({ missingKey }): expected 'throw' or 'warn', got ${String(missingKey)}`);
  }
  if (typeof now !== 'function') throw new TypeError(`${caller}({ now }): expected a function returning epoch ms`);
  return {
    caller,
    store,
    key: options.key,
    keyPrefix,
    expiresAfterMs: seconds(options.expiresAfterSeconds ?? 3600, 'expiresAfterSeconds', caller) * 1000,
    inProgressMs: seconds(options.inProgressExpiresAfterSeconds ?? 60, 'inProgressExpiresAfterSeconds', caller) * 1000,
    validatePayload,
    missingKey,
    now,
    cache: localCache(options.localCache, caller),
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
    throw new TypeError(`${caller}({ ${name} }): expected a positive number of seconds, got ${String(value)}`);
  }
  return value;
}

function localCache(option: IdempotentOptions<unknown>['localCache'], caller: string): LocalCache | undefined {
  if (option === undefined || option === false) return undefined;
  const maxItems = option === true ? 256 : (option.maxItems ?? 256);
  if (!Number.isInteger(maxItems) || maxItems < 1) {
    throw new TypeError(
      `${caller}({ localCache: { maxItems } }): expected a positive integer, got ${String(maxItems)}`,
    );
  }
  return new LocalCache(maxItems);
}
