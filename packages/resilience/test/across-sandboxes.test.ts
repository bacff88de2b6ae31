// The acceptance of issue 19 across processes: each worker is a sandbox of its own (a Node
// process with its own module scope and clock), sharing only the test run's dynalite.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import {
  CircuitOpenError,
  ConcurrencyLimitError,
  createCircuitBreaker,
  createConcurrencyLimiter,
  dynamoDbStateStore,
} from '../src/index.js';
import { client, newTable } from './support.js';

const worker = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const dynamo = inject('localDynamo');
const env = {
  ...process.env,
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  AWS_REGION: dynamo.region,
  AWS_ACCESS_KEY_ID: dynamo.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: dynamo.credentials.secretAccessKey,
};

interface Worker {
  child: ChildProcess;
  /** The next JSON line the worker prints. */
  next(): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function start(job: Record<string, unknown>): Worker {
  const child = spawn(process.execPath, [worker, JSON.stringify(job)], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    child,
    exited,
    async next() {
      const line = await lines.next();
      if (line.done) throw new Error(`worker ${String(job.mode)} exited with ${await exited} before reporting`);
      return JSON.parse(line.value) as Record<string, unknown>;
    },
  };
}

describe('@lambdakit/resilience across sandboxes (one process each, one dynalite)', () => {
  it('8 processes × 25 concurrent calls through createConcurrencyLimiter({ max: 5 }) never have more than 5 inside at once', async () => {
    const tableName = await newTable();
    const workers = Array.from({ length: 8 }, () => start({ mode: 'limit', tableName, max: 5, calls: 25 }));
    const reports = await Promise.all(workers.map((w) => w.next()));
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual(Array(8).fill(0));
    expect(reports.map((r) => r.calls)).toEqual(Array(8).fill(25));
    const peak = Math.max(...reports.map((r) => r.peak as number));
    expect(peak).toBeLessThanOrEqual(5);
    expect(peak).toBeGreaterThanOrEqual(2); // the limit was actually contended
  }, 180_000);

  it('a killed holder’s slot comes back at its invocation deadline, not before', async () => {
    const tableName = await newTable();
    const holder = start({ mode: 'hold', tableName, deadlineMs: 900_000 });
    const { expiresAt } = (await holder.next()) as { expiresAt: number };
    holder.child.kill('SIGKILL');
    await holder.exited;
    const store = dynamoDbStateStore({ client, tableName });
    let at = expiresAt - 1;
    const limiter = createConcurrencyLimiter({ name: 'db', max: 1, store, now: () => at });
    await expect(limiter.acquire()).rejects.toBeInstanceOf(ConcurrencyLimitError);
    at = expiresAt;
    const lease = await limiter.acquire();
    await lease.release();
  }, 60_000);

  it('a breaker opened by failures in one process fails fast in another within its cacheMs', async () => {
    const tableName = await newTable();
    const store = dynamoDbStateStore({ client, tableName });
    let at = Date.now();
    const here = createCircuitBreaker({ name: 'api', store, cacheMs: 5000, now: () => at });
    expect(await here.run(async () => 'ok')).toBe('ok'); // this sandbox reads the breaker closed
    const tripper = start({ mode: 'trip', tableName, threshold: 3 });
    expect(await tripper.next()).toMatchObject({ state: 'open' });
    at += 5000; // the cached read is now as old as the bound allows
    let called = false;
    const refused = await here
      .run(async () => {
        called = true;
      })
      .catch((error: unknown) => error);
    expect(called).toBe(false);
    expect(refused).toBeInstanceOf(CircuitOpenError);
  }, 60_000);

  it('half-open admits exactly halfOpenProbes calls across 4 processes, and their success closes it', async () => {
    const tableName = await newTable();
    const store = dynamoDbStateStore({ client, tableName });
    // Opened long ago: every process finds it half-open.
    await store.trip('api', undefined, Date.now() - 1000);
    const workers = Array.from({ length: 4 }, () => start({ mode: 'probe', tableName, probes: 2, calls: 5 }));
    const ready = await Promise.all(workers.map((w) => w.next()));
    expect(ready.reduce((sum, r) => sum + (r.admitted as number), 0)).toBe(2);
    expect(ready.reduce((sum, r) => sum + (r.refused as number), 0)).toBe(18);
    for (const w of workers) w.child.stdin!.end('finish\n');
    expect(await Promise.all(workers.map((w) => w.next()))).toEqual(Array(4).fill({ done: true }));
    const snapshot = await createCircuitBreaker({ name: 'api', store }).snapshot();
    expect(snapshot.state).toBe('closed');
  }, 60_000);
});
