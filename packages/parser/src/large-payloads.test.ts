import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { formatPointer, POINTER_CLASS, parsePointer, s3Payloads } from './entry/large-payloads.js';
import {
  clearLargePayloads,
  hasLargePayloads,
  LargePayloadError,
  type PayloadStore,
  parseEvent,
  resolveLargePayload,
  resolveLargePayloads,
  safeParseRecords,
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
    remove: vi.fn(async () => []) as PayloadStore['remove'],
  };
  return { store: s, fetched };
}

let ids = 0;
const record = (body: string, attributes: Record<string, unknown> = {}) => ({
  messageId: `m-${++ids}`,
  body,
  messageAttributes: attributes,
});

function captureWarnings() {
  const codes: unknown[] = [];
  const messages: string[] = [];
  const spy = vi.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error, options?: unknown) => {
    messages.push(String(warning));
    codes.push((options as { code?: unknown } | undefined)?.code);
  });
  return { codes, messages, stop: () => spy.mockRestore() };
}

afterEach(() => {
  vi.restoreAllMocks();
});
const marker = { ExtendedPayloadSize: { stringValue: '10', dataType: 'Number' } };

describe('the extended clients’ pointer format', () => {
  it('writes and reads the pointer, and reads nothing else as one', () => {
    const body = formatPointer({ bucket: 'bkt', key: 'k/1' });
    expect(body).toBe(`["${POINTER_CLASS}",{"s3BucketName":"bkt","s3Key":"k/1"}]`);
    expect(parsePointer(body)).toEqual({ bucket: 'bkt', key: 'k/1' });
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

const Body = z.object({ n: z.number() });

describe('resolveLargePayloads()', () => {
  it('fetches only records marked as pointers; the event is untouched when none is', async () => {
    const { store: s, fetched } = store({ k1: '{"n":1}' });
    const schema = sqs(Body, { largePayloads: s });
    expect(hasLargePayloads(schema)).toBe(true);
    expect(hasLargePayloads(sqs(Body))).toBe(false);
    const plain = { Records: [record('{"n":0}')] };
    const untouched = await resolveLargePayloads(schema, plain);
    expect(untouched.event).toBe(plain);
    const event = {
      Records: [record('{"n":0}'), record(formatPointer({ bucket: 'bkt', key: 'k1' }), { ...marker, t: 1 })],
    };
    const out = await resolveLargePayloads(schema, event);
    expect(fetched).toEqual(['k1']);
    expect(out.event.Records[1]).toEqual({
      messageId: event.Records[1]!.messageId,
      body: '{"n":1}',
      messageAttributes: { t: 1 },
    });
    expect(event.Records[1]!.body).toContain('S3Pointer'); // a copy: the caller's event is not changed
    expect(out.pointers).toEqual(new Map([[1, { bucket: 'bkt', key: 'k1' }]]));
  });

  it('reports a marked record whose body is not a pointer, or whose payload is missing, by index', async () => {
    const { store: s } = store({});
    const event = {
      Records: [record('not a pointer', marker), record(formatPointer({ bucket: 'bkt', key: 'gone' }), marker)],
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
        record(formatPointer({ bucket: 'xyz', key: 'a' }), marker),
        record(formatPointer({ bucket: 'xyz', key: 'b' }), marker),
      ],
    };
    await (await resolveLargePayloads(sqs(Body, { largePayloads: keep.store }), event)).removeAfterSuccess([0, 1]);
    expect(keep.store.remove).not.toHaveBeenCalled();
    await (await resolveLargePayloads(sqs(Body, { largePayloads: drop.store }), event)).removeAfterSuccess([1]);
    expect(drop.store.remove).toHaveBeenCalledExactlyOnceWith([{ bucket: 'xyz', key: 'b' }], {
      signal: expect.any(AbortSignal),
    });
  });

  it('reads the pointer of an SNS record and of an SNS envelope in an SQS body', async () => {
    const { store: s } = store({ k: '{"n":7}' });
    const attributes = { ExtendedPayloadSize: { Type: 'Number', Value: '7' }, keep: { Type: 'String', Value: 'v' } };
    const snsEvent = {
      Records: [{ Sns: { Message: formatPointer({ bucket: 'bkt', key: 'k' }), MessageAttributes: attributes } }],
    };
    const out = await resolveLargePayloads(sns(Body, { largePayloads: s }), snsEvent);
    expect(out.event.Records[0]!.Sns).toEqual({ Message: '{"n":7}', MessageAttributes: { keep: attributes.keep } });
    const envelope = {
      Type: 'Notification',
      Message: formatPointer({ bucket: 'bkt', key: 'k' }),
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
    expect(() => s3Payloads({ client, buckets: ['arn:aws:s3:us-east-1:123456789012:accesspoint/ap'] })).toThrow(
      's3Payloads({ buckets })',
    );
    // Deleting needs the buckets named: a sender could otherwise point the function at any object.
    expect(() => s3Payloads({ client, deleteAfterSuccess: true })).toThrow('needs buckets');
    expect(s3Payloads({ client, deleteAfterSuccess: true, buckets: ['payloads'] }).deleteAfterSuccess).toBe(true);
  });

  it('refuses a pointer naming an ARN, a path or an overlong key without asking the store', async () => {
    const { store: s, fetched } = store({ k: '{"n":1}' });
    const schema = sqs(Body, { largePayloads: s });
    for (const [bucket, key] of [
      ['arn:aws:s3:us-east-1:123456789012:accesspoint/other', 'k'],
      ['arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/x', 'k'],
      ['../etc', 'k'],
      ['a..b', 'k'],
      ['ok-bucket', 'k'.repeat(1025)],
    ] as const) {
      const pointer = formatPointer({ bucket, key });
      const error = await resolveLargePayload(schema, record(pointer, marker), { recordIndex: 4 }).catch((e) => e);
      expect(error, bucket).toBeInstanceOf(LargePayloadError);
      expect([error.code, error.recordIndex, error.retryable]).toEqual(['PARSER_PAYLOAD_POINTER_INVALID', 4, false]);
    }
    expect(fetched).toEqual([]);
  });

  it('resolves one record at a time; a record without a pointer is given back as it is', async () => {
    const { store: s } = store({ k: '{"n":5}' });
    const schema = sqs(Body, { largePayloads: s });
    const plain = record('{"n":0}');
    expect(await resolveLargePayload(schema, plain)).toEqual({ record: plain, pointer: undefined });
    const out = await resolveLargePayload(schema, record(formatPointer({ bucket: 'bkt', key: 'k' }), marker));
    expect(out.pointer).toEqual({ bucket: 'bkt', key: 'k' });
    expect(out.record.body).toBe('{"n":5}');
    const missing = await resolveLargePayload(schema, record(formatPointer({ bucket: 'bkt', key: 'no' }), marker), {
      recordIndex: 2,
    }).catch((e) => e);
    expect([missing.code, missing.message]).toEqual(['PARSER_PAYLOAD_MISSING', 'Record 2: no no']);
  });

  it('never parses a pointer as the payload, even when the body schema would take anything', () => {
    const { store: s } = store({});
    const schema = sqs(z.unknown(), { largePayloads: s });
    const pointer = record(formatPointer({ bucket: 'bkt', key: 'k' }), marker);
    const error = (() => {
      try {
        parseEvent(schema, { Records: [pointer] });
      } catch (e) {
        return e as { issues: { path: unknown[]; message: string }[] };
      }
      return undefined;
    })();
    expect(error?.issues[0]?.path).toEqual(['Records', 0, 'messageAttributes', 'ExtendedPayloadSize']);
    expect(error?.issues[0]?.message).toContain('resolveLargePayloads()');
    // Per record: the pointer fails alone; without the option, the body is only a body.
    const trusting = sqs(z.unknown(), { largePayloads: s, envelope: 'trust' });
    const parsed = safeParseRecords(trusting, { Records: [record('{"n":1}'), pointer] });
    expect([parsed.records.length, parsed.failures.map((f) => f.index)]).toEqual([1, [1]]);
    expect(parseEvent(sqs(z.unknown(), { envelope: 'trust' }), { Records: [pointer] }).Records[0]!.body).toBeInstanceOf(
      Array,
    );
  });
});

describe('clearLargePayloads()', () => {
  const pointers = [
    { bucket: 'bkt', key: 'a' },
    { bucket: 'bkt', key: 'b' },
  ];

  it('gives the store every pointer once, and warns once for what it could not delete', async () => {
    const { store: s } = store({}, true);
    vi.mocked(s.remove).mockResolvedValueOnce([{ pointer: pointers[1]!, reason: 'AccessDenied: no' }]);
    const warnings = captureWarnings();
    await clearLargePayloads(sqs(Body, { largePayloads: s }), pointers);
    expect(s.remove).toHaveBeenCalledExactlyOnceWith(pointers, { signal: expect.any(AbortSignal) });
    expect(warnings.codes).toEqual(['LAMBDAKIT_PARSER_PAYLOAD_DELETE_FAILED']);
    expect(warnings.messages[0]).toContain('1 of 2 payloads');
    expect(warnings.messages[0]).toContain('s3://bkt/b: AccessDenied: no');
  });

  it('deletes nothing without time left, and stops a store that hangs at the deadline', async () => {
    const { store: s } = store({}, true);
    const schema = sqs(Body, { largePayloads: s });
    const warnings = captureWarnings();
    await clearLargePayloads(schema, pointers, { deadline: Date.now() + 50 });
    expect(s.remove).not.toHaveBeenCalled();
    let aborted: AbortSignal | undefined;
    vi.mocked(s.remove).mockImplementationOnce((_, { signal }) => {
      aborted = signal;
      return new Promise(() => {}); // never settles: the clear must not wait for it
    });
    vi.useFakeTimers();
    try {
      const done = clearLargePayloads(schema, pointers, { deadline: Date.now() + 1_000 });
      await vi.advanceTimersByTimeAsync(800);
      await done;
    } finally {
      vi.useRealTimers();
    }
    expect(aborted?.aborted).toBe(true);
    expect(warnings.messages.map((m) => m.slice(0, 48))).toEqual([
      '2 of 2 payloads in S3 were not deleted after the',
      '2 of 2 payloads in S3 were not deleted after the',
    ]);
    expect(warnings.messages[0]).toContain('no time left');
    expect(warnings.messages[1]).toContain('out of time');
  });

  it('does nothing for a store that keeps payloads, or a schema without one', async () => {
    const { store: s } = store({}, false);
    await clearLargePayloads(sqs(Body, { largePayloads: s }), pointers);
    await clearLargePayloads(sqs(Body), pointers);
    expect(s.remove).not.toHaveBeenCalled();
  });
});
