import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { parseJson } from './parse-json.js';

describe('parseJson', () => {
  it.each([
    ['{\n  "a": 1,\n  b: 2\n}', 'line 3 column 3'],
    ['[1, 2,]', 'line 1 column 7'],
    ['{"a": tru}', 'line 1 column 10'],
    ['{"a": "x\\q"}', 'line 1 column 10'],
    ['{"a": 1', 'line 1 column 8'],
    ['{"a": 1} x', 'line 1 column 10'],
    ['\n\n  ]', 'line 3 column 3'],
    ['{"a": nul', 'line 1 column 10'],
    ['{"key": "a value long enough for an excerpt", "list": [1, 2,]}', 'line 1 column 61'],
  ])('locates the mistake in %j at %s', (text, where) => {
    expect(() => parseJson(text, 'event.json')).toThrow(`event.json: invalid JSON at ${where}`);
  });

  it('accepts a byte order mark and rejects empty input by name', () => {
    expect(parseJson('\ufeff{"a":1}', 'f')).toEqual({ a: 1 });
    expect(() => parseJson(' \n', 'f')).toThrow('f: empty input, expected JSON');
  });

  it('names the input at fault with the CLI_INVALID_INPUT code', () => {
    expect(() => parseJson('{', 'events/order.json')).toThrow(
      expect.objectContaining({ code: 'CLI_INVALID_INPUT', file: 'events/order.json' }),
    );
  });

  it('parses what JSON.parse parses, and otherwise throws a CliError, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
        let expected: unknown;
        try {
          expected = JSON.parse(text);
        } catch {
          expect(() => parseJson(text, 'x')).toThrow(CliError);
          return;
        }
        if (text.trim() !== '') expect(parseJson(text, 'x')).toEqual(expected);
      }),
    );
  });
});
