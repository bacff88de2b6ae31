import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capture } from '../test/capture.js';
import { createLogger } from './index.js';
import { cutToBytes, DEFAULT_MAX_LINE_BYTES, truncateLine } from './truncate-line.js';

const bytes = (text: string) => Buffer.byteLength(text);

describe('lines over CloudWatch’s event size', () => {
  it('defaults to 262,144 bytes less CloudWatch’s 26 bytes of per-event overhead', () => {
    expect(DEFAULT_MAX_LINE_BYTES).toBe(262_118);
  });

  it('cuts a line over the limit to the limit, still one JSON object, marked truncated', () => {
    const out = capture();
    const log = createLogger({ destination: out, env: {} });
    log.info({ orderId: 'o-1', payload: 'x'.repeat(400_000) }, 'big payload');
    const line = out.lines[0]!;
    expect(bytes(line)).toBeLessThanOrEqual(DEFAULT_MAX_LINE_BYTES);
    expect(line.endsWith('}\n')).toBe(true);
    const record = out.records()[0]!;
    expect(record).toMatchObject({ level: 'INFO', orderId: 'o-1', message: 'big payload', truncated: true });
    expect(record.originalBytes).toBeGreaterThan(400_000);
    expect(record.payload).toMatch(/^x{200000,}$/);
  });

  it('leaves a line at or under the limit byte for byte as it was', () => {
    const out = capture();
    const log = createLogger({ destination: out, env: {}, maxLineBytes: 2048 });
    log.info({ text: 'é'.repeat(500) });
    expect(out.records()[0]).not.toHaveProperty('truncated');
    const line = '{"a":"b"}\n';
    expect(truncateLine(line, line.length)).toBe(line);
  });

  it('cuts multi-byte text on a character boundary, counting UTF-8 bytes', () => {
    const out = capture();
    const log = createLogger({ destination: out, env: {}, maxLineBytes: 4096 });
    log.info({ text: '😀€'.repeat(3000) }, 'emoji');
    const line = out.lines[0]!;
    expect(bytes(line)).toBeLessThanOrEqual(4096);
    expect(line).not.toContain('\uFFFD');
    expect(out.records()[0]!.text).toMatch(/^(😀€)+(😀)?$/u);
    expect(cutToBytes('a😀b', 3)).toBe('a');
    expect(cutToBytes('a😀b', 5)).toBe('a😀');
  });

  it('keeps the message first when many large fields compete for the room', () => {
    const record = JSON.parse(
      truncateLine(
        `${JSON.stringify({ level: 'INFO', a: 'a'.repeat(5000), b: { deep: 'b'.repeat(5000) }, message: 'm'.repeat(5000) })}\n`,
        3000,
      ),
    );
    expect(record.message).toMatch(/^m{1000,}$/);
    expect(record.truncated).toBe(true);
  });

  it('wraps a line that is not a JSON object, keeping its start as the message', () => {
    const record = JSON.parse(truncateLine(`${'not json '.repeat(1000)}\n`, 2000));
    expect(record).toMatchObject({ truncated: true, originalBytes: 9001 });
    expect(record.message.startsWith('not json not json')).toBe(true);
  });

  // 100 generated lines of up to ~60 KB each: seconds on a loaded machine. The time limit guards
  // against a hang only; it measures nothing.
  it('always yields one JSON object within the limit (property)', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ maxLength: 20 }),
          fc.oneof(fc.string({ unit: 'binary', maxLength: 3000 }), fc.jsonValue({ maxDepth: 3 })),
        ),
        fc.integer({ min: 1024, max: 4096 }),
        (fields, max) => {
          const line = truncateLine(`${JSON.stringify({ level: 'INFO', ...fields })}\n`, max);
          expect(bytes(line)).toBeLessThanOrEqual(max);
          expect(line.endsWith('\n')).toBe(true);
          const parsed = JSON.parse(line);
          expect(typeof parsed).toBe('object');
        },
      ),
    );
  });
});
