import { describe, expect, it } from 'vitest';
import { type LongLine, readLines } from './read-lines.js';

async function collect(chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, max = 8) {
  const out: Array<string | LongLine> = [];
  const input = (async function* () {
    yield* chunks;
  })();
  for await (const line of readLines(input, max)) out.push(line);
  return out;
}

describe('readLines', () => {
  it('splits on newlines across chunks, drops a \\r before one, keeps a last line without one', async () => {
    expect(await collect(['ab', 'c\nde\r', '\n\nf'])).toEqual(['abc', 'de', '', 'f']);
    expect(await collect(['a\n'])).toEqual(['a']);
    expect(await collect([])).toEqual([]);
  });

  it('decodes UTF-8 split between chunks', async () => {
    const bytes = Buffer.from('é€\n');
    expect(await collect([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).toEqual(['é€']);
  });

  it('keeps a line of exactly the limit and skips one byte more, reading on', async () => {
    expect(await collect(['12345678\n123456789\nok'])).toEqual(['12345678', { tooLong: true, bytes: 9 }, 'ok']);
    expect(await collect(['1234', '5678', '9', '\nok\n'])).toEqual([{ tooLong: true, bytes: 9 }, 'ok']);
  });

  it('reads through a 1 GiB line holding no more than the limit', async () => {
    const mib = Buffer.alloc(1024 * 1024, 0x78);
    const input = (function* () {
      for (let i = 0; i < 1024; i++) yield mib;
      yield Buffer.from('\nafter\n');
    })();
    expect(await collect(input, 16 * 1024 * 1024)).toEqual([{ tooLong: true, bytes: 1024 ** 3 }, 'after']);
  });
});
