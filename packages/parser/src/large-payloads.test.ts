import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { formatPointer, POINTER_CLASS, parsePointer, s3Payloads } from './entry/large-payloads.js';
import {
  hasLargePayloads,
  LargePayloadError,
  type PayloadStore,
  resolveLargePayloads,
  sns,
  snsInSqs,
  sqs,
} from './index.js';

// A store that counts what it is asked: the fault paths of resolution, without S3 (the S3 side is
// tested against a real S3-compatible server in test/large-payloads.test.ts).
function store(payloads: Record<string, string>, deleteAfterSuccess = false) {
  const fetched: string[] = [];
  const s: PayloadStore = {
    deleteAfterSuccess,
    fetch: vi.fn(async ({ key }: { key: string }) => {
      fetched.push(key);
      if (!(key in payloads)) throw new LargePayloadError('PARSER_PAYLOAD_MISSING', `no ${key}`, { key });
      return payloads[key]!;
    }) as PayloadStore['fetch'],
    remove: vi.fn(async () => {}),
  };
  return { store: s, fetched };
}

const record = (body: string, attributes: Record<string, unknown> = {}) => ({
  messageId: `m-${body.length}`,
  body,
  messageAttributes: attributes,
});
const marker = { ExtendedPayloadSize: { stringValue: '10', dataType: 'Number' } };

describe('the extended clients’ pointer format', () => {
  it('writes and reads the pointer, and reads nothing else as one', () => {
    const body = formatPointer({ bucket: 'b', key: 'k/1' });
    expect(body).toBe(`["${POINTER_CLASS}",{"s3BucketName":"b","s3Key":"k/1"}]`);
    expect(parsePointer(body)).toEqual({ bucket: 'b', key: 'k/1' });
    expect(parsePointer('["com.amazon.sqs.javamessaging.MessageS3Pointer",{"s3BucketName":"b","s3Key":"k"}]')).toEqual({
      bucket: 'b',
      key: 'k',
    });
    for (const bad of [
      '{"s3BucketName":"b","s3Key":"k"}',
      '["other.Class",{"s3BucketName":"b","s3Key":"k"}]',
      `["${POINTER_CLASS}",{"s3BucketName":"","s3Key":"k"}]`,
      `["${POINTER_CLASS}",{"s3BucketName":"b"}]`,
      `["${POINTER_CLASS}",null]`,
      `["${POINTER_CLASS}",{"s3BucketName":"b","s3Key":"k"},3]`,
      '[not json',
      `["${POINTER_CLASS}",{"s3BucketName":"b","s3Key":"${'k'.repeat(5000)}"}]`,
    ]) {
      expect(parsePointer(bad), bad.slice(0, 60)).toBeUndefined();
    }
  });
});

describe('resolveLargePayloads()', () => {
  const Body = z.object({ n: z.number() });

  it('fetches only records marked as pointers; the event is untouched when none is', async () => {
    const { store: s, fetched } = store({ k1: '{"n":1}' });
    const schema = sqs(Body, { largePayloads: s });
    expect(hasLargePayloads(schema)).toBe(true);
    expect(hasLargePayloads(sqs(Body))).toBe(false);
    const plain = { Records: [record('{"n":0}')] };
    const untouched = await resolveLargePayloads(schema, plain);
    expect(untouched.event).toBe(plain);
    const event = {
      Records: [record('{"n":0}'), record(formatPointer({ bucket: 'b', key: 'k1' }), { ...marker, t: 1 })],
    };
    const out = await resolveLargePayloads(schema, event);
    expect(fetched).toEqual(['k1']);
    expect(out.event.Records[1]).toEqual({
      messageId: event.Records[1]!.messageId,
      body: '{"n":1}',
      messageAttributes: { t: 1 },
    });
    expect(event.Records[1]!.body).toContain('S3Pointer'); // a copy: the caller's event is not changed
    expect(out.pointers).toEqual(new Map([[1, { bucket: 'b', key: 'k1' }]]));
  });

  it('reports a marked record whose body is not a pointer, or whose payload is missing, by index', async () => {
    const { store: s } = store({});
    const event = {
      Records: [record('not a pointer', marker), record(formatPointer({ bucket: 'b', key: 'gone' }), marker)],
    };
    const out = await resolveLargePayloads(sqs(Body, { largePayloads: s }), event);
    expect([...out.failures.entries()].map(([i, e]) => [i, e.code, e.recordIndex])).toEqual([
      [0, 'PARSER_PAYLOAD_POINTER_INVALID', 0],
      [1, 'PARSER_PAYLOAD_MISSING', 1],
    ]);
    expect(out.failures.get(1)?.message).toBe('Record 1: no gone');
  });

  it('deletes only the payloads of the records named, and only when the store says so', async () => {
    const keep = store({ a: '{"n":1}', b: '{"n":2}' });
    const drop = store({ a: '{"n":1}', b: '{"n":2}' }, true);
    const event = {
      Records: [
        record(formatPointer({ bucket: 'x', key: 'a' }), marker),
        record(formatPointer({ bucket: 'x', key: 'b' }), marker),
      ],
    };
    await (await resolveLargePayloads(sqs(Body, { largePayloads: keep.store }), event)).removeAfterSuccess([0, 1]);
    expect(keep.store.remove).not.toHaveBeenCalled();
    await (await resolveLargePayloads(sqs(Body, { largePayloads: drop.store }), event)).removeAfterSuccess([1]);
    expect(drop.store.remove).toHaveBeenCalledExactlyOnceWith({ bucket: 'x', key: 'b' });
  });

  it('reads the pointer of an SNS record and of an SNS envelope in an SQS body', async () => {
    const { store: s } = store({ k: '{"n":7}' });
    const attributes = { ExtendedPayloadSize: { Type: 'Number', Value: '7' }, keep: { Type: 'String', Value: 'v' } };
    const snsEvent = {
      Records: [{ Sns: { Message: formatPointer({ bucket: 'b', key: 'k' }), MessageAttributes: attributes } }],
    };
    const out = await resolveLargePayloads(sns(Body, { largePayloads: s }), snsEvent);
    expect(out.event.Records[0]!.Sns).toEqual({ Message: '{"n":7}', MessageAttributes: { keep: attributes.keep } });
    const envelope = {
      Type: 'Notification',
      Message: formatPointer({ bucket: 'b', key: 'k' }),
      MessageAttributes: attributes,
    };
    const inSqs = await resolveLargePayloads(snsInSqs(Body, { largePayloads: s }), {
      Records: [record(JSON.stringify(envelope))],
    });
    expect(JSON.parse(inSqs.event.Records[0]!.body)).toEqual({
      ...envelope,
      Message: '{"n":7}',
      MessageAttributes: { keep: attributes.keep },
    });
  });

  it('refuses a largePayloads option that is not a store, and s3Payloads() options that are wrong', () => {
    expect(() => sqs(Body, { largePayloads: {} as never })).toThrow('sqs({ largePayloads }): expected a payload store');
    expect(() => s3Payloads({ client: {} as never })).toThrow('s3Payloads({ client }): expected an S3Client');
    const client = { send: async () => ({}) } as never;
    expect(() => s3Payloads({ client, deleteAfterSuccess: 'yes' as never })).toThrow('deleteAfterSuccess');
    expect(() => s3Payloads({ client, buckets: [''] })).toThrow('s3Payloads({ buckets })');
  });
});
