import middy from '@middy/core';
import { loggerMiddleware, orderHandler, parserMiddleware } from './powertools-parts.js';

/** Powertools logger + parser + parameters on Middy. */
export const handler = middy(orderHandler).use(loggerMiddleware).use(parserMiddleware);
