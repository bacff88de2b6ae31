// Issue 4: parsing a 10-record SQS batch with JSON bodies, lambdakit vs Powertools parser on
// the same zod schema, side by side (and hand-written JSON.parse + zod as the floor).
import { fileURLToPath } from 'node:url';
import { missing } from '../lib/available.js';
import { sqsOrderBatch } from '../lib/events.js';
import { type Contender, cycle } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { isolatedChild, warmTables } from '../lib/warm.js';
import { Order } from '../variants/order.js';

const variants = [
  { id: 'bare', label: 'hand-written: `JSON.parse` + `Order.parse` per record (no envelope validation)' },
  { id: 'lambdakit', label: 'lambdakit `parseEvent(sqs(Order), event)`' },
  {
    id: 'lambdakit-trust',
    label: "lambdakit `parseEvent(sqs(Order, { envelope: 'trust' }), event)`: bodies validated, envelope trusted",
  },
  { id: 'powertools', label: 'Powertools `parse(event, SqsEnvelope, JSONStringified(Order))`' },
];

async function contenderFor(id: string): Promise<Contender> {
  // Distinct event objects, so no parser can benefit from seeing the same object twice.
  const next = cycle(Array.from({ length: 32 }, () => sqsOrderBatch(10)));
  if (id === 'bare') {
    return {
      name: id,
      run: () => {
        const records = (next() as { Records: { body: string }[] }).Records;
        return records.map((r) => Order.parse(JSON.parse(r.body)));
      },
    };
  }
  if (id === 'lambdakit' || id === 'lambdakit-trust') {
    const { parseEvent, sqs } = await import('@lambdakit/parser');
    const schema = id === 'lambdakit' ? sqs(Order) : sqs(Order, { envelope: 'trust' });
    return { name: id, run: () => parseEvent(schema, next()) };
  }
  const { parse } = await import('@aws-lambda-powertools/parser');
  const { SqsEnvelope } = await import('@aws-lambda-powertools/parser/envelopes/sqs');
  const { JSONStringified } = await import('@aws-lambda-powertools/parser/helpers');
  const schema = JSONStringified(Order);
  return { name: id, run: () => parse(next(), SqsEnvelope, schema) };
}

if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const absent = await missing(['@lambdakit/parser']);
    const base = {
      id: 'parser',
      title: 'Parser: 10-record SQS batch (issue 4)',
      measures:
        'One call parses an SQS event of 10 records whose bodies are order JSON (~300 bytes), validating each body ' +
        'with the same zod schema; lambdakit and Powertools also validate the SQS envelope. Aim (issue 22): lambdakit ≤ 0.8× ' +
        'Powertools.',
      notes: [] as string[],
      awaiting: absent.map((a) => `parser needs ${a}`),
    };
    if (absent.length > 0) return { ...base, tables: [] };
    const table = await warmTables({
      self: fileURLToPath(import.meta.url),
      title: 'Parse a 10-record SQS batch',
      variants,
      baseline: 'bare',
      references: ['powertools'],
      contenderFor,
      env: {},
    });
    const aims = [
      {
        key: 'parser-sqs',
        label: 'parser, 10-record SQS batch',
        against: 'Powertools',
        aim: 0.8,
        lambdakit: table.ratio('lambdakit', 'powertools'),
        powertools: 1,
      },
      {
        key: 'parser-sqs-trust',
        label: "parser, 10-record SQS batch, { envelope: 'trust' }",
        against: 'Powertools',
        aim: 0.8,
        lambdakit: table.ratio('lambdakit-trust', 'powertools'),
        powertools: 1,
      },
    ];
    return { ...base, tables: [table], aims };
  });
}
