import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { events, safeParseEvent } from '@lambdakit/parser';
import { describe, expect, it } from 'vitest';
import { eventSources, sampleEvent } from './sample-event.js';

const batchSources = ['sqs', 'sns', 's3', 'kinesis', 'dynamodb-stream', 'firehose', 'ses'] as const;
const catalogueDir = new URL('../events/', import.meta.url);
const catalogue = (source: string) =>
  JSON.parse(readFileSync(new URL(`${source}.json`, catalogueDir), 'utf8')) as Record<string, Record<string, any>>;
const firstOf = (source: string) => Object.values(catalogue(source))[0]!;

describe('the catalogue, events/<source>.json', () => {
  it('has one file per source of the events registry', () => {
    const files = readdirSync(catalogueDir).map((file) => file.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(Object.keys(events).sort());
  });

  describe.each(eventSources)('%s', (source) => {
    it.each(Object.keys(catalogue(source)))('%s parses with the registry schema', (variant) => {
      const result = safeParseEvent(events[source], catalogue(source)[variant]);
      expect(result.success ? 'ok' : result.error.message).toBe('ok');
    });
  });
});

describe('sampleEvent(source, options)', () => {
  it('covers every source of the events registry', () => {
    expect([...eventSources].sort()).toEqual(Object.keys(events).sort());
  });

  describe.each(eventSources)('%s', (source) => {
    it.each([1, 3])('with %i record(s) parses with the registry schema', (records) => {
      const event = sampleEvent(source, { records });
      const result = safeParseEvent(events[source], JSON.parse(JSON.stringify(event)));
      expect(result.success ? 'ok' : result.error.message).toBe('ok');
    });
  });

  it.each(batchSources)('%s: honours the record count', (source) => {
    const list = (event: unknown) =>
      (event as { Records?: unknown[]; records?: unknown[] }).Records ?? (event as { records: unknown[] }).records;
    expect(list(sampleEvent(source))).toHaveLength(1);
    expect(list(sampleEvent(source, { records: 3 }))).toHaveLength(3);
    expect(list(sampleEvent(source, { records: 0 }))).toHaveLength(0);
  });

  it('gives each record of a batch its own identifier', () => {
    const ids = sampleEvent('sqs', { records: 3 }).Records.map((record) => record.messageId);
    expect(new Set(ids).size).toBe(3);
    const sequence = sampleEvent('dynamodb-stream', { records: 3 }).Records.map(
      (record) => record.dynamodb.SequenceNumber,
    );
    expect(new Set(sequence).size).toBe(3);
  });

  it('gives record n the payload { orderId: "order-<n>", quantity: n }', () => {
    const bodies = sampleEvent('sqs', { records: 2 }).Records.map((record) => JSON.parse(record.body));
    expect(bodies).toEqual([
      { orderId: 'order-1', quantity: 1 },
      { orderId: 'order-2', quantity: 2 },
    ]);
    expect(JSON.parse(sampleEvent('apigw-http').body!)).toEqual({ orderId: 'order-1', quantity: 1 });
  });

  it('honours the count for Kafka and CloudWatch Logs too', () => {
    const kafka = sampleEvent('kafka', { records: 3 }) as unknown as { records: Record<string, unknown[]> };
    expect(Object.values(kafka.records).map((list) => list.length)).toEqual([3]);
    const logs = sampleEvent('cloudwatch-logs', { records: 3 }) as unknown as { awslogs: { data: string } };
    const data = JSON.parse(gunzipSync(Buffer.from(logs.awslogs.data, 'base64')).toString('utf8'));
    expect(data.logEvents).toHaveLength(3);
  });

  it('takes everything but identifiers and payloads from the catalogue’s first event', () => {
    expect(sampleEvent('cfn-custom-resource')).toEqual(firstOf('cfn-custom-resource'));
    const { messageId: _id, body: _body, md5OfBody: _md5, ...rest } = firstOf('sqs').Records[0];
    expect(sampleEvent('sqs', { records: 2 }).Records).toEqual([
      expect.objectContaining(rest),
      expect.objectContaining(rest),
    ]);
  });

  it('is deterministic', () => {
    expect(sampleEvent('sqs', { records: 2 })).toEqual(sampleEvent('sqs', { records: 2 }));
  });

  it('hands out a new copy every time, so a test that changes its event changes no other', () => {
    const first = sampleEvent('apigw-rest');
    first.requestContext.identity.sourceIp = '10.9.9.9';
    (first.headers as Record<string, string>)['x-changed'] = 'yes';
    const second = sampleEvent('apigw-rest');
    expect(second.requestContext.identity.sourceIp).not.toBe('10.9.9.9');
    expect(second.headers).not.toHaveProperty('x-changed');
  });

  it('rejects an unknown source or a bad record count', () => {
    expect(() => sampleEvent('nope' as never)).toThrow(TypeError);
    expect(() => sampleEvent('sqs', { records: -1 })).toThrow(TypeError);
    expect(() => sampleEvent('sqs', { records: 1.5 })).toThrow(TypeError);
  });
});
