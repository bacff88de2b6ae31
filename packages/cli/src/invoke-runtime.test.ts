import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binFile, jsonLines, lambdakit, linesStarting, packageDir, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

/** A CLI run's stdout as bytes. */
function lambdakitBytes(args: string[]): Promise<Buffer> {
  const child = spawn(process.execPath, [binFile, ...args], { cwd: packageDir, stdio: ['ignore', 'pipe', 'ignore'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', () => resolve(Buffer.concat(chunks)));
  });
}

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

describe('--client-context and --tenant-id', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it("hand the function the context's clientContext and tenantId", async () => {
    const run = await lambdakit([
      'invoke',
      'test/fixtures/echo.mjs',
      '--client-context',
      '{"custom":{"app":"shop"},"env":{"locale":"fr"}}',
      '--tenant-id',
      'tenant-7',
    ]);
    expect(run.code).toBe(0);
    const [result] = jsonLines(run.stdout) as Array<{ context: Record<string, unknown> }>;
    expect(result!.context).toMatchObject({
      clientContext: { custom: { app: 'shop' }, env: { locale: 'fr' } },
      tenantId: 'tenant-7',
    });
  });

  it("refuses a client context that is not a JSON object, or over Lambda's 3,583 bytes", async () => {
    const notJson = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--client-context', '{custom']);
    expect(notJson).toMatchObject({ code: 2, stdout: '' });
    expect(notJson.stderr).toContain('lambdakit: --client-context: expected a JSON object');
    const tooLarge = await lambdakit([
      'invoke',
      'test/fixtures/echo.mjs',
      '--client-context',
      JSON.stringify({ a: 'x'.repeat(2700) }),
    ]);
    expect(tooLarge.code).toBe(2);
    expect(tooLarge.stderr).toMatch(/--client-context: \d+ bytes once base64-encoded; Lambda takes at most 3583/);
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

describe('streamed responses', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('prints the bytes of a streamed response as they came, whatever they are, then a newline', async () => {
    const bytes = await lambdakitBytes(['invoke', 'test/conformance/handlers.mjs#nonAsciiStream']);
    expect(bytes).toEqual(Buffer.concat([Buffer.from('café '), Buffer.from([0xe2, 0x82, 0xac, 0x00, 0xff, 0x0a])]));
  });

  it('prints what came of a stream the function destroyed, and says it was cut off', async () => {
    const run = await lambdakit(['invoke', 'test/conformance/handlers.mjs#destroyedStream']);
    expect(run.stdout).toBe('partial\n');
    expect(run.stderr).toMatch(/^lambdakit: [0-9a-f-]{36}: the runtime cut its streamed response off$/m);
  });
});

describe('an init phase over 10 s', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('is stopped, then tried again within the first invocation and its timeout', async () => {
    const dir = tmp();
    // First load 10.5 s (over the limit), the retry 1.5 s (over --timeout 1), the next sandbox's 1.5 s.
    const run = await lambdakit(['invoke', 'test/fixtures/slow-init.mjs', '--timeout', '1', '--repeat', '2'], {
      env: { LAMBDAKIT_TEST_MARKER: join(dir, 'marker') },
    });
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toEqual([
      { errorMessage: expect.stringMatching(/Task timed out after 1\.00 seconds$/), errorType: 'Sandbox.Timedout' },
      { loaded: true },
    ]);
    expect(run.stderr).toMatch(/^INIT_REPORT Init Duration: 1\d{4}\.\d\d ms\tPhase: init\tStatus: timeout$/m);
    const reports = linesStarting(run.stderr, 'REPORT');
    expect(reports[0]).toMatch(/\tDuration: 1000\.00 ms\t.*\tStatus: timeout$/);
    expect(reports[0]).not.toContain('Init Duration');
    expect(reports[1]).toContain('Init Duration');
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
