export { type AsResponse, type IdempotentRouteOptions, idempotentRoute } from '../idempotent-route.js';
