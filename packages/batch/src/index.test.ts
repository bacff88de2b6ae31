import { LambdakitError } from '@lambdakit/core';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('@lambdakit/batch public entry', () => {
  it('exports exactly this list (adding or removing an export is a visible decision)', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "BatchError",
        "RecordSkippedError",
        "batch",
        "processBatch",
      ]
    `);
  });

  it('makes every error a LambdakitError with a stable name and code', () => {
    const errors = [
      new api.BatchError('BATCH_INVALID_EVENT', 'm'),
      new api.BatchError('BATCH_UNKNOWN_SOURCE', 'm'),
      new api.BatchError('BATCH_ALL_FAILED', 'm'),
      new api.RecordSkippedError('deadline'),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(LambdakitError);
      expect(error.name).toBe(error.constructor.name);
      expect(error.code).toMatch(/^BATCH_/);
    }
  });
});
