// @lambdakit/parser/eventbridge: this source's schemas and payload helper, without the other sources'.
export { type EventBridgeEvent, EventBridgeEventSchema, eventbridge } from '../eventbridge.js';
