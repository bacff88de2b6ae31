// Issue 19: the warm cost of a call through @lambdakit/resilience's breaker and limiter, with the
// breaker's per-sandbox view hit and with a store round trip, on one dynalite, side by side with
// the same call unprotected. DynamoDB requests per call counted by an SDK client middleware.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { missing } from '../lib/available.js';
import { contexts, sqsOrderBatch } from '../lib/events.js';
import { fmtFigure, fmtNs, type Table } from '../lib/report.js';
import { runScenario } from '../lib/scenario.js';
import { startServers, tables } from '../lib/servers.js';
import { settings } from '../lib/settings.js';
import { summarize } from '../lib/stats.js';

type Call = () => Promise<unknown>;

/** The protected work: settles at once, so what is timed is the protection alone. */
const work = async () => 1;

function countingClient(): { client: DynamoDBClient; requests: () => number; reset: () => void } {
  const client = new DynamoDBClient({});
  let count = 0;
  client.middlewareStack.add(
    (next) => (args) => {
      count++;
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
  return { client, requests: () => count, reset: () => (count = 0) };
}

/** Mean time of one call over a batch of `n`, nanoseconds. */
async function batch(call: Call, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await call();
  return Number(process.hrtime.bigint() - t0) / n;
}

await runScenario(async () => {
  const absent = await missing(['@lambdakit/resilience', { pkg: '@lambdakit/testing', exports: ['startLocalDynamo'] }]);
  const base = {
    id: 'resilience',
    title: 'Circuit breaker, concurrency limit and recursion guard (issue 19)',
    measures:
      'The cost a call pays for going through lambdakit `createCircuitBreaker().run()` and ' +
      '`createConcurrencyLimiter().run()` (`dynamoDbStateStore` on one dynalite on 127.0.0.1), the protected work an ' +
      'async function that returns at once. In-process cases: batches of calls, rounds interleaved; store cases: ' +
      `${settings.idempotencyInvocations} calls each, interleaved call by call. DynamoDB requests per call counted by an SDK client middleware.`,
    notes: [] as string[],
    awaiting: absent.map((a) => `resilience needs ${a}`),
  };
  if (absent.length > 0) return { ...base, tables: [] };
  const servers = await startServers(new Set(['dynamo']));
  const { createCircuitBreaker, createConcurrencyLimiter, dynamoDbStateStore, recursionGuard } = await import(
    '@lambdakit/resilience'
  );
  const { lambda } = await import('@lambdakit/core');
  const counted = countingClient();
  const store = dynamoDbStateStore({ client: counted.client, tableName: tables.lambdakit });
  const ctx = contexts(1)[0]!;
  const viewHit = createCircuitBreaker({ name: 'bench-view', store, cacheMs: 3_600_000 });
  const everyRead = createCircuitBreaker({ name: 'bench-read', store, cacheMs: 0 });
  const limiter = createConcurrencyLimiter({ name: 'bench-limit', max: 10, store });
  // The recursion guard: a 10-record SQS batch whose records each carry a depth attribute.
  const sqsBatch = sqsOrderBatch(10) as { Records: Record<string, unknown>[] };
  for (const record of sqsBatch.Records) {
    record.messageAttributes = {
      'lambdakit-depth': { stringValue: '2', stringListValues: [], binaryListValues: [], dataType: 'Number' },
    };
  }
  const unguarded = lambda().handle(work);
  const guarded = lambda()
    .use(recursionGuard({ maxDepth: 5 }))
    .handle(work);
  const inProcess: Record<string, Call> = {
    'unprotected call': () => work(),
    '`breaker.run`, closed, view hit (no request)': () => viewHit.run(work, ctx),
    '`lambda().handle()`, a 10-record SQS batch': () => unguarded(sqsBatch, ctx),
    'the same with `recursionGuard()` (each record carries its depth)': () => guarded(sqsBatch, ctx),
  };
  const roundTrip: Record<string, Call> = {
    'unprotected call': () => work(),
    '`breaker.run`, closed, `cacheMs: 0` (a GetItem per call)': () => everyRead.run(work, ctx),
    '`limiter.run` (take and give back a lease)': () => limiter.run(work, ctx),
  };
  for (const call of [...Object.values(inProcess), ...Object.values(roundTrip)])
    for (let i = 0; i < 20; i++) await call();

  const nsSamples: Record<string, number[]> = Object.fromEntries(Object.keys(inProcess).map((k) => [k, []]));
  for (let round = 0; round < settings.rounds; round++) {
    for (const [name, call] of Object.entries(inProcess)) nsSamples[name]!.push(await batch(call, 20_000));
  }
  const msSamples: Record<string, number[]> = Object.fromEntries(Object.keys(roundTrip).map((k) => [k, []]));
  const requests: Record<string, number> = {};
  for (const name of Object.keys(roundTrip)) requests[name] = 0;
  for (let i = 0; i < settings.idempotencyInvocations; i++) {
    for (const [name, call] of Object.entries(roundTrip)) {
      counted.reset();
      const t0 = process.hrtime.bigint();
      await call();
      msSamples[name]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
      requests[name]! += counted.requests();
    }
  }
  await servers.close();
  const bare = summarize(nsSamples['unprotected call']!).median;
  const unguardedNs = summarize(nsSamples['`lambda().handle()`, a 10-record SQS batch']!).median;
  // Each row against what it protects: a call against the unprotected call, the guard against the bare pipeline.
  const reference = (name: string) => (name.startsWith('the same with `recursionGuard') ? unguardedNs : bare);
  const isReference = (name: string) => name === 'unprotected call' || name.startsWith('`lambda().handle()`');
  const unprotectedMs = summarize(msSamples['unprotected call']!).median;
  const table: Table = {
    title: 'A call through the breaker and the limiter; an invocation through the recursion guard',
    columns: ['call', 'time per call', 'added to the unprotected call', 'DynamoDB requests per call'],
    rows: [
      ...Object.entries(nsSamples).map(([name, samples]) => {
        const f = summarize(samples);
        return [name, fmtNs(f), isReference(name) ? '—' : `${(f.median - reference(name)).toFixed(0)} ns`, '0'];
      }),
      ...Object.entries(msSamples)
        .filter(([name]) => name !== 'unprotected call')
        .map(([name, samples]) => {
          const f = summarize(samples);
          return [
            name,
            fmtFigure(f, 'ms'),
            `${(f.median - unprotectedMs).toFixed(3)} ms`,
            String(requests[name]! / settings.idempotencyInvocations),
          ];
        }),
    ],
  };
  base.notes.push(
    'A request to dynalite on loopback costs about what one to DynamoDB in the same region costs (a few ms); ' +
      'the view hit is what a closed breaker costs on the warm path between two reads (one per `cacheMs`, default 1 s).',
  );
  return { ...base, tables: [table] };
});
