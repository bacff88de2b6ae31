import { describe, expect, it } from 'vitest';
import { catalogue as fixtures } from '../test/catalogue.js';
import { detectSource } from './detect-source.js';
import { events } from './events.js';

const sources = Object.keys(events) as (keyof typeof events)[];

describe('detectSource', () => {
  it.each(sources)('knows a %s event by its shape, in every fixture', (source) => {
    for (const fixture of fixtures[source]) expect(detectSource(fixture)).toBe(source);
  });

  it('knows nothing of values that look like no AWS event, and never throws', () => {
    for (const value of [undefined, null, 42, 'sqs', [], {}, { Records: [] }, { Records: [null] }, { Records: [{}] }]) {
      expect(detectSource(value)).toBeUndefined();
    }
    expect(detectSource({ Records: [{ eventSource: 'aws:unknown' }] })).toBeUndefined();
    expect(detectSource({ Records: [{ eventSource: '__proto__' }] })).toBeUndefined();
  });
});
