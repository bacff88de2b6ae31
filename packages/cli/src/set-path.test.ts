import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { setPath } from './set-path.js';

describe('setPath', () => {
  it('sets dotted and indexed paths, parsing JSON values and keeping other text as strings', () => {
    const event: Record<string, unknown> = { Records: [{ body: 'x', attributes: { count: '1' } }] };
    setPath(event, 'Records.0.messageId=abc');
    setPath(event, 'Records[0].eventSourceARN=arn:aws:sqs:us-east-1:123456789012:q');
    setPath(event, 'detail.total=42');
    setPath(event, 'detail.tags=["a","b"]');
    setPath(event, 'detail.flag=true');
    setPath(event, 'detail.note="42"');
    expect(event).toEqual({
      Records: [
        {
          body: 'x',
          attributes: { count: '1' },
          messageId: 'abc',
          eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q',
        },
      ],
      detail: { total: 42, tags: ['a', 'b'], flag: true, note: '42' },
    });
  });

  it('keeps a field that holds a string a string: an SQS body takes JSON text', () => {
    const event: Record<string, unknown> = { Records: [{ body: 'hello', attributes: { count: '1' } }] };
    setPath(event, 'Records.0.body={"orderId":"o-1"}');
    setPath(event, 'Records.0.attributes.count=5');
    expect(event).toEqual({ Records: [{ body: '{"orderId":"o-1"}', attributes: { count: '5' } }] });
  });

  it('creates arrays before numeric keys and appends, but never leaves a hole', () => {
    const event: Record<string, unknown> = {};
    setPath(event, 'items.0.id=1');
    setPath(event, 'items.1.id=2');
    expect(event).toEqual({ items: [{ id: 1 }, { id: 2 }] });
    expect(() => setPath(event, 'items.5.id=6')).toThrow(/index 5 is past the end of "items" \(2 items/);
  });

  it.each(['=1', 'a..b=1', 'a.b', '.a=1', 'items.x=1'])('rejects the malformed assignment %j', (assignment) => {
    const event: Record<string, unknown> = { items: [] };
    expect(() => setPath(event, assignment)).toThrow(CliError);
    expect(() => setPath(event, assignment)).toThrow(expect.objectContaining({ code: 'CLI_USAGE' }));
  });

  it('never writes to Object.prototype, whatever the path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a', '0', 'polluted'), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.string(),
        (keys, value) => {
          try {
            setPath({}, `${keys.join('.')}=${value}`);
          } catch (error) {
            expect(error).toBeInstanceOf(CliError);
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(Object.prototype).not.toHaveProperty('polluted');
        },
      ),
    );
  });
});
