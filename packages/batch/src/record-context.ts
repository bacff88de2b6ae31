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

/** Fields of a record's view computed on first read: the invocation's signal, the record's logger. */
export interface LazyFields {
  readonly signal: () => AbortSignal;
  readonly log: (() => unknown) | undefined;
}

/**
 * The traps of one record's view, on a class so that the methods are shared by every record
 * (a handler object of closures per record was a tenth of a batch's time). `own` holds the
 * record's data fields and anything the handler writes; `signal` and `log` are read through.
 */
class RecordView<C extends object> implements ProxyHandler<C> {
  constructor(
    private readonly own: Record<PropertyKey, unknown>,
    private readonly lazy: LazyFields,
  ) {}

  private virtual(key: PropertyKey): boolean {
    return key === 'signal' || (key === 'log' && this.lazy.log !== undefined);
  }

  get(target: C, key: PropertyKey): unknown {
    const own = this.own;
    if (Object.hasOwn(own, key)) return own[key];
    if (key === 'signal') return this.lazy.signal();
    if (key === 'log' && this.lazy.log !== undefined) return this.lazy.log();
    const value: unknown = Reflect.get(target, key, target);
    // Methods from the prototype (e.g. ctx.cleanup) run bound to the real ctx.
    return typeof value === 'function' && !Object.hasOwn(target, key) ? value.bind(target) : value;
  }

  set(_target: C, key: PropertyKey, value: unknown): boolean {
    this.own[key] = value;
    return true;
  }

  has(target: C, key: PropertyKey): boolean {
    return Object.hasOwn(this.own, key) || this.virtual(key) || Reflect.has(target, key);
  }

  ownKeys(target: C): ArrayLike<string | symbol> {
    const keys = [...Reflect.ownKeys(target), ...Reflect.ownKeys(this.own), 'signal'];
    if (this.lazy.log !== undefined) keys.push('log');
    return [...new Set(keys)];
  }

  getOwnPropertyDescriptor(target: C, key: PropertyKey): PropertyDescriptor | undefined {
    if (Object.hasOwn(this.own, key) || this.virtual(key)) {
      return { value: this.get(target, key), writable: true, enumerable: true, configurable: true };
    }
    return Reflect.getOwnPropertyDescriptor(target, key);
  }

  defineProperty(): boolean {
    return false;
  }

  deleteProperty(): boolean {
    return false;
  }
}

/**
 * A view of `base` for one record. A Proxy rather than a copy: the invocation's `ctx` keeps
 * private state behind getters and methods (`signal`, `cleanup`), which must run against the
 * real object so every record shares one signal and one list of cleanup hooks. Writes stay on
 * the record's own view, so one record cannot change what another sees.
 */
export function recordContext<C extends object>(
  base: C,
  own: Record<PropertyKey, unknown>,
  lazy: LazyFields,
): RecordContext<C> {
  return new Proxy(base, new RecordView<C>(own, lazy)) as unknown as RecordContext<C>;
}
