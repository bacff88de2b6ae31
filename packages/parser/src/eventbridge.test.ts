import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { eventbridgeEvents } from '../test/catalogue.js';
import { eventbridge } from './eventbridge.js';
import { parseEvent, safeParseEvent } from './parse-event.js';

const InstanceState = z.object({ 'instance-id': z.string(), state: z.enum(['running', 'stopped', 'terminated']) });
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('eventbridge(Detail)', () => {
  it('returns the whole event with detail validated by Detail', () => {
    const event = parseEvent(eventbridge(InstanceState), wire(eventbridgeEvents[1]));
    expect(event.detail).toEqual({ 'instance-id': 'i-1234567890abcdef0', state: 'terminated' });
    expect(event['detail-type']).toBe('EC2 Instance State-change Notification');
    expect(event.resources).toEqual(['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0']);
  });

  it('keeps replay-name and fields AWS may add later', () => {
    const event = parseEvent(eventbridge(z.object({})), { ...wire(eventbridgeEvents[2]), addedByAwsLater: 1 });
    expect(event['replay-name']).toBe('nightly-replay');
    expect((event as Record<string, unknown>).addedByAwsLater).toBe(1);
  });

  it('reports a detail failing Detail at its path, naming the source', () => {
    const event = wire(eventbridgeEvents[1]) as { detail: Record<string, unknown> };
    event.detail.state = 'melted';
    const result = safeParseEvent(eventbridge(InstanceState), event);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.source).toBe('eventbridge');
    expect(result.error.paths).toEqual(['detail.state']);
  });

  it('rejects an event without the envelope, whatever the detail', () => {
    const { source: _, ...noSource } = wire(eventbridgeEvents[1]) as Record<string, unknown>;
    const result = safeParseEvent(eventbridge(z.unknown()), noSource);
    expect(!result.success && result.error.paths).toEqual(['source']);
  });

  it('hands a detail that is not an object to Detail unchanged (it is JSON already, not a string to parse)', () => {
    const event = { ...wire(eventbridgeEvents[1]), detail: '{"a":1}' };
    expect(parseEvent(eventbridge(z.string()), event).detail).toBe('{"a":1}');
    expect(safeParseEvent(eventbridge(z.object({ a: z.number() })), event).success).toBe(false);
  });
});
