// node [--cpu-prof] bench/profile/parser.mjs <lambdakit|lambdakit-trust|powertools|bare> [seconds]: issue 4's parser
// comparison on the built dist with plain node, one variant per process, long enough to swamp module loading.
import { events, Order } from './data.mjs';

const which = process.argv[2] ?? 'lambdakit';
const seconds = Number(process.argv[3] ?? 5);
let run;
if (which === 'lambdakit' || which === 'lambdakit-trust') {
  const { parseEvent, sqs } = await import('@lambdakit/parser');
  const schema = which === 'lambdakit' ? sqs(Order) : sqs(Order, { envelope: 'trust' });
  run = (e) => parseEvent(schema, e);
} else if (which === 'powertools') {
  const { parse } = await import('@aws-lambda-powertools/parser');
  const { SqsEnvelope } = await import('@aws-lambda-powertools/parser/envelopes/sqs');
  const { JSONStringified } = await import('@aws-lambda-powertools/parser/helpers');
  const schema = JSONStringified(Order);
  run = (e) => parse(e, SqsEnvelope, schema);
} else {
  run = (e) => e.Records.map((r) => Order.parse(JSON.parse(r.body)));
}
let n = 0;
const end = performance.now() + seconds * 1000;
const t0 = performance.now();
while (performance.now() < end) {
  for (let k = 0; k < 100; k++) run(events[n++ & 31]);
}
process.stderr.write(
  `${which}: ${(((performance.now() - t0) * 1000) / n).toFixed(1)} µs per batch over ${n} batches\n`,
);
