import { LambdakitError } from '@lambdakit/core';
import { describe, expect, it } from 'vitest';
import * as idempotency from './index.js';

describe('@lambdakit/idempotency public entry', () => {
  it('exports exactly this list (adding or removing an export is a visible decision)', () => {
    expect(Object.keys(idempotency).sort()).toMatchInlineSnapshot(`
      [
        "IdempotencyError",
        "IdempotencyInProgressError",
        "IdempotencyKeyError",
        "IdempotencyPayloadMismatchError",
        "IdempotencyResultError",
        "IdempotencyResultTooLargeError",
        "IdempotencyStoreError",
        "dynamoDbStore",
        "idempotent",
        "idempotentRecord",
        "makeIdempotent",
        "memoryStore",
      ]
    `);
  });

  it('makes every error a LambdakitError with a stable name', () => {
    const errors = [
      new idempotency.IdempotencyInProgressError('k', 1),
      new idempotency.IdempotencyKeyError('IDEMPOTENCY_KEY_MISSING', 'm', 'p'),
      new idempotency.IdempotencyPayloadMismatchError('k', 'a', 'b'),
      new idempotency.IdempotencyResultError('IDEMPOTENCY_RESULT_INVALID', 'm', 'k'),
      new idempotency.IdempotencyResultTooLargeError('k', 2, 1),
      new idempotency.IdempotencyStoreError('get', 'k', new Error('x')),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(LambdakitError);
      expect(error).toBeInstanceOf(idempotency.IdempotencyError);
      expect(error.name).toBe(error.constructor.name);
      expect(error.code).toMatch(/^IDEMPOTENCY_/);
    }
  });
});
