// Runs in a fresh `node` process: imports one bundled handler, serves one invocation, reports
// on fd 3 how long that took from process start (performance.now() counts from it), exits.
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, eventJson] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundle).href);
const imported = performance.now();
const deadline = Date.now() + 900_000;
const context = {
  functionName: 'orders',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
  memoryLimitInMB: '128',
  awsRequestId: '8f0c5a52-6d3c-4e5b-9a3e-0f8f3b6f1a01',
  logGroupName: '/aws/lambda/orders',
  logStreamName: '2025/03/12/[$LATEST]0123456789abcdef0123456789abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
const result = await handler(JSON.parse(eventJson), context);
const served = performance.now();
const cpu = process.cpuUsage();
writeSync(
  3,
  JSON.stringify({
    importedMs: imported,
    servedMs: served,
    cpuMs: (cpu.user + cpu.system) / 1000,
    statusCode: result?.statusCode,
  }),
);
process.exit(0);
