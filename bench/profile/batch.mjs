// node [--cpu-prof] bench/profile/batch.mjs <lambdakit|lambdakit-schema|powertools> [seconds]: issue 8's batch, plain node, built dist.
import { createContext } from '@lambdakit/testing';
import { events, Order } from './data.mjs';

const which = process.argv[2] ?? 'lambdakit-schema';
const seconds = Number(process.argv[3] ?? 5);
const handleOrder = async (order) => {
  if (order.items.length > 50) throw new Error('too many items');
};
const ctxs = Array.from({ length: 256 }, () => createContext({ functionName: 'orders', timeoutMs: 900_000 }));
let run;
if (which === 'powertools') {
  const { BatchProcessor, EventType, processPartialResponse } = await import('@aws-lambda-powertools/batch');
  const processor = new BatchProcessor(EventType.SQS);
  run = (e, c) =>
    processPartialResponse(e, (r) => handleOrder(Order.parse(JSON.parse(r.body))), processor, { context: c });
} else {
  const { processBatch } = await import('@lambdakit/batch');
  const { sqs } = await import('@lambdakit/parser');
  const schema = sqs(Order);
  run =
    which === 'lambdakit'
      ? (e, c) => processBatch(e, c, (r) => handleOrder(Order.parse(JSON.parse(r.body))), { source: 'sqs' })
      : (e, c) => processBatch(e, c, (r) => handleOrder(r.body), { schema });
}
const first = await run(events[0], ctxs[0]);
if (first.batchItemFailures.length !== 0) throw new Error(JSON.stringify(first));
let n = 0;
const end = performance.now() + seconds * 1000;
const t0 = performance.now();
while (performance.now() < end) for (let k = 0; k < 20; k++, n++) await run(events[n & 31], ctxs[n & 255]);
process.stderr.write(`${which}: ${(((performance.now() - t0) * 1000) / n).toFixed(1)} µs per batch over ${n}\n`);
