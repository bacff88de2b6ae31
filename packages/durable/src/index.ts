export type { DurableLogic } from './durable.js';
export { durable } from './durable.js';
export type { DurableFields } from './durable-context.js';
export type { DurableEventErrorCode } from './durable-event.js';
export { DurableEventError, parseDurablePayload } from './durable-event.js';
