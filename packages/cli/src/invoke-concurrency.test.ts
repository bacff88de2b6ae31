import { describe, expect, it } from 'vitest';
import { jsonLines, lambdakit, linesStarting, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

// Lambda Managed Instances: AWS's runtime client starts worker threads (AWS_LAMBDA_NODEJS_WORKER_COUNT,
// else 8 per vCPU), each loading the function and running several invocations interleaved.
describe('lambdakit invoke --concurrency', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('runs N invocations at once in one worker with AWS_LAMBDA_MAX_CONCURRENCY=N and distinct request ids', async () => {
    // The fixture's invocations wait for each other: they can only finish if all 5 overlap in one module.
    const run = await lambdakit(['invoke', 'test/fixtures/concurrent.mjs', '--concurrency', '5', '--timeout', '30'], {
      env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' },
    });
    expect(run.code).toBe(0);
    const results = jsonLines(run.stdout) as Array<{
      requestId: string;
      pid: number;
      maxInFlight: number;
      maxConcurrency: string;
    }>;
    expect(results).toHaveLength(5);
    expect(new Set(results.map((result) => result.requestId)).size).toBe(5);
    expect(new Set(results.map((result) => result.pid)).size).toBe(1);
    expect(results.every((result) => result.maxConcurrency === '5')).toBe(true);
    expect(Math.max(...results.map((result) => result.maxInFlight))).toBe(5);
    // One init: exactly one REPORT carries Init Duration, one worker is ready and runs them all.
    const reports = linesStarting(run.stderr, 'REPORT');
    expect(reports).toHaveLength(5);
    expect(reports.filter((line) => line.includes('Init Duration:'))).toHaveLength(1);
    expect(linesStarting(run.stderr, 'lambdakit: worker ')).toEqual([
      expect.stringMatching(/^lambdakit: worker 1 ready \(Init Duration: \d+\.\d\d ms\)$/),
      ...results.map(() => expect.stringMatching(/^lambdakit: worker 1 ran [0-9a-f-]{36}$/)),
    ]);
  });

  it("writes each console line as JSON with its own invocation's request id while invocations overlap", async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/concurrent.mjs', '-c', '4', '--timeout', '30'], {
      env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' },
    });
    expect(run.code).toBe(0);
    // Under multi-concurrency the runtime writes JSON lines, whatever the log format.
    const consoleLines = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('{"timestamp"'))
      .map((line) => JSON.parse(line) as { level: string; requestId: string; message: string });
    expect(consoleLines).toHaveLength(8);
    for (const { level, requestId, message } of consoleLines) {
      expect(level).toBe('INFO');
      expect(message).toMatch(new RegExp(`^invocation ${requestId} (waiting|done)$`));
    }
  });

  it('loads the function once per worker thread, and spreads the invocations over the workers', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/warm.mjs', '-c', '6', '-n', '2'], {
      env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '3' },
    });
    expect(run.code).toBe(0);
    const results = jsonLines(run.stdout) as Array<{
      invocations: number;
      loads: number;
      pid: number;
      threadId: number;
    }>;
    expect(results).toHaveLength(12);
    expect(new Set(results.map((result) => result.pid)).size).toBe(1);
    // Module scope is per worker: each worker loaded it once and counts its own invocations.
    expect(results.every((result) => result.loads === 1)).toBe(true);
    const byThread = new Map<number, typeof results>();
    for (const result of results) byThread.set(result.threadId, [...(byThread.get(result.threadId) ?? []), result]);
    expect(byThread.size).toBeGreaterThanOrEqual(1);
    expect(byThread.size).toBeLessThanOrEqual(3);
    for (const [, runs] of byThread) {
      expect(runs.map((result) => result.invocations).sort((a, b) => a - b)).toEqual(runs.map((_, i) => i + 1));
    }
    const ready = linesStarting(run.stderr, 'lambdakit: worker ').filter((line) => line.includes(' ready '));
    expect(ready.map((line) => /worker (\d+)/.exec(line)?.[1]).sort()).toEqual(['1', '2', '3']);
  });

  it('runs --repeat rounds of --concurrency invocations, all in the same warm sandbox', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/warm.mjs', '-c', '2', '-n', '3'], {
      env: { AWS_LAMBDA_NODEJS_WORKER_COUNT: '1' },
    });
    expect(run.code).toBe(0);
    const results = jsonLines(run.stdout) as Array<{ invocations: number; loads: number; pid: number }>;
    expect(results.map((result) => result.invocations).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(results.map((result) => result.pid)).size).toBe(1);
    expect(results.every((result) => result.loads === 1)).toBe(true);
  });
});
