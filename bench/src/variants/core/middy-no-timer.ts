import middy from '@middy/core';
import { orderLogic } from './logic.js';

/** Plain `@middy/core` with its early-timeout timer disabled. */
export const handler = middy(orderLogic, { timeoutEarlyInMillis: 0 });
