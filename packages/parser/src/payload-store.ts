import type { PayloadPointer } from './payload-pointer.js';
// Reached only through a helper given `largePayloads`: `parse()` takes the resolver from the
// schema, so a function without large payloads (an HTTP API) bundles none of it.
import { hasLargePayloads, resolveLargePayloads } from './resolve-large-payloads.js';

/**
 * Where the payload helpers (`sqs(Body, { largePayloads })`, `sns`, `snsInSqs`) fetch a payload an
 * extended client put in S3: `s3Payloads({ client })` of `@lambdakit/parser/large-payloads`.
 */
export interface PayloadStore {
  /** The payload's text; rejects with a `LargePayloadError` (missing, over `maxBytes`, unreadable). */
  fetch(pointer: PayloadPointer, options: { maxBytes: number; signal: AbortSignal | undefined }): Promise<string>;
  /**
   * Deletes the payloads of messages processed successfully; called only when
   * {@link PayloadStore.deleteAfterSuccess}, once per invocation, after it succeeded. Resolves with
   * the payloads not deleted and why (rejects when nothing could be); stops when `signal` aborts.
   */
  remove(
    pointers: readonly PayloadPointer[],
    options: { signal: AbortSignal },
  ): Promise<readonly { pointer: PayloadPointer; reason: string }[]>;
  /** Delete each payload once its message was processed successfully (as the extended clients do). */
  readonly deleteAfterSuccess: boolean;
}

/** How a schema's records carry a pointer: an SQS body, an SNS message, or an SNS message inside an SQS body. */
export type PayloadCarrier = 'sqs' | 'sns' | 'sns-in-sqs';

/** @internal What a payload helper records on its schema when given `largePayloads`. */
export interface LargePayloads {
  readonly store: PayloadStore;
  readonly carrier: PayloadCarrier;
  /** The helper's `limits.maxBodyBytes`: a payload over it is refused before it is downloaded. */
  readonly maxBytes: number;
  /** The resolver `parse()` runs for such a schema. */
  readonly resolver: { has: typeof hasLargePayloads; resolve: typeof resolveLargePayloads };
}

const resolver = { has: hasLargePayloads, resolve: resolveLargePayloads };

/** @internal `largePayloads` of a helper's options, checked; `undefined` when not given. */
export function largePayloadsOption(
  door: string,
  options: { largePayloads?: unknown } | undefined,
  carrier: PayloadCarrier,
  maxBytes: number,
): LargePayloads | undefined {
  const store = options?.largePayloads;
  if (store === undefined) return undefined;
  const s = store as Partial<PayloadStore> | null;
  if (typeof s?.fetch !== 'function' || typeof s.remove !== 'function' || typeof s.deleteAfterSuccess !== 'boolean') {
    throw new TypeError(
      `${door}({ largePayloads }): expected a payload store, e.g. s3Payloads({ client }) from @lambdakit/parser/large-payloads`,
    );
  }
  return { store: s as PayloadStore, carrier, maxBytes, resolver };
}
