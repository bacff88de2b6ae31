export { type LimitedRouteOptions, limitedRoute } from '../limited-route.js';
