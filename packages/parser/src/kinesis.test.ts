import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { firehoseEvents, kinesisEvents } from '../test/catalogue.js';
import { firehose } from './firehose.js';
import { kinesis } from './kinesis.js';
import { parseEvent, safeParseEvent } from './parse-event.js';

const Order = z.object({ orderId: z.string(), quantity: z.number() });
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('kinesis(Data)', () => {
  it('decodes each record’s base64 data as JSON and validates it', () => {
    const event = parseEvent(kinesis(Order), wire(kinesisEvents[1]));
    expect(event.Records[0]?.kinesis.data).toEqual({ orderId: 'o-2', quantity: 1 });
    expect(event.window?.start).toBe('2020-07-30T17:00:00Z');
  });

  it('rejects data that is not canonical base64 rather than decoding garbage', () => {
    const event = wire(kinesisEvents[0]) as { Records: { kinesis: { data: string } }[] };
    event.Records[0]!.kinesis.data = 'eyJvcmRlcklkIjoiby0xIn0=!';
    const result = safeParseEvent(kinesis(Order), event);
    expect(!result.success && result.error.issues[0]).toMatchObject({
      path: ['Records', 0, 'kinesis', 'data'],
      reason: 'invalid_base64',
    });
  });

  it('rejects base64 of something that is not JSON', () => {
    const event = wire(kinesisEvents[0]) as { Records: { kinesis: { data: string } }[] };
    event.Records[0]!.kinesis.data = Buffer.from('hello').toString('base64');
    const result = safeParseEvent(kinesis(Order), event);
    expect(!result.success && result.error.issues[0]?.reason).toBe('invalid_json');
  });
});

describe('firehose(Data)', () => {
  it('decodes each record’s data and keeps the Kinesis metadata', () => {
    const event = parseEvent(firehose(Order), wire(firehoseEvents[1]));
    expect(event.records[0]?.data).toEqual({ orderId: 'o-2', quantity: 5 });
    expect(event.records[0]?.kinesisRecordMetadata?.shardId).toBe('shardId-000000000000');
  });

  it('reports data failing the schema at records[i].data', () => {
    const event = wire(firehoseEvents[0]) as { records: { data: string }[] };
    event.records[0]!.data = Buffer.from('{"orderId":1}').toString('base64');
    const result = safeParseEvent(firehose(Order), event);
    expect(!result.success && result.error.paths).toEqual(['records[0].data.orderId', 'records[0].data.quantity']);
    expect(!result.success && result.error.recordIndex).toBe(0);
  });
});
