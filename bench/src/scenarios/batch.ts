// Issue 8: a 10-record SQS batch through lambdakit `processBatch` vs Powertools batch
// `processPartialResponse`, side by side, with a hand-written loop as the floor. The record
// handler runs the same order logic everywhere.
import { fileURLToPath } from 'node:url';
import { missing } from '../lib/available.js';
import { contexts, sqsOrderBatch } from '../lib/events.js';
import { type Contender, cycle } from '../lib/sample.js';
import { runScenario } from '../lib/scenario.js';
import { isolatedChild, warmTables } from '../lib/warm.js';
import { defaultSettings, Order, placeOrder } from '../variants/order.js';

const variants = [
  { id: 'bare', label: 'hand-written loop: `JSON.parse` + `Order.parse` + order logic per record, failures collected' },
  { id: 'lambdakit', label: 'lambdakit `processBatch(event, ctx, handler)`, body parsed in the handler' },
  { id: 'lambdakit-schema', label: 'lambdakit `processBatch(event, ctx, handler, { schema: sqs(Order) })`' },
  {
    id: 'lambdakit-schema-trust',
    label: "lambdakit `processBatch(…, { schema: sqs(Order, { envelope: 'trust' }) })`",
  },
  {
    id: 'powertools',
    label: 'Powertools `processPartialResponse(event, handler, new BatchProcessor(EventType.SQS), { context })`',
  },
  {
    id: 'powertools-schema',
    label: "Powertools `BatchProcessor(EventType.SQS, { parser, innerSchema: Order, transformer: 'json' })`",
  },
];

type SqsRecord = { messageId: string; body: string };

/** The per-record business logic: the same order acceptance as every other scenario. */
async function handleOrder(order: Order): Promise<void> {
  const result = placeOrder(order, defaultSettings);
  if (result.statusCode !== 200) throw new Error(`order ${order.orderId} rejected`);
}

async function contenderFor(id: string): Promise<Contender> {
  // Distinct event objects, so no library can benefit from seeing the same object twice.
  const nextEvent = cycle(Array.from({ length: 32 }, () => sqsOrderBatch(10)));
  const nextContext = cycle(contexts(256));
  let run: () => Promise<{ batchItemFailures: unknown[] }>;
  if (id === 'bare') {
    run = async () => {
      const batchItemFailures: { itemIdentifier: string }[] = [];
      for (const record of (nextEvent() as { Records: SqsRecord[] }).Records) {
        try {
          await handleOrder(Order.parse(JSON.parse(record.body)));
        } catch {
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures };
    };
  } else if (id === 'lambdakit' || id === 'lambdakit-schema' || id === 'lambdakit-schema-trust') {
    const { processBatch } = await import('@lambdakit/batch');
    if (id === 'lambdakit') {
      const handler = (record: SqsRecord) => handleOrder(Order.parse(JSON.parse(record.body)));
      run = () => processBatch(nextEvent(), nextContext(), handler, { source: 'sqs' });
    } else {
      const { sqs } = await import('@lambdakit/parser');
      const schema = id === 'lambdakit-schema' ? sqs(Order) : sqs(Order, { envelope: 'trust' });
      run = () => processBatch(nextEvent(), nextContext(), (record) => handleOrder(record.body), { schema });
    }
  } else {
    const { BatchProcessor, EventType, processPartialResponse } = await import('@aws-lambda-powertools/batch');
    if (id === 'powertools') {
      const processor = new BatchProcessor(EventType.SQS);
      const handler = (record: SqsRecord) => handleOrder(Order.parse(JSON.parse(record.body)));
      run = () => processPartialResponse(nextEvent() as never, handler, processor, { context: nextContext() as never });
    } else {
      const { parser } = await import('@aws-lambda-powertools/batch/parser');
      const processor = new BatchProcessor(EventType.SQS, { parser, innerSchema: Order, transformer: 'json' });
      const handler = (record: { body: Order }) => handleOrder(record.body);
      run = () =>
        processPartialResponse(nextEvent() as never, handler as never, processor, { context: nextContext() as never });
    }
  }
  // A broken variant must not look fast: every record of the batch has to succeed.
  const first = await run();
  if (first.batchItemFailures.length !== 0) {
    throw new Error(`${id}: expected no failures, got ${JSON.stringify(first).slice(0, 500)}`);
  }
  return { name: id, run };
}

if (!(await isolatedChild(contenderFor))) {
  await runScenario(async () => {
    const absent = await missing(['@lambdakit/batch', '@lambdakit/parser']);
    const base = {
      id: 'batch',
      title: 'Batch: a 10-record SQS batch (issue 8)',
      measures:
        'One call processes a standard-SQS event of 10 records whose bodies are order JSON, one record at a time, ' +
        'and returns the partial batch response (every record succeeds). The record handler runs the same order ' +
        'logic everywhere; "body parsed in the handler" rows parse and validate it there, "schema" rows let the ' +
        'library parse it with the same zod schema. lambdakit also validates the SQS envelope in every row.',
      notes: [] as string[],
      awaiting: absent.map((a) => `batch needs ${a}`),
    };
    if (absent.length > 0) return { ...base, tables: [] };
    const table = await warmTables({
      self: fileURLToPath(import.meta.url),
      title: 'Process a 10-record SQS batch',
      variants,
      baseline: 'bare',
      references: ['powertools', 'powertools-schema'],
      contenderFor,
      env: {},
    });
    table.columns[1] = 'time per batch (own process)';
    const aims = [
      {
        key: 'batch-sqs',
        label: 'batch, 10 SQS records, no schema',
        against: 'Powertools',
        aim: 1.0,
        lambdakit: table.ratio('lambdakit', 'powertools'),
        powertools: 1,
      },
      {
        key: 'batch-sqs-schema',
        label: 'batch, 10 SQS records, with schema',
        against: 'Powertools',
        aim: 1.0,
        lambdakit: table.ratio('lambdakit-schema', 'powertools-schema'),
        powertools: 1,
      },
    ];
    return { ...base, tables: [table], aims };
  });
}
