import { createSocket } from 'node:dgram';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalOtlpReceiver, startLocalOtlpReceiver } from './local-otlp-receiver.js';
import { type LocalXrayDaemon, startLocalXrayDaemon } from './local-xray-daemon.js';

const HEADER = '{"format":"json","version":1}\n';
const span = {
  traceId: '5759e988bd862e3fe1be46a994272793',
  spanId: '53995c3f42cd8ad8',
  name: 'op',
  kind: 2,
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '1700000000100000000',
  attributes: [
    { key: 'a', value: { stringValue: 'x' } },
    { key: 'n', value: { intValue: '7' } },
    { key: 'l', value: { arrayValue: { values: [{ boolValue: true }] } } },
  ],
  status: { code: 2, message: 'boom' },
};
const request = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
      scopeSpans: [{ scope: { name: 'scope' }, spans: [span] }],
    },
  ],
};

describe('startLocalOtlpReceiver()', () => {
  let receiver: LocalOtlpReceiver;
  beforeAll(async () => {
    receiver = await startLocalOtlpReceiver();
  });
  afterAll(() => receiver.close());
  const post = (body: string | Uint8Array, headers: Record<string, string>, path = '/v1/traces') =>
    fetch(`${receiver.endpoint}${path}`, { method: 'POST', body, headers });

  it('decodes OTLP/JSON, gzip or not, into plain spans', async () => {
    receiver.clear();
    const json = JSON.stringify(request);
    expect((await post(json, { 'content-type': 'application/json' })).status).toBe(200);
    const zipped = await post(gzipSync(json), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    const [first] = receiver.spans();
    expect(receiver.spans()).toHaveLength(2);
    expect(first).toMatchObject({
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: undefined,
      name: 'op',
      kind: 2,
      attributes: { a: 'x', n: 7, l: [true] },
      status: { code: 2, message: 'boom' },
      resource: { 'service.name': 'svc' },
      scope: 'scope',
    });
    expect(first!.endTimeUnixNano - first!.startTimeUnixNano).toBe(100_000_000n);
  });

  it('answers what a collector answers to a bad request, and logs each', async () => {
    receiver.clear();
    expect((await post('{not json', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await post(new Uint8Array([0xff, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' })).status).toBe(
      400,
    );
    expect((await post('x', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('{}', { 'content-type': 'application/json' }, '/v1/logs')).status).toBe(404);
    expect(receiver.spans()).toEqual([]);
    expect(receiver.requests().map((r) => r.status)).toEqual([400, 400, 415, 404]);
  });

  it('fail() and pause() stand in for a collector that refuses or does not answer', async () => {
    receiver.fail(503, 1);
    expect((await post('{}', { 'content-type': 'application/json' })).status).toBe(503);
    expect((await post('{}', { 'content-type': 'application/json' })).status).toBe(200);
    receiver.pause();
    let answered = false;
    const pending = post('{}', { 'content-type': 'application/json' }).then((r) => {
      answered = true;
      return r.status;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    receiver.resume();
    expect(await pending).toBe(200);
  });

  it('refuses bad options', async () => {
    await expect(startLocalOtlpReceiver({ port: -1 })).rejects.toThrow('startLocalOtlpReceiver({ port })');
  });
});

describe('startLocalXrayDaemon()', () => {
  let daemon: LocalXrayDaemon;
  const socket = createSocket('udp4');
  beforeAll(async () => {
    daemon = await startLocalXrayDaemon();
  });
  afterAll(async () => {
    socket.close();
    await daemon.close();
  });
  const send = (text: string) =>
    new Promise<void>((resolve, reject) =>
      socket.send(Buffer.from(text), daemon.port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    );
  /** Datagrams on loopback arrive in order: a last, valid one marks that the others were read. */
  const settle = async () => {
    const before = daemon.segments().length;
    await send(`${HEADER}{"marker":true}`);
    while (daemon.segments().length === before) await new Promise((resolve) => setImmediate(resolve));
  };

  it('keeps segment documents and rejects what the daemon cannot read, saying why', async () => {
    daemon.clear();
    await send(`${HEADER}{"name":"seg","id":"53995c3f42cd8ad8"}`);
    await send('no header');
    await send(`${HEADER}T1S!!!not base64 protobuf`);
    await send(`${HEADER}[1,2]x`);
    await settle();
    expect(daemon.segments()[0]).toEqual({ name: 'seg', id: '53995c3f42cd8ad8' });
    expect(daemon.rejected().map((r) => r.reason)).toEqual([
      'no {"format":"json","version":1} header line',
      expect.stringMatching(/^not an OTLP ExportTraceServiceRequest/),
      'neither T1S/T1U nor a JSON segment document',
    ]);
    expect(daemon.spans()).toEqual([]);
  });

  it('waitForSpans() names how many arrived when too few do', async () => {
    daemon.clear();
    await expect(daemon.waitForSpans(1, 50)).rejects.toThrow('expected 1 span(s) within 50 ms, got 0');
  });

  it('env names the address as Lambda does', () => {
    expect(daemon.env).toEqual({ AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}` });
  });
});
