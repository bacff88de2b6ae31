// One "sandbox" of the cross-process tests (across-sandboxes.test.ts): a plain Node process that
// loads the built package and talks to the test run's dynalite through the environment
// (AWS_ENDPOINT_URL_DYNAMODB). It reports on stdout, one JSON object per line.
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CircuitOpenError,
  createCircuitBreaker,
  createConcurrencyLimiter,
  dynamoDbStateStore,
} from '@lambdakit/resilience';

const job = JSON.parse(process.argv[2]);
const client = new DynamoDBClient({ maxAttempts: 10 });
const store = dynamoDbStateStore({ client, tableName: job.tableName });
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

/** The number of callers inside the limited section, counted atomically in the table itself. */
async function inside(delta) {
  const out = await client.send(
    new UpdateItemCommand({
      TableName: job.tableName,
      Key: { id: { S: 'test#inside' } },
      UpdateExpression: 'ADD #n :d',
      ExpressionAttributeNames: { '#n': 'n' },
      ExpressionAttributeValues: { ':d': { N: String(delta) } },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes.n.N);
}

async function limit() {
  const limiter = createConcurrencyLimiter({ name: 'db', max: job.max, store, waitMs: 600_000, pollMs: 5 });
  let peak = 0;
  await Promise.all(
    Array.from({ length: job.calls }, () =>
      limiter.run(async () => {
        peak = Math.max(peak, await inside(1));
        await sleep(5 + Math.floor(Math.random() * 20));
        await inside(-1);
      }),
    ),
  );
  say({ peak, calls: job.calls });
}

async function hold() {
  const limiter = createConcurrencyLimiter({ name: 'db', max: 1, store });
  const lease = await limiter.acquire({ deadline: Date.now() + job.deadlineMs });
  say({ held: true, expiresAt: lease.expiresAt });
  setInterval(() => undefined, 60_000); // held until the test kills this process
}

function breaker() {
  return createCircuitBreaker({
    name: 'api',
    store,
    failureThreshold: job.threshold ?? 3,
    openSeconds: job.openSeconds ?? 600,
    halfOpenProbes: job.probes ?? 1,
  });
}

async function trip() {
  const b = breaker();
  for (let i = 0; i < (job.threshold ?? 3); i++)
    await b.run(() => Promise.reject(new Error('down'))).catch(() => undefined);
  say(await b.snapshot());
}

async function probe() {
  const b = breaker();
  let finish;
  const finished = new Promise((resolve) => {
    finish = resolve;
  });
  process.stdin.on('data', () => finish());
  let admitted = 0;
  let refused = 0;
  const report = () => {
    if (admitted + refused === job.calls) say({ ready: true, admitted, refused });
  };
  const calls = Array.from({ length: job.calls }, () =>
    b
      .run(async () => {
        admitted++;
        report();
        await finished;
      })
      .catch((error) => {
        if (!(error instanceof CircuitOpenError)) throw error;
        refused++;
        report();
      }),
  );
  await Promise.all(calls);
  await finished; // a process whose calls were all refused still waits, so the test's stdin write finds it
  say({ done: true });
  process.exit(0);
}

await { limit, hold, trip, probe }[job.mode]();
