// node [--cpu-prof] logger.mjs <pino-same|lambdakit> <line|inv> [seconds]
import { createContext } from '@lambdakit/testing';

const [which = 'lambdakit', kind = 'line', secs = '5'] = process.argv.slice(2);
let bind;
if (which === 'lambdakit') {
  const { createLogger, invocationLogger } = await import('@lambdakit/logger');
  const root = createLogger({ persistentKeys: { service: 'orders' } });
  bind = (e, c) => invocationLogger(root, e, c);
} else {
  const { pino } = await import('pino');
  const root = pino({
    base: { service: 'orders' },
    messageKey: 'message',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (l) => ({ level: l.toUpperCase() }) },
  });
  bind = (e, c) =>
    root.child({
      requestId: c.awsRequestId,
      functionName: c.functionName,
      functionVersion: c.functionVersion,
      functionArn: c.invokedFunctionArn,
      coldStart: false,
      correlationId: e.requestContext.requestId,
    });
}
const ctxs = Array.from({ length: 256 }, () =>
  createContext({ functionName: 'orders', timeoutMs: 900_000, region: 'eu-west-1' }),
);
const events = Array.from({ length: 64 }, (_, i) => ({
  requestContext: { requestId: `r-${i}` },
  headers: {},
  body: '{}',
}));
let n = 0;
const bound = bind(events[0], ctxs[0]);
const end = performance.now() + Number(secs) * 1000;
const t0 = performance.now();
while (performance.now() < end)
  for (let k = 0; k < 100; k++, n++) {
    const log = kind === 'line' ? bound : bind(events[n & 63], ctxs[n & 255]);
    log.info({ orderId: `o-${n & 1023}`, statusCode: 200 }, 'order handled');
  }
process.stderr.write(`${which} ${kind}: ${(((performance.now() - t0) * 1e6) / n).toFixed(0)} ns per call\n`);
