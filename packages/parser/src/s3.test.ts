import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { s3Events } from '../test/catalogue.js';
import { events } from './events.js';
import { parseEvent, safeParseEvent } from './parse-event.js';
import { decodeS3Key, s3 } from './s3.js';

const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('s3()', () => {
  it('URL-decodes object keys, reading + as a space', () => {
    const event = parseEvent(s3(), wire(s3Events[0]));
    expect(event.Records[0]?.s3.object.key).toBe('photos/my cat!.jpg');
  });

  it('leaves keys encoded in the registry schema, as S3 sent them', () => {
    expect(parseEvent(events.s3, wire(s3Events[0])).Records[0]?.s3.object.key).toBe('photos/my+cat%21.jpg');
  });

  it('reports a key with broken percent-encoding instead of throwing', () => {
    const event = wire(s3Events[0]) as unknown as { Records: { s3: { object: { key: string } } }[] };
    event.Records[0]!.s3.object.key = 'bad%E0%A4%A';
    const result = safeParseEvent(s3(), event);
    expect(!result.success && result.error.paths).toEqual(['Records[0].s3.object.key']);
  });

  it('decodes what S3 encodes, for any key', () => {
    // S3 encodes keys like application/x-www-form-urlencoded: spaces become '+'.
    const encode = (key: string) => encodeURIComponent(key).replace(/%20/g, '+');
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (key) => decodeS3Key(encode(key)) === key));
  });
});
