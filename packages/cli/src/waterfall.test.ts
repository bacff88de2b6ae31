import { decodeOtlpJson, type ReceivedSpan } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { toOtlpJson } from './otlp-json.js';
import { drawWaterfall } from './waterfall.js';

const T = '6752a3b10f9c4e2d8a7b6c5d4e3f2a1b';
const MS = 1_000_000n;
const at = 1_733_400_000_000n * MS;

function span(
  name: string,
  spanId: string,
  parentSpanId: string | undefined,
  from: number,
  to: number,
  extra: Partial<ReceivedSpan> = {},
): ReceivedSpan {
  return {
    traceId: T,
    spanId,
    parentSpanId,
    name,
    kind: 1,
    startTimeUnixNano: at + BigInt(from) * MS,
    endTimeUnixNano: at + BigInt(to) * MS,
    attributes: {},
    events: [],
    links: [],
    status: { code: 0, message: '' },
    resource: { 'service.name': 'orders' },
    scope: '@lambdakit/tracer',
    ...extra,
  };
}

const spans = [
  span('tax', 'c000000000000003', 'b000000000000002', 10, 30),
  span('orders', 'a000000000000001', 'ffffffffffffffff', 0, 40), // its parent is remote: drawn at the top
  span('price', 'b000000000000002', 'a000000000000001', 8, 32),
  span('validate', 'd000000000000004', 'a000000000000001', 1, 2, {
    status: { code: 2, message: 'RangeError: no items' },
  }),
];

describe('drawWaterfall()', () => {
  it('draws parents before children, siblings by start, bars on one timeline', () => {
    expect(drawWaterfall(spans)).toEqual([
      'trace 1-6752a3b1-0f9c4e2d8a7b6c5d4e3f2a1b: 4 span(s), 40.0 ms',
      `  ${'orders'.padEnd(40)} ${'█'.repeat(32)}    40.0 ms`,
      `  ${'  validate'.padEnd(40)} ${' '.repeat(1)}█${' '.repeat(30)}    1.00 ms  error: RangeError: no items`,
      `  ${'  price'.padEnd(40)} ${' '.repeat(6)}${'█'.repeat(19)}${' '.repeat(7)}    24.0 ms`,
      `  ${'    tax'.padEnd(40)} ${' '.repeat(8)}${'█'.repeat(16)}${' '.repeat(8)}    20.0 ms`,
    ]);
  });

  it('nothing to draw for no spans; a long name is cut', () => {
    expect(drawWaterfall([])).toEqual([]);
    const [, line] = drawWaterfall([span('x'.repeat(60), 'a000000000000001', undefined, 0, 1)]);
    expect(line!.slice(2, 42)).toBe(`${'x'.repeat(39)}…`);
  });
});

describe('toOtlpJson()', () => {
  it('is read back by an OTLP/JSON reader as the same spans', () => {
    const rich = [
      ...spans,
      span('call', 'e000000000000005', 'a000000000000001', 3, 4, {
        kind: 3,
        attributes: { 'rpc.method': 'GetItem', 'lambdakit.aws.attempts': 2, ok: true, ratio: 0.5, tables: ['a', 'b'] },
        events: [{ name: 'exception', timeUnixNano: at + 4n * MS, attributes: { 'exception.type': 'Boom' } }],
        links: [{ traceId: 'f'.repeat(32), spanId: '1'.repeat(16) }],
        resource: { 'service.name': 'other' },
      }),
    ];
    const back = decodeOtlpJson(JSON.stringify(toOtlpJson(rich)));
    const byId = (list: readonly ReceivedSpan[]) => [...list].sort((a, b) => a.spanId.localeCompare(b.spanId));
    expect(byId(back)).toEqual(byId(rich));
    expect(toOtlpJson(rich).resourceSpans).toHaveLength(2);
  });
});
