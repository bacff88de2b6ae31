// @lambdakit/parser/events: the registry of every source's event schema (loads them all).
export { type EventOf, events } from '../events.js';
