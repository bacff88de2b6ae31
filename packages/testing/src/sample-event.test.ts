import { events, safeParseEvent } from '@lambdakit/parser';
import { describe, expect, it } from 'vitest';
import { eventSources, sampleEvent } from './sample-event.js';

const batchSources = ['sqs', 'sns', 's3', 'kinesis', 'dynamodb-stream', 'firehose', 'ses'] as const;

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
  });

  it('gives each record of a batch its own identifier', () => {
    const ids = sampleEvent('sqs', { records: 3 }).Records.map((record) => record.messageId);
    expect(new Set(ids).size).toBe(3);
    const sequence = sampleEvent('dynamodb-stream', { records: 3 }).Records.map(
      (record) => record.dynamodb.SequenceNumber,
    );
    expect(new Set(sequence).size).toBe(3);
  });

  it('honours the count for Kafka and CloudWatch Logs too', () => {
    expect(sampleEvent('kafka', { records: 3 }).records['orders-0']).toHaveLength(3);
  });

  it('is deterministic', () => {
    expect(sampleEvent('sqs', { records: 2 })).toEqual(sampleEvent('sqs', { records: 2 }));
  });

  it('rejects an unknown source or a bad record count', () => {
    expect(() => sampleEvent('nope' as never)).toThrow(TypeError);
    expect(() => sampleEvent('sqs', { records: -1 })).toThrow(TypeError);
    expect(() => sampleEvent('sqs', { records: 1.5 })).toThrow(TypeError);
  });
});
