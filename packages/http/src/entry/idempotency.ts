export { type IdempotentRouteOptions, idempotentRoute } from '../idempotent-route.js';
