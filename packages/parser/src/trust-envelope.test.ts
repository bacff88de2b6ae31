import { describe, expect, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { catalogue } from '../test/catalogue.js';
import { alb } from './alb.js';
import { apigwHttp } from './apigw-http.js';
import { apigwRest } from './apigw-rest.js';
import { schemaSource } from './event-source.js';
import { firehose } from './firehose.js';
import { kinesis } from './kinesis.js';
import { lambdaUrl } from './lambda-url.js';
import type { EnvelopeOptions } from './limits.js';
import { parseEvent, safeParseEvent } from './parse-event.js';
import { safeParseRecords } from './safe-parse-records.js';
import { sns } from './sns.js';
import { snsInSqs } from './sns-in-sqs.js';
import { sqs } from './sqs.js';

const Order = z.object({ orderId: z.string(), quantity: z.number().int().positive() });
type Event = Record<string, any>;
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));
const b64 = (text: string) => Buffer.from(text).toString('base64');

interface Case {
  name: string;
  helper: (Body: typeof Order, options?: EnvelopeOptions) => z.ZodType;
  /** A catalogue event with its payload(s) set to `text`. */
  event: (text: string) => Event;
  /** Breaks a field of the envelope (not the payload, not the path to it). */
  breakEnvelope: (event: Event) => void;
  /** Where an invalid payload is reported. */
  payloadPath: PropertyKey[];
}

const sqsRecordsWith = (text: string) => {
  const event = wire(catalogue.sqs[1]!);
  for (const record of event.Records) record.body = text;
  return event;
};

const cases: Case[] = [
  {
    name: 'apigwHttp',
    helper: apigwHttp,
    event: (text) => ({ ...wire(catalogue['apigw-http'][0]!), body: text, isBase64Encoded: false }),
    breakEnvelope: (e) => {
      e.requestContext = 'not an object';
    },
    payloadPath: ['body', 'quantity'],
  },
  {
    name: 'apigwHttp, base64 body',
    helper: apigwHttp,
    event: (text) => ({ ...wire(catalogue['apigw-http'][0]!), body: b64(text), isBase64Encoded: true }),
    breakEnvelope: (e) => {
      e.version = 7;
    },
    payloadPath: ['body', 'quantity'],
  },
  {
    name: 'apigwRest',
    helper: apigwRest,
    event: (text) => ({ ...wire(catalogue['apigw-rest'][0]!), body: text, isBase64Encoded: false }),
    breakEnvelope: (e) => {
      e.httpMethod = 42;
    },
    payloadPath: ['body', 'quantity'],
  },
  {
    name: 'alb',
    helper: alb,
    event: (text) => ({ ...wire(catalogue.alb[0]!), body: text, isBase64Encoded: false }),
    breakEnvelope: (e) => {
      e.requestContext = null;
    },
    payloadPath: ['body', 'quantity'],
  },
  {
    name: 'lambdaUrl',
    helper: lambdaUrl,
    event: (text) => ({ ...wire(catalogue['lambda-url'][0]!), body: text, isBase64Encoded: false }),
    breakEnvelope: (e) => {
      e.rawPath = ['x'];
    },
    payloadPath: ['body', 'quantity'],
  },
  {
    name: 'sqs',
    helper: sqs,
    event: sqsRecordsWith,
    breakEnvelope: (e) => {
      e.Records[1].attributes = 'none';
    },
    payloadPath: ['Records', 0, 'body', 'quantity'],
  },
  {
    name: 'sns',
    helper: sns,
    event: (text) => {
      const event = wire(catalogue.sns[0]!);
      for (const record of event.Records) record.Sns.Message = text;
      return event;
    },
    breakEnvelope: (e) => {
      e.Records[0].EventSource = 'aws:sqs';
    },
    payloadPath: ['Records', 0, 'Sns', 'Message', 'quantity'],
  },
  {
    name: 'snsInSqs',
    helper: snsInSqs,
    event: (text) => {
      const notification = JSON.parse(catalogue.sqs[2]!.Records[0].body);
      return sqsRecordsWith(JSON.stringify({ ...notification, Message: text }));
    },
    breakEnvelope: (e) => {
      e.Records[0].md5OfBody = 5;
    },
    payloadPath: ['Records', 0, 'body', 'Message', 'quantity'],
  },
  {
    name: 'kinesis',
    helper: kinesis,
    event: (text) => {
      const event = wire(catalogue.kinesis[0]!);
      for (const record of event.Records) record.kinesis.data = b64(text);
      return event;
    },
    breakEnvelope: (e) => {
      e.Records[0].kinesis.partitionKey = {};
    },
    payloadPath: ['Records', 0, 'kinesis', 'data', 'quantity'],
  },
  {
    name: 'firehose',
    helper: firehose,
    event: (text) => {
      const event = wire(catalogue.firehose[0]!);
      for (const record of event.records) record.data = b64(text);
      return event;
    },
    breakEnvelope: (e) => {
      e.records[0].approximateArrivalTimestamp = 'yesterday';
    },
    payloadPath: ['records', 0, 'data', 'quantity'],
  },
];

const good = JSON.stringify({ orderId: 'o-1', quantity: 2 });
const bad = JSON.stringify({ orderId: 'o-1', quantity: -1 });

describe("payload helpers with { envelope: 'trust' }", () => {
  it.each(cases)('$name: the same result as the validated default on an event from AWS', ({ helper, event }) => {
    const trusted = parseEvent(helper(Order, { envelope: 'trust' }), event(good));
    const validated = parseEvent(helper(Order), event(good));
    expect(trusted).toEqual(validated);
    expect(schemaSource(helper(Order, { envelope: 'trust' }))).toEqual(schemaSource(helper(Order)));
  });

  it.each(cases)(
    '$name: the payload is still validated, with the same issue and path',
    ({ helper, event, payloadPath }) => {
      const trusted = safeParseEvent(helper(Order, { envelope: 'trust' }), event(bad));
      const validated = safeParseEvent(helper(Order), event(bad));
      expect(trusted.success).toBe(false);
      expect(validated.success).toBe(false);
      if (trusted.success || validated.success) return;
      expect(trusted.error.issues[0]?.path).toEqual(payloadPath);
      expect(trusted.error.issues).toEqual(validated.error.issues);
      expect(safeParseEvent(helper(Order, { envelope: 'trust' }), event('{"orderId": ')).success).toBe(false);
    },
  );

  it.each(cases)(
    '$name: a broken envelope field passes through unchecked (validated by default)',
    ({ helper, event, breakEnvelope }) => {
      const broken = event(good);
      breakEnvelope(broken);
      expect(safeParseEvent(helper(Order), broken).success).toBe(false);
      const trusted = safeParseEvent(helper(Order, { envelope: 'trust' }), broken);
      expect(trusted.success).toBe(true);
    },
  );

  it.each(cases)('$name: the limits still hold', ({ helper, event }) => {
    const schema = helper(Order, { envelope: 'trust', limits: { maxBodyBytes: 8 } });
    const result = safeParseEvent(schema, event(good));
    expect(result.success).toBe(false);
  });

  it.each(cases)('$name: a bad envelope option is a TypeError naming the door', ({ name, helper }) => {
    const door = name.split(',')[0]!;
    expect(() => helper(Order, { envelope: 'yes' as never })).toThrow(
      new TypeError(`${door}({ envelope }): expected 'validate' or 'trust', got "yes"`),
    );
    expect(() => helper(Order, { envelope: 'validate' })).not.toThrow();
  });

  it('keeps the path to the payload checked: records that are not objects, a missing body', () => {
    const schema = sqs(Order, { envelope: 'trust' });
    expect(safeParseEvent(schema, { Records: 'x' }).success).toBe(false);
    expect(safeParseEvent(schema, { Records: [] }).success).toBe(false);
    expect(safeParseEvent(schema, { Records: [{ messageId: 'm' }] }).success).toBe(false);
    expect(safeParseEvent(apigwHttp(Order, { envelope: 'trust' }), 'not an event').success).toBe(false);
  });

  it('fails only the bad record of a batch, named by its id, as the validated default does', () => {
    const event = sqsRecordsWith(good);
    event.Records[1].body = bad;
    const trusted = safeParseRecords(sqs(Order, { envelope: 'trust' }), event);
    const validated = safeParseRecords(sqs(Order), event);
    expect(trusted).toEqual(validated);
    expect(trusted.failures.map((f) => f.itemIdentifier)).toEqual([event.Records[1].messageId]);
  });

  it('types the event the same way in both modes', () => {
    const trusted = sqs(Order, { envelope: 'trust' });
    const validated = sqs(Order);
    expectTypeOf<z.output<typeof trusted>>().toEqualTypeOf<z.output<typeof validated>>();
    const http = apigwHttp(Order, { envelope: 'trust' });
    expectTypeOf<z.output<typeof http>>().toEqualTypeOf<z.output<ReturnType<typeof apigwHttp<typeof Order>>>>();
    expectTypeOf<z.output<typeof http>['requestContext']['http']['method']>().toEqualTypeOf<string>();
    expectTypeOf<z.output<typeof trusted>['Records'][number]['body']['quantity']>().toEqualTypeOf<number>();
  });
});
