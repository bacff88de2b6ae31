import type { PayloadStore } from './payload-store.js';

/** Bounds on the work a hostile event can make the parser do; every one has a safe default. */
export interface ParseLimits {
  /** Largest JSON text (UTF-8 bytes) parsed from a body, message or record, checked before `JSON.parse`. */
  maxBodyBytes: number;
  /** Deepest nesting of objects and arrays accepted in a JSON text. */
  maxDepth: number;
  /** Largest size a gzip payload (CloudWatch Logs `awslogs.data`) may expand to, in bytes. */
  maxDecompressedBytes: number;
  /**
   * Most log events one CloudWatch Logs payload may carry, checked before any is validated:
   * small events compress so well that a 40 KB payload can hold 262,000 of them.
   */
  maxLogEvents: number;
}

/**
 * Options every payload helper (`sqs(Body)`, `apigwHttp(Body)`, `json(Schema)`, …) accepts: one
 * type for all of them, since they take the same options for the same reason.
 */
export interface PayloadOptions {
  /** Overrides some of {@link defaultLimits}; fixed when the schema is built, once at module scope. */
  limits?: { [Key in keyof ParseLimits]?: ParseLimits[Key] | undefined } | undefined;
}

/**
 * Options of the payload helpers of events that come straight from AWS (the HTTP sources, SQS,
 * SNS, SNS in SQS, Kinesis, Firehose).
 */
export interface EnvelopeOptions extends PayloadOptions {
  /**
   * `'validate'` (default): the whole event is checked against AWS's documented format, then the
   * payload against its schema. `'trust'`: only the payload and the path to it are checked (an
   * HTTP `body`, each record's `body` / `Sns.Message` / `data`), with the same limits; every other
   * field is passed through as received, typed as documented but not checked. For events Lambda
   * delivers from AWS itself, whose envelope AWS has already built; never for events a caller can
   * shape (a function invoked directly, or through a queue anyone can write to with a hand-made
   * body is fine: the body is still validated).
   */
  envelope?: 'validate' | 'trust' | undefined;
}

/** Options of the message helpers (`sqs`, `sns`, `snsInSqs`): an envelope's, and where large payloads are. */
export interface MessageOptions extends EnvelopeOptions {
  /**
   * Where payloads an extended client put in S3 are fetched from (`s3Payloads({ client })` of
   * `@lambdakit/parser/large-payloads`): a record whose body is such a pointer is parsed as if its
   * payload had been inline. Needs an asynchronous parse: the `parse()` middleware, `@lambdakit/batch`,
   * or `resolveLargePayloads()` before `parseEvent()`. Payloads over `limits.maxBodyBytes` are refused
   * before they are downloaded.
   */
  largePayloads?: PayloadStore | undefined;
}

/** Whether a payload helper trusts the envelope; a bad `envelope` option is a `TypeError` naming the door. */
export function trustsEnvelope(door: string, options: EnvelopeOptions | undefined): boolean {
  const mode: unknown = options?.envelope;
  if (mode === undefined || mode === 'validate') return false;
  if (mode === 'trust') return true;
  throw new TypeError(
    `${door}({ envelope }): expected 'validate' or 'trust', got ${JSON.stringify(mode) ?? String(mode)}`,
  );
}

/**
 * The default limits: 6 MB bodies (Lambda's synchronous invocation payload limit), 64 levels of
 * JSON nesting, 10 MB of decompressed CloudWatch Logs data holding at most 10,000 log events
 * (the most one `PutLogEvents` batch holds).
 */
export const defaultLimits: Readonly<ParseLimits> = Object.freeze({
  maxBodyBytes: 6 * 1024 * 1024,
  maxDepth: 64,
  maxDecompressedBytes: 10 * 1024 * 1024,
  maxLogEvents: 10_000,
});

/**
 * The limits the payload helper `door` works with: the defaults overridden by the caller's,
 * checked when the schema is built; a bad one is a `TypeError` naming the door and the limit.
 */
export function resolveLimits(door: string, options: PayloadOptions | undefined): Readonly<ParseLimits> {
  const given: unknown = options?.limits;
  if (given === undefined) return defaultLimits;
  if (given === null || typeof given !== 'object') {
    throw new TypeError(
      `${door}({ limits }): expected an object of limits, got ${given === null ? 'null' : typeof given}`,
    );
  }
  const limits = { ...defaultLimits };
  for (const key of Object.keys(defaultLimits) as (keyof ParseLimits)[]) {
    const value: unknown = (given as PayloadOptions['limits'] & object)[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`${door}({ limits }): expected limits.${key} to be a positive integer, got ${String(value)}`);
    }
    limits[key] = value;
  }
  return Object.freeze(limits);
}
