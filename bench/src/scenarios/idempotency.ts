// Issue 7: per-invocation latency and DynamoDB request count for a new key and a duplicate
// key, lambdakit vs Powertools idempotency, on the same dynalite, side by side.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { missing } from '../lib/available.js';
import { contexts } from '../lib/events.js';
import { fmtFigure, type Table } from '../lib/report.js';
import { runScenario } from '../lib/scenario.js';
import { startServers, tables } from '../lib/servers.js';
import { settings } from '../lib/settings.js';
import { summarize } from '../lib/stats.js';
import { type Order, placeOrder } from '../variants/order.js';

type Fn = (event: Order, context: unknown) => Promise<unknown>;

/** Counts requests per operation through an SDK client middleware. */
function countingClient(): { client: DynamoDBClient; counts: Map<string, number> } {
  const client = new DynamoDBClient({});
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      const op = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts.set(op, (counts.get(op) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  return { client, counts };
}

const business = async (order: Order) => placeOrder(order, { maxItems: 50, currency: 'EUR' });

function order(orderId: string): Order {
  return { orderId, customerId: 'c-1', currency: 'EUR', items: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 1299 }] };
}

await runScenario(async () => {
  const absent = await missing([
    '@lambdakit/idempotency',
    { pkg: '@lambdakit/testing', exports: ['startLocalDynamo'] },
  ]);
  const base = {
    id: 'idempotency',
    title: 'Idempotency on DynamoDB (issue 7)',
    measures:
      'The same business function wrapped by lambdakit `makeIdempotent` (`dynamoDbStore`) and Powertools ' +
      '`makeIdempotent` (`DynamoDBPersistenceLayer`), default options, keyed by the order id, against one dynalite on ' +
      `127.0.0.1. ${settings.idempotencyInvocations} calls per case, libraries alternating call by call; latency of each ` +
      'call in ms, and DynamoDB requests per call counted by an SDK client middleware. Duplicate = the key was completed before.',
    notes: [] as string[],
    awaiting: absent.map((a) => `idempotency needs ${a}`),
  };
  if (absent.length > 0) return { ...base, tables: [] };
  const servers = await startServers(new Set(['dynamo']));
  const lk = countingClient();
  const pt = countingClient();
  const { makeIdempotent, dynamoDbStore } = await import('@lambdakit/idempotency');
  const { makeIdempotent: ptMakeIdempotent, IdempotencyConfig } = await import('@aws-lambda-powertools/idempotency');
  const { DynamoDBPersistenceLayer } = await import('@aws-lambda-powertools/idempotency/dynamodb');
  const fns: Record<string, Fn> = {
    lambdakit: makeIdempotent(business, {
      store: dynamoDbStore({ client: lk.client, tableName: tables.lambdakit }),
      key: (e: Order) => e.orderId,
    }) as Fn,
    powertools: ptMakeIdempotent(business, {
      persistenceStore: new DynamoDBPersistenceLayer({ tableName: tables.powertools, awsSdkV3Client: pt.client }),
      config: new IdempotencyConfig({ eventKeyJmesPath: 'orderId' }),
    }) as Fn,
  };
  const counters: Record<string, Map<string, number>> = { lambdakit: lk.counts, powertools: pt.counts };
  const ctxs = contexts(64);
  // Warm-up: connections, credentials, code paths (new and duplicate).
  for (const name of Object.keys(fns)) {
    for (let i = 0; i < 5; i++) {
      await fns[name]!(order(`warm-${i}`), ctxs[0]);
      await fns[name]!(order(`warm-${i}`), ctxs[0]);
    }
  }
  const latency: Record<string, number[]> = {};
  const requests: Record<string, Map<string, number>> = {};
  for (const kind of ['new', 'duplicate'] as const) {
    for (const name of Object.keys(fns)) {
      counters[name]!.clear();
      latency[`${name}/${kind}`] = [];
    }
    if (kind === 'duplicate') for (const name of Object.keys(fns)) await fns[name]!(order('dup-0'), ctxs[0]);
    for (const name of Object.keys(fns)) counters[name]!.clear();
    for (let i = 0; i < settings.idempotencyInvocations; i++) {
      for (const name of Object.keys(fns)) {
        const o = order(kind === 'new' ? `new-${i}` : 'dup-0');
        const t0 = process.hrtime.bigint();
        const result = (await fns[name]!(o, ctxs[i % ctxs.length])) as { statusCode?: number };
        latency[`${name}/${kind}`]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (result?.statusCode !== 200) throw new Error(`${name} ${kind}: unexpected result ${JSON.stringify(result)}`);
      }
    }
    for (const name of Object.keys(fns)) requests[`${name}/${kind}`] = new Map(counters[name]!);
  }
  await servers.close();
  const n = settings.idempotencyInvocations;
  const fmtRequests = (m: Map<string, number>) =>
    `${[...m.values()].reduce((a, b) => a + b, 0) / n} (${[...m].map(([op, c]) => `${op} ${c / n}`).join(', ')})`;
  const table: Table = {
    title: 'Idempotent call latency and DynamoDB requests',
    columns: ['library', 'case', 'latency per call', 'ratio to Powertools (medians)', 'DynamoDB requests per call'],
    rows: (['new', 'duplicate'] as const).flatMap((kind) =>
      Object.keys(fns).map((name) => {
        const f = summarize(latency[`${name}/${kind}`]!);
        const ref = summarize(latency[`powertools/${kind}`]!).median;
        return [
          name,
          kind === 'new' ? 'new key' : 'duplicate of a completed key',
          fmtFigure(f, 'ms'),
          `${(f.median / ref).toFixed(2)}×`,
          fmtRequests(requests[`${name}/${kind}`]!),
        ];
      }),
    ),
  };
  base.notes.push(
    'dynalite does not return the old item on a failed condition (`ReturnValuesOnConditionCheckFailure`), so a ' +
      'duplicate costs a `GetItem` more here than on DynamoDB.',
  );
  return { ...base, tables: [table] };
});
