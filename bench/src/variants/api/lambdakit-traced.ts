// lambdakit's API stack (lambdakit-parts' `apiBuilder`) with `tracer()` first in the chain and the
// business logic in two steps of the trace. Spans go to the X-Ray daemon's UDP address, where the
// bench listens (`AWS_XRAY_DAEMON_ADDRESS`): the whole export (OTLP protobuf, base64, one datagram)
// is done, and nothing waits on a network. The tracer is not in lambdakit-parts, so the untraced
// variants never load it (the API stack is also measured without a bundler).
import { config } from '@lambdakit/config';
import { lambda, timeout } from '@lambdakit/core';
import { logger } from '@lambdakit/logger';
import { apigwHttp } from '@lambdakit/parser/apigw-http';
import { parse } from '@lambdakit/parser/parse';
import { tracer, xrayDaemonExporter } from '@lambdakit/tracer';
import { Order, placeOrder, Settings } from '../order.js';

/** lambdakit `tracer()` + logger + timeout + parse + config, two `ctx.trace.span()` steps. */
export const handler = lambda()
  .use(tracer({ exporter: xrayDaemonExporter({ address: process.env.AWS_XRAY_DAEMON_ADDRESS }) }))
  .use(logger())
  .use(timeout({ marginMs: 500 }))
  .use(parse(apigwHttp(Order)))
  .use(config({ schema: Settings, maxAgeSeconds: 900 }))
  .handle(async (event, ctx) => {
    const result = await ctx.trace.span('place order', () => placeOrder(event.body, ctx.config));
    await ctx.trace.span('log outcome', () =>
      ctx.log.info({ orderId: event.body.orderId, statusCode: result.statusCode }, 'order handled'),
    );
    return result;
  });
