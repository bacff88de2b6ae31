import middy from '@middy/core';
import { orderLogic } from './logic.js';

/** Plain `@middy/core` with its defaults, including the early-timeout timer. */
export const handler = middy(orderLogic);
