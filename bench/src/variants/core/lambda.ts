import { lambda } from '@lambdakit/core';
import { orderLogic } from './logic.js';

/** `lambda()` with no middleware. */
export const handler = lambda().handle((event, ctx) => orderLogic(event as { body?: string }, ctx));
