import * as z from 'zod';
import { DecodeFailure, decodeBase64, isBase64, parseJson } from './decode.js';
import { type ParseLimits, type PayloadOptions, resolveLimits } from './limits.js';

type IssueSink = Pick<z.core.$RefinementCtx, 'addIssue'>;

/** Runs a decoder inside a zod transform: a {@link DecodeFailure} becomes an issue, not a throw. */
export function decodeOr<T>(ctx: IssueSink, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof DecodeFailure)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message, params: { reason: error.reason } });
    return z.NEVER;
  }
}

const invalidBase64 = { message: 'Invalid base64', params: { reason: 'invalid_base64' } } as const;

/** A string that must be canonical base64, kept as sent (Kinesis and Firehose `data`, Kafka `key` / `value`, …). */
export const base64Text = z.string().refine(isBase64, invalidBase64);

/**
 * Adds to an HTTP event schema the check that a body sent with `isBase64Encoded: true` is
 * canonical base64 (an issue at `body` otherwise), leaving the body encoded. Runs even when other
 * fields fail, so every problem is reported at once.
 */
export function checkingBase64Body<S extends z.ZodType>(schema: S) {
  return schema.refine(
    (event) => {
      // `when` lets this run on an invalid event too: nothing here may be assumed.
      const { body, isBase64Encoded } = event as { body?: unknown; isBase64Encoded?: unknown };
      return isBase64Encoded !== true || typeof body !== 'string' || isBase64(body);
    },
    {
      ...invalidBase64,
      path: ['body'],
      when: ({ value }) => value !== null && typeof value === 'object' && !Array.isArray(value),
    },
  );
}

/** A JSON text decoded and validated by `schema`, within `limits` (internal, limits resolved). */
export function jsonText<S extends z.ZodType>(schema: S, limits: Readonly<ParseLimits>) {
  return z
    .string()
    .transform((text, ctx) => decodeOr(ctx, () => parseJson(text, limits)))
    .pipe(schema);
}

/** Base64 of a UTF-8 JSON text (Kinesis and Firehose `data`), decoded and validated by `schema`. */
export function base64Json<S extends z.ZodType>(schema: S, limits: Readonly<ParseLimits>) {
  return z
    .string()
    .transform((text, ctx) =>
      decodeOr(ctx, () => parseJson(decodeBase64(text, limits.maxBodyBytes).toString('utf8'), limits)),
    )
    .pipe(schema);
}

/**
 * An HTTP body: absent, `null` or `''` reaches `schema` as `undefined`, a string is parsed as JSON.
 * Base64 bodies are decoded beforehand by the event schema, which knows `isBase64Encoded`.
 */
export function httpBody<S extends z.ZodType>(schema: S, limits: Readonly<ParseLimits>) {
  return z
    .unknown()
    .transform((body, ctx) => {
      if (body === undefined || body === null || body === '') return undefined;
      if (typeof body !== 'string') {
        ctx.addIssue({ code: 'invalid_type', expected: 'string', message: 'Invalid input: expected string' });
        return z.NEVER;
      }
      return decodeOr(ctx, () => parseJson(body, limits));
    })
    .pipe(schema);
}

/**
 * A JSON string field decoded and validated by `schema`, e.g. `json(Order)` for a body that
 * carries an order: size, depth and `__proto__` guarded like every helper's payload.
 */
export function json<S extends z.ZodType>(schema: S, options?: PayloadOptions) {
  return jsonText(schema, resolveLimits('json', options));
}

/**
 * Wraps an HTTP event schema so a body sent with `isBase64Encoded: true` is decoded to text
 * first (invalid base64 is an issue at `body`); the event keeps `isBase64Encoded` as received.
 * An absent body becomes `null`, which {@link httpBody} hands to `Body` as `undefined`.
 */
export function decodingBase64Body<S extends z.ZodType>(schema: S, limits: Readonly<ParseLimits>) {
  return z.preprocess((event, ctx) => {
    if (event === null || typeof event !== 'object') return event;
    const { body, isBase64Encoded } = event as { body?: unknown; isBase64Encoded?: unknown };
    // zod skips an absent key's schema only if optional: make "no body" explicit so Body decides.
    if (body === undefined) return { ...event, body: null };
    if (isBase64Encoded !== true || typeof body !== 'string' || body === '') return event;
    try {
      return { ...event, body: decodeBase64(body, limits.maxBodyBytes).toString('utf8') };
    } catch (error) {
      if (!(error instanceof DecodeFailure)) throw error;
      ctx.addIssue({ code: 'custom', path: ['body'], message: error.message, params: { reason: error.reason } });
      return event;
    }
  }, schema);
}
