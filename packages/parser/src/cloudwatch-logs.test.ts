import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { cloudwatchLogsEvents, logsData } from '../test/catalogue.js';
import { encodeLogs } from '../test/fixtures.js';
import { cloudwatchLogs } from './cloudwatch-logs.js';
import { parseEvent, safeParseEvent } from './parse-event.js';

const Line = z.object({ level: z.string(), msg: z.string() });

describe('cloudwatchLogs(Message)', () => {
  it('decodes awslogs.data and parses each message as JSON', () => {
    const event = parseEvent(cloudwatchLogs(Line), cloudwatchLogsEvents[0]);
    expect(event.awslogs.data.logGroup).toBe('/aws/lambda/orders');
    expect(event.awslogs.data.logEvents.map((e) => e.message)).toEqual([
      { level: 'info', msg: 'order placed' },
      { level: 'error', msg: 'payment failed' },
    ]);
  });

  it('keeps messages as text without a Message schema', () => {
    const event = parseEvent(cloudwatchLogs(), cloudwatchLogsEvents[1]);
    expect(event.awslogs.data.messageType).toBe('CONTROL_MESSAGE');
    expect(event.awslogs.data.logEvents[0]?.message).toMatch(/^CWL CONTROL MESSAGE/);
  });

  it('gives a CONTROL_MESSAGE no log events when messages are parsed, since its text is not JSON', () => {
    const event = parseEvent(cloudwatchLogs(Line), cloudwatchLogsEvents[1]);
    expect(event.awslogs.data.messageType).toBe('CONTROL_MESSAGE');
    expect(event.awslogs.data.logEvents).toEqual([]);
  });

  it('still parses every log event of a DATA_MESSAGE, even one that looks like a control message', () => {
    const data = encodeLogs({
      ...logsData,
      logEvents: [{ id: '1', timestamp: 1, message: 'CWL CONTROL MESSAGE: Checking health of destination.' }],
    });
    const result = safeParseEvent(cloudwatchLogs(Line), { awslogs: { data } });
    expect(!result.success && result.error.paths).toEqual(['awslogs.data.logEvents[0].message']);
  });

  it('stops a gzip bomb at the decompressed size limit', () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)).toString('base64');
    const result = safeParseEvent(cloudwatchLogs(), { awslogs: { data: bomb } });
    expect(!result.success && result.error.issues[0]).toMatchObject({ path: ['awslogs', 'data'], reason: 'too_large' });
  });

  it('refuses more than 10,000 log events before validating any, however small the payload', () => {
    // 262,144 tiny events in about 40 KB of gzip: validating them all took 0.65 s of CPU.
    const many = Array.from({ length: 262_144 }, () => ({ id: '1', timestamp: 1, message: '' }));
    const data = encodeLogs({ ...logsData, logEvents: many });
    expect(data.length).toBeLessThan(120_000);
    const result = safeParseEvent(cloudwatchLogs(Line), { awslogs: { data } });
    expect(!result.success && result.error.issues).toEqual([
      expect.objectContaining({
        path: ['awslogs', 'data'],
        reason: 'too_many',
        message: 'Decoded data holds 262144 log events, more than the 10000-event limit',
      }),
    ]);
  });

  it('accepts exactly 10,000 log events, and honours a configured event limit', () => {
    const events = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i), timestamp: i, message: 'x' }));
    expect(
      safeParseEvent(cloudwatchLogs(), { awslogs: { data: encodeLogs({ ...logsData, logEvents: events(10_000) }) } })
        .success,
    ).toBe(true);
    const three = { awslogs: { data: encodeLogs({ ...logsData, logEvents: events(3) }) } };
    const limited = safeParseEvent(cloudwatchLogs(undefined, { limits: { maxLogEvents: 2 } }), three);
    expect(!limited.success && limited.error.issues[0]?.reason).toBe('too_many');
  });

  it('honours a configured decompressed size limit', () => {
    const data = encodeLogs(logsData);
    expect(
      safeParseEvent(cloudwatchLogs(Line, { limits: { maxDecompressedBytes: 64 } }), { awslogs: { data } }).success,
    ).toBe(false);
  });

  it('reports a message failing the schema at its path', () => {
    const data = encodeLogs({ ...logsData, logEvents: [{ id: '1', timestamp: 1, message: '{"level":1}' }] });
    const result = safeParseEvent(cloudwatchLogs(Line), { awslogs: { data } });
    expect(!result.success && result.error.paths).toEqual([
      'awslogs.data.logEvents[0].message.level',
      'awslogs.data.logEvents[0].message.msg',
    ]);
  });
});
