import { type EventOf, type EventSourceName, events } from '@lambdakit/parser';
import { catalogueEvents } from './event-catalogue.js';
import { numberEvent } from './number-event.js';

/** Options of {@link sampleEvent}. */
export interface SampleEventOptions {
  /** How many records a batch source's event carries (default 1). Ignored by single-event sources. */
  records?: number | undefined;
}

/** Every source {@link sampleEvent} can build: the keys of `@lambdakit/parser`'s `events` registry. */
export const eventSources = Object.freeze(Object.keys(events) as EventSourceName[]);

/**
 * A valid, realistic event of `source` as AWS sends it: the first event of the catalogue's
 * `events/<source>.json`, with `options.records` records for batch sources, each with its own
 * identifiers and the JSON payload `{ orderId: 'order-<n>', quantity: n }`. Parses with `events[source]`.
 * A new copy on every call.
 */
export function sampleEvent<K extends EventSourceName>(source: K, options: SampleEventOptions = {}): EventOf<K> {
  if (!eventSources.includes(source)) {
    throw new TypeError(
      `sampleEvent(): unknown source ${JSON.stringify(source)}; expected one of ${eventSources.join(', ')}`,
    );
  }
  const records = options.records ?? 1;
  if (!Number.isSafeInteger(records) || records < 0) {
    throw new TypeError(`sampleEvent({ records }): must be a non-negative integer, got ${String(records)}`);
  }
  const [event] = Object.values(catalogueEvents(source));
  numberEvent(source, event, records);
  return event as EventOf<K>;
}
