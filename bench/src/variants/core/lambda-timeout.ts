import { lambda, timeout } from '@lambdakit/core';
import { orderLogic } from './logic.js';

/** `lambda()` with `timeout()`: the deadline enforced around the whole pipeline. */
export const handler = lambda()
  .use(timeout({ marginMs: 500 }))
  .handle((event, ctx) => orderLogic(event as { body?: string }, ctx));
