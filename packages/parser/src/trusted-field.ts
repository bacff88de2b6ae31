import * as z from 'zod';

const describeType = (input: unknown) => (input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input);

/**
 * The schema of an object AWS built, with `{ envelope: 'trust' }`: only `key` is validated (by
 * `schema`, its issues reported under `key`, as a zod object would); every other field is copied
 * as received. Cheaper than a loose zod object, which runs each of the other fields through its
 * catch-all schema one by one: this is one native object spread.
 */
export function trustedField<S extends z.ZodType>(key: string, schema: S) {
  return z.unknown().transform((input, ctx) => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      ctx.addIssue({
        code: 'invalid_type',
        expected: 'object',
        input,
        message: `Invalid input: expected object, received ${describeType(input)}`,
      });
      return z.NEVER;
    }
    const result = schema.safeParse((input as Record<string, unknown>)[key]);
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: [key, ...issue.path] } as never);
      return z.NEVER;
    }
    return { ...(input as Record<string, unknown>), [key]: result.data };
  });
}
