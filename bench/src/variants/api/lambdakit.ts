import { placeOrder } from '../order.js';
import { apiBuilder } from './lambdakit-parts.js';

/** lambdakit logger + timeout + parse + config. */
export const handler = apiBuilder().handle(async (event, ctx) => {
  const result = placeOrder(event.body, ctx.config);
  ctx.log.info({ orderId: event.body.orderId, statusCode: result.statusCode }, 'order handled');
  return result;
});
