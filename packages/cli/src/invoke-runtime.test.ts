import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, lambdakit, linesStarting, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lambdakit-runtime-'));
const localMajor = Number(process.versions.node.split('.')[0]);

describe('lambdakit invoke --runtime', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('emulates nodejs24.x by default: AWS_EXECUTION_ENV, and callback handlers refused at init', async () => {
    const echo = await lambdakit(['invoke', 'test/fixtures/echo.mjs']);
    expect(echo.code).toBe(0);
    const [result] = jsonLines(echo.stdout) as Array<{ env: Record<string, string> }>;
    expect(result!.env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs24.x');

    const callback = await lambdakit(['invoke', 'test/conformance/callbacks.cjs#callback']);
    expect(callback.code).toBe(1);
    expect(jsonLines(callback.stdout)).toMatchObject([
      {
        errorType: 'Runtime.CallbackHandlerDeprecated',
        errorMessage: expect.stringContaining(
          'removed support for callback-based function handlers starting with Node.js 24',
        ),
      },
    ]);
    expect(callback.stderr).toMatch(/^INIT_REPORT .*\tError Type: Runtime\.CallbackHandlerDeprecated$/m);
  });

  it('nodejs22.x runs callback handlers, and its context has the callback helpers', async () => {
    const run = await lambdakit(
      ['invoke', 'test/conformance/callbacks.cjs#callback', '--runtime', 'nodejs22.x', '--event', '-'],
      {
        input: '{"n":1}',
      },
    );
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([{ via: 'callback', event: { n: 1 } }]);
    const context = await lambdakit(['invoke', 'test/conformance/handlers.mjs#context', '--runtime', 'nodejs22.x']);
    const [seen] = jsonLines(context.stdout) as Array<{ keys: string[] }>;
    expect(seen!.keys.slice(0, 4)).toEqual(['callbackWaitsForEmptyEventLoop', 'succeed', 'fail', 'done']);
    expect(seen!.keys).not.toContain('xRayTraceId');
  });

  it('notes once when the local Node is not the emulated runtime', async () => {
    const other = localMajor === 22 ? 'nodejs24.x' : 'nodejs22.x';
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--runtime', other, '--repeat', '2']);
    expect(run.code).toBe(0);
    const notes = linesStarting(run.stderr, 'lambdakit: note: emulating');
    expect(notes).toEqual([expect.stringContaining(`emulating ${other} on Node ${process.versions.node}`)]);
  });

  it('refuses a runtime it does not know', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--runtime', 'nodejs20.x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 'nodejs20.x' is invalid");
  });
});

describe('payload limits, as Lambda enforces them', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('refuses a synchronous request over 6 MB with RequestEntityTooLargeException, running nothing', async () => {
    const dir = tmp();
    const file = join(dir, 'big.json');
    writeFileSync(file, JSON.stringify({ data: 'x'.repeat(6_291_456) }));
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--event', file]);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toEqual([
      {
        errorType: 'RequestEntityTooLargeException',
        errorMessage: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      },
    ]);
    expect(linesStarting(run.stderr, 'START')).toEqual([]);
  });

  it('takes an event of exactly 6291456 bytes synchronously', async () => {
    const dir = tmp();
    const file = join(dir, 'limit.json');
    const body = JSON.stringify({ data: '' });
    writeFileSync(file, JSON.stringify({ data: 'x'.repeat(6_291_456 - body.length) }));
    const run = await lambdakit(['invoke', 'test/conformance/handlers.mjs#returnsNumber', '--event', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('42\n');
  });

  it('refuses an asynchronous event over 1 MB', async () => {
    const dir = tmp();
    const file = join(dir, 'async.json');
    const text = JSON.stringify({ data: 'x'.repeat(1_048_576) });
    writeFileSync(file, text);
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--event', file, '--async', '--dlq-dir', dir]);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toEqual([
      {
        errorType: 'RequestEntityTooLargeException',
        errorMessage: `${Buffer.byteLength(text)} byte payload is too large for the Event invocation type (limit 1048576 bytes)`,
      },
    ]);
  });

  it('fails a response over 6 MB with Function.ResponseSizeTooLarge, and takes one under it', async () => {
    const over = await lambdakit(['invoke', 'test/conformance/handlers.mjs#largeResult', '--event', '-'], {
      input: '{"bytes":6300000}',
    });
    expect(over.code).toBe(1);
    expect(jsonLines(over.stdout)).toEqual([
      {
        errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
        errorType: 'Function.ResponseSizeTooLarge',
      },
    ]);
    const under = await lambdakit(['invoke', 'test/conformance/handlers.mjs#largeResult', '--event', '-'], {
      input: '{"bytes":6000000}',
    });
    expect(under.code).toBe(0);
    expect((jsonLines(under.stdout)[0] as { data: string }).data).toHaveLength(6_000_000);
  });
});

describe('REPORT lines', { timeout: SPAWN_TIMEOUT_MS }, () => {
  const figures = (line: string) => ({
    durationMs: Number(/\tDuration: ([\d.]+) ms/.exec(line)?.[1]),
    billedMs: Number(/\tBilled Duration: (\d+) ms/.exec(line)?.[1]),
    memoryMb: Number(/\tMax Memory Used: (\d+) MB/.exec(line)?.[1]),
    initMs: /\tInit Duration: ([\d.]+) ms/.exec(line)?.[1],
  });

  it('gives the measured duration and the sandbox peak memory on every path: success, error, timeout, crash', async () => {
    const runs = await Promise.all([
      lambdakit(['invoke', 'test/conformance/handlers.mjs#echo', '--repeat', '2']),
      lambdakit(['invoke', 'test/conformance/handlers.mjs#throwsError']),
      lambdakit(['invoke', 'test/fixtures/hang.mjs', '--timeout', '1']),
      lambdakit(['invoke', 'test/conformance/handlers.mjs#uncaughtInTimer']),
    ]);
    const reports = runs.flatMap((run) => linesStarting(run.stderr, 'REPORT'));
    expect(reports).toHaveLength(5);
    for (const report of reports) {
      const { durationMs, billedMs, memoryMb } = figures(report);
      expect(durationMs, report).toBeGreaterThan(0);
      expect(memoryMb, report).toBeGreaterThan(10);
      expect(billedMs, report).toBeGreaterThanOrEqual(Math.ceil(durationMs));
    }
    // The first invocation of a sandbox carries Init Duration and its billing; a warm one neither.
    const [cold, warm] = linesStarting(runs[0]!.stderr, 'REPORT').map(figures);
    expect(Number(cold!.initMs)).toBeGreaterThan(0);
    expect(cold!.billedMs).toBe(Math.ceil(cold!.durationMs) + Math.ceil(Number(cold!.initMs)));
    expect(warm!.initMs).toBeUndefined();
    expect(figures(linesStarting(runs[2]!.stderr, 'REPORT')[0]!).durationMs).toBe(1000);
  });
});

describe('lambdakit invoke --runtime-client aws', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it.runIf(localMajor < 22)('says that AWS runtime client needs Node 22 or later', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--runtime-client', 'aws']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('needs Node 22 or later');
  });

  it.runIf(localMajor >= 22)('says how to install AWS runtime client when it is not installed', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--runtime-client', 'aws'], {
      env: { LAMBDAKIT_AWS_LAMBDA_RIC: '' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('aws-lambda-ric is not installed for this project');
  });
});
