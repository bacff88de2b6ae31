/** A completed result kept in this process: JSON text so every replay gets its own copy. */
export interface CachedResult {
  /** The record's expiration, epoch seconds. */
  expiration: number;
  json: string | undefined;
  payloadHash: string | undefined;
}

/**
 * Completed results of this process, least recently used evicted first. Shared by the
 * invocations of one wrapped function on purpose (a completed result is the same for all of
 * them); it never holds locks, so concurrent invocations cannot see each other's progress.
 */
export class LocalCache {
  readonly #entries = new Map<string, CachedResult>();
  readonly #maxItems: number;

  constructor(maxItems: number) {
    this.#maxItems = maxItems;
  }

  get(key: string, nowMs: number): CachedResult | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiration * 1000 <= nowMs) return undefined;
    this.#entries.set(key, entry); // most recently used last
    return entry;
  }

  set(key: string, entry: CachedResult): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#maxItems) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
