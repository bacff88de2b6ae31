import { decodeOtlpJson, decodeOtlpProtobuf } from '@lambdakit/testing';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { createTracer, MAX_DATAGRAM_BYTES, parseDaemonAddress } from './index.js';
import { toDatagrams } from './xray-daemon-exporter.js';

/** Spans made by a real tracer, kept as the exporter receives them. */
async function makeSpans(count: number, attributeBytes: number): Promise<ReadableSpan[]> {
  const captured: ReadableSpan[] = [];
  const exporter: SpanExporter = {
    export: (spans, done) => {
      captured.push(...spans);
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  const t = createTracer({ exporter });
  await t.traceInvocation({}, {}, async (trace) => {
    for (let i = 0; i < count - 1; i++) await trace.span(`step-${i}`, () => i, { blob: 'x'.repeat(attributeBytes) });
  });
  return captured;
}

describe('parseDaemonAddress() reads AWS_XRAY_DAEMON_ADDRESS as Lambda and the X-Ray SDKs write it', () => {
  it.each([
    ['169.254.79.129:2000', { host: '169.254.79.129', port: 2000 }],
    ['udp:127.0.0.1:2001 tcp:127.0.0.1:2000', { host: '127.0.0.1', port: 2001 }],
    ['tcp:10.0.0.1:2000 udp:10.0.0.2:3000', { host: '10.0.0.2', port: 3000 }],
    ['xray-daemon:2000', { host: 'xray-daemon', port: 2000 }],
    ['[::1]:2000', { host: '::1', port: 2000 }],
  ])('%s', (value, expected) => {
    expect(parseDaemonAddress(value)).toEqual(expected);
  });

  it.each(['', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', 'tcp:127.0.0.1:2000', 'a:1 b:2', 'host:port'])(
    'refuses %j, naming it',
    (value) => {
      expect(() => parseDaemonAddress(value)).toThrow(`got ${JSON.stringify(value)}`);
    },
  );
});

describe('toDatagrams() keeps every datagram under the daemon’s limit', () => {
  it('one datagram holds a small invocation, decoding to the same spans as OTLP/JSON', async () => {
    const spans = await makeSpans(3, 10);
    const { datagrams, dropped } = toDatagrams(spans);
    expect(dropped).toBe(0);
    expect(datagrams).toHaveLength(1);
    const text = datagrams[0]!.toString('utf8');
    expect(text.startsWith('{"format":"json","version":1}\nT1S')).toBe(true);
    const fromUdp = decodeOtlpProtobuf(Buffer.from(text.slice(text.indexOf('\n') + 4), 'base64'));
    const json = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans));
    const fromJson = decodeOtlpJson(json);
    expect(fromUdp).toEqual(fromJson);
    expect(fromUdp).toHaveLength(3);
  });

  it('splits a large invocation into several datagrams, every span in exactly one', async () => {
    const spans = await makeSpans(40, 6000);
    const { datagrams, dropped } = toDatagrams(spans);
    expect(dropped).toBe(0);
    expect(datagrams.length).toBeGreaterThan(3);
    const ids: string[] = [];
    for (const datagram of datagrams) {
      expect(datagram.length).toBeLessThanOrEqual(MAX_DATAGRAM_BYTES);
      const text = datagram.toString('utf8');
      ids.push(...decodeOtlpProtobuf(Buffer.from(text.slice(text.indexOf('\n') + 4), 'base64')).map((s) => s.spanId));
    }
    expect(ids.sort()).toEqual(spans.map((s) => s.spanContext().spanId).sort());
  });

  it('a span larger than a datagram is left out and counted', async () => {
    const spans = await makeSpans(3, 70_000);
    const { datagrams, dropped } = toDatagrams(spans);
    expect(dropped).toBe(2);
    expect(datagrams).toHaveLength(1);
  });
});
