import { describe, expect, it } from 'vitest';
import { TimeoutError } from './timeout-error.js';
import { toLambdaError } from './to-lambda-error.js';

describe('toLambdaError', () => {
  it('reports an Error with its name, message and stack lines', () => {
    const error = new RangeError('too big');
    const shaped = toLambdaError(error);
    expect(shaped.errorType).toBe('RangeError');
    expect(shaped.errorMessage).toBe('too big');
    expect(shaped.trace[0]).toBe('RangeError: too big');
    expect(shaped.trace.length).toBeGreaterThan(1);
  });

  it('keeps lambdakit error names', () => {
    expect(
      toLambdaError(
        new TimeoutError('CORE_TIMEOUT', 'timed out', { deadline: 0, marginMs: 500, remainingTimeMs: 499 }),
      ),
    ).toMatchObject({
      errorType: 'TimeoutError',
    });
  });

  it('reports thrown strings, numbers, null and plain objects as Lambda does', () => {
    expect(toLambdaError('boom')).toEqual({ errorType: 'string', errorMessage: 'boom', trace: [] });
    expect(toLambdaError(42)).toEqual({ errorType: 'number', errorMessage: '42', trace: [] });
    expect(toLambdaError(null)).toEqual({ errorType: 'object', errorMessage: 'null', trace: [] });
    expect(toLambdaError({ name: 'Custom', message: 'shaped' })).toEqual({
      errorType: 'Custom',
      errorMessage: 'shaped',
      trace: [],
    });
    expect(toLambdaError({ code: 7 })).toEqual({ errorType: 'Error', errorMessage: '{"code":7}', trace: [] });
  });

  it('never throws on hostile values', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(toLambdaError(circular).errorType).toBe('Error');
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(toLambdaError(hostile).errorType).toBe('Error');
    const weird = new Error('x');
    Object.defineProperty(weird, 'name', { value: 123 });
    expect(toLambdaError(weird).errorType).toBe('Error');
    expect(toLambdaError(Symbol('s')).errorMessage).toBe('Symbol(s)');
    expect(toLambdaError(10n).errorType).toBe('bigint');
  });
});
