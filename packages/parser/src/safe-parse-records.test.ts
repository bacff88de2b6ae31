import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { dynamodbStreamEvents, firehoseEvents, kinesisEvents, sqsEvents } from '../test/catalogue.js';
import { dynamodbStream } from './dynamodb-stream.js';
import { events } from './events.js';
import { firehose } from './firehose.js';
import { kinesis } from './kinesis.js';
import { ParseError } from './parse-error.js';
import { safeParseRecords } from './safe-parse-records.js';
import { sqs } from './sqs.js';

const Order = z.object({ orderId: z.string(), quantity: z.number() });
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('safeParseRecords(schema, event)', () => {
  it('returns valid SQS records and failures keyed by messageId, in batch order', () => {
    const event = wire(sqsEvents[1]) as { Records: { body: string }[] };
    event.Records.push({ ...event.Records[1]!, messageId: 'bad-1', body: '{"orderId": 3}' } as never);
    event.Records[0]!.body = 'not json';
    const { records, failures } = safeParseRecords(sqs(Order), event);
    expect(records.map((r) => [r.index, r.itemIdentifier, r.record.body])).toEqual([
      [1, '2e1424d4-f796-459a-8184-9c92662be6da', { orderId: 'o-3', quantity: 5 }],
    ]);
    expect(failures.map((f) => [f.index, f.itemIdentifier])).toEqual([
      [0, '11d6ee51-4cc7-4302-9e22-7cd8afdaadf5'],
      [2, 'bad-1'],
    ]);
    expect(failures[1]?.error).toBeInstanceOf(ParseError);
    expect(failures[1]?.error).toMatchObject({ source: 'sqs', recordIndex: 2 });
    expect(failures[1]?.error.paths).toEqual(['Records[2].body.orderId', 'Records[2].body.quantity']);
  });

  it('reports a record that is not even an SQS record, if it has a messageId', () => {
    const event = wire(sqsEvents[0]) as { Records: unknown[] };
    event.Records.push({ messageId: 'm-2' });
    const { failures } = safeParseRecords(events.sqs, event);
    expect(failures.map((f) => f.itemIdentifier)).toEqual(['m-2']);
  });

  it('keys Kinesis failures by sequence number', () => {
    const event = wire(kinesisEvents[0]) as { Records: { kinesis: { data: string } }[] };
    event.Records[0]!.kinesis.data = '!!';
    const { records, failures } = safeParseRecords(kinesis(Order), event);
    expect(records).toEqual([]);
    expect(failures[0]?.itemIdentifier).toBe('49590338271490256608559692538361571095921575989136588898');
  });

  it('keys DynamoDB Streams failures by SequenceNumber', () => {
    const event = wire(dynamodbStreamEvents[0]) as { Records: { dynamodb: Record<string, unknown> }[] };
    event.Records[0]!.dynamodb.NewImage = { orderId: { N: '1' } };
    const { records, failures } = safeParseRecords(dynamodbStream(z.looseObject({ orderId: z.string() })), event);
    expect(failures.map((f) => f.itemIdentifier)).toEqual(['4421584500000000017450439091']);
    expect(records.map((r) => r.record.dynamodb.NewImage?.orderId)).toEqual(['o-2']);
  });

  it('keys Firehose failures by recordId', () => {
    const event = wire(firehoseEvents[0]) as { records: { data: string }[] };
    event.records[0]!.data = Buffer.from('[]').toString('base64');
    const { failures } = safeParseRecords(firehose(Order), event);
    expect(failures[0]?.itemIdentifier).toBe('49546986683135544286507457936321625675700192471156785154');
    expect(failures[0]?.error.paths).toEqual(['records[0].data']);
  });

  it.each([
    ['{}', {}],
    ['null', null],
    ['an array', []],
    ['Records that is not an array', { Records: 'x' }],
  ])('throws a ParseError for %s: there is no record to report', (_, event) => {
    expect(() => safeParseRecords(events.sqs, event)).toThrow(ParseError);
  });

  it('throws when a failing record has no item identifier, since Lambda must retry the whole batch', () => {
    const event = wire(sqsEvents[0]) as { Records: unknown[] };
    event.Records.push({ body: 'x' }, null);
    expect(() => safeParseRecords(events.sqs, event)).toThrow(expect.objectContaining({ recordIndex: 1 }));
  });

  it('refuses a schema it did not build, as a programming error', () => {
    expect(() => safeParseRecords(z.object({ Records: z.array(z.unknown()) }), { Records: [] })).toThrow(TypeError);
  });
});
