import type { BatchSource } from './batch-source.js';

/** What the batch adds to the invocation's `ctx` for one record. */
export interface RecordFields {
  /** Position of the record in the event's `Records` array. */
  readonly recordIndex: number;
  /** The id reported if the record fails: SQS `messageId`, Kinesis / DynamoDB stream sequence number. */
  readonly itemIdentifier: string;
  readonly batchSource: BatchSource;
  /** When Lambda stops the invocation, epoch ms (`Infinity` when the ctx has no `deadline` nor `getRemainingTimeInMillis`). */
  readonly deadline: number;
  /** The invocation's cancellation signal (one that never aborts when the ctx has none). */
  readonly signal: AbortSignal;
}

/**
 * The `ctx` a record handler receives: the invocation's `ctx` (everything middlewares added,
 * e.g. `ctx.config`), its `log` replaced by a child carrying `recordId`, plus {@link RecordFields}.
 */
export type RecordContext<C = {}> = Omit<C, keyof RecordFields> & RecordFields;

/**
 * A view of `base` for one record. A Proxy rather than a copy: the invocation's `ctx` keeps
 * private state behind getters and methods (`signal`, `cleanup`), which must run against the
 * real object so every record shares one signal and one list of cleanup hooks. Writes stay on
 * the record's own view, so one record cannot change what another sees.
 */
export function recordContext<C extends object>(base: C, own: Record<PropertyKey, unknown>): RecordContext<C> {
  return new Proxy(base, {
    get(target, key) {
      if (Object.hasOwn(own, key)) return own[key];
      const value: unknown = Reflect.get(target, key, target);
      // Methods from the prototype (e.g. ctx.cleanup) run bound to the real ctx.
      return typeof value === 'function' && !Object.hasOwn(target, key) ? value.bind(target) : value;
    },
    set(_target, key, value) {
      own[key] = value;
      return true;
    },
    has(target, key) {
      return Object.hasOwn(own, key) || Reflect.has(target, key);
    },
    ownKeys(target) {
      return [...new Set([...Reflect.ownKeys(target), ...Reflect.ownKeys(own)])];
    },
    getOwnPropertyDescriptor(target, key) {
      if (Object.hasOwn(own, key)) return { value: own[key], writable: true, enumerable: true, configurable: true };
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    defineProperty() {
      return false;
    },
    deleteProperty() {
      return false;
    },
  }) as unknown as RecordContext<C>;
}
