export type { DurableLogic } from './durable.js';
export { durable } from './durable.js';
export type { DurableFields } from './durable-context.js';
export type { DurableErrorCode } from './durable-error.js';
export { DurableError } from './durable-error.js';
export { parseDurablePayload } from './durable-event.js';
