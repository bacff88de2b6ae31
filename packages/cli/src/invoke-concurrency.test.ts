import { describe, expect, it } from 'vitest';
import { jsonLines, lambdakit, linesStarting, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

describe('lambdakit invoke --concurrency', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('runs N invocations at once in one sandbox with AWS_LAMBDA_MAX_CONCURRENCY=N and distinct request ids', async () => {
    // The fixture's invocations wait for each other: they can only finish if all 5 overlap.
    const run = await lambdakit(['invoke', 'test/fixtures/concurrent.mjs', '--concurrency', '5', '--timeout', '30']);
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
    // One init for the sandbox: exactly one REPORT carries Init Duration.
    const reports = linesStarting(run.stderr, 'REPORT');
    expect(reports).toHaveLength(5);
    expect(reports.filter((line) => line.includes('Init Duration:'))).toHaveLength(1);
  });

  it("tags each console line with its own invocation's request id while invocations overlap", async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/concurrent.mjs', '-c', '4', '--timeout', '30']);
    expect(run.code).toBe(0);
    const consoleLines = run.stderr.split('\n').filter((line) => line.includes('\tINFO\tinvocation '));
    expect(consoleLines).toHaveLength(8);
    for (const line of consoleLines) {
      const [, requestId, , message] = line.split('\t');
      expect(message).toMatch(new RegExp(`^invocation ${requestId} (waiting|done)$`));
    }
  });

  it('runs --repeat rounds of --concurrency invocations, all in the same warm sandbox', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/warm.mjs', '-c', '2', '-n', '3']);
    expect(run.code).toBe(0);
    const results = jsonLines(run.stdout) as Array<{ invocations: number; loads: number; pid: number }>;
    expect(results.map((result) => result.invocations).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(results.map((result) => result.pid)).size).toBe(1);
    expect(results.every((result) => result.loads === 1)).toBe(true);
  });
});
