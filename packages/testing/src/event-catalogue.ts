import { readFileSync } from 'node:fs';
import type { EventSourceName } from '@lambdakit/parser';

// `events/` sits beside `src/` and `dist/` alike, so one relative URL finds it from the sources
// under vitest, from the build, and from an installed package.
const folder = new URL('../events/', import.meta.url);
const loaded = new Map<EventSourceName, Readonly<Record<string, unknown>>>();

/**
 * The catalogue's events of `source`, by variant name, in the order of `events/<source>.json`:
 * read once, then a fresh deep copy on every call, so no caller can change what the next one gets.
 */
export function catalogueEvents(source: EventSourceName): Record<string, unknown> {
  let variants = loaded.get(source);
  if (variants === undefined) {
    variants = JSON.parse(readFileSync(new URL(`${source}.json`, folder), 'utf8')) as Record<string, unknown>;
    loaded.set(source, variants);
  }
  return structuredClone(variants);
}
