import { afterEach, describe, expect, it } from 'vitest';
import {
  clearSecretValues,
  hasSecretValues,
  MAX_SECRET_VALUES,
  MIN_SECRET_LENGTH,
  redactSecretValues,
  registerSecretValue,
} from './secret-values.js';

afterEach(() => clearSecretValues());

describe('secret values', () => {
  it('replaces every occurrence of a registered value, and nothing else', () => {
    expect(hasSecretValues()).toBe(false);
    expect(redactSecretValues('password hunter22 here')).toBe('password hunter22 here');
    registerSecretValue('hunter22');
    expect(hasSecretValues()).toBe(true);
    expect(redactSecretValues('{"msg":"login with hunter22","pw":"hunter22"}')).toBe(
      '{"msg":"login with [secret]","pw":"[secret]"}',
    );
  });

  it('covers the JSON-escaped form of a value with quotes or backslashes', () => {
    const value = 'pa"ss\\word';
    registerSecretValue(value);
    const line = JSON.stringify({ password: value, message: `used ${value}` });
    expect(line).not.toContain(value); // it is escaped in the line
    expect(redactSecretValues(line)).toBe('{"password":"[secret]","message":"used [secret]"}');
    expect(redactSecretValues(`raw ${value}`)).toBe('raw [secret]');
  });

  it('replaces a value that contains another whole, and treats regex characters as text', () => {
    registerSecretValue('abc123');
    registerSecretValue('xxabc123yy');
    registerSecretValue('a.b*c+d?');
    expect(redactSecretValues('xxabc123yy abc123 a.b*c+d? aXbbbc+d')).toBe('[secret] [secret] [secret] aXbbbc+d');
  });

  it(`ignores values shorter than ${MIN_SECRET_LENGTH} characters and non-strings`, () => {
    registerSecretValue('on');
    registerSecretValue(12345 as unknown as string);
    expect(hasSecretValues()).toBe(false);
    expect(redactSecretValues('on 12345')).toBe('on 12345');
  });

  it(`keeps the newest ${MAX_SECRET_VALUES} values`, () => {
    for (let i = 0; i <= MAX_SECRET_VALUES; i++) registerSecretValue(`secret-${String(i).padStart(4, '0')}`);
    expect(redactSecretValues('secret-0000')).toBe('secret-0000');
    expect(redactSecretValues(`secret-${String(MAX_SECRET_VALUES).padStart(4, '0')}`)).toBe('[secret]');
    expect(redactSecretValues('secret-0001')).toBe('[secret]');
  });

  it('shares one list between copies of the module (a second copy of @lambdakit/core in a bundle)', async () => {
    registerSecretValue('shared-secret');
    // @ts-expect-error a query string makes the module loader evaluate a second copy
    const copy: typeof import('./secret-values.js') = await import('./secret-values.js?copy');
    expect(copy.redactSecretValues('a shared-secret')).toBe('a [secret]');
  });
});
