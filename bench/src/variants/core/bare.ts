import { orderLogic } from './logic.js';

/** A bare async handler: no wrapper at all. */
export const handler = orderLogic;
