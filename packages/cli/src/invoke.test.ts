import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, lambdakit, linesStarting, packageDir, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const tmp = () => mkdtempSync(join(tmpdir(), 'lambdakit-invoke-'));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('lambdakit invoke', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('prints only the result on stdout, and the function logs with START, END and REPORT on stderr', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'event.json'), '{"orderId": "o-1"}');
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--event', join(dir, 'event.json')]);
    expect(run.code).toBe(0);
    const [result, ...rest] = jsonLines(run.stdout) as Array<{ event: unknown; context: { awsRequestId: string } }>;
    expect(rest).toEqual([]);
    expect(result!.event).toEqual({ orderId: 'o-1' });
    const requestId = result!.context.awsRequestId;
    expect(requestId).toMatch(REQUEST_ID);
    expect(run.stderr).toContain(`START RequestId: ${requestId} Version: $LATEST`);
    expect(run.stderr).toMatch(
      new RegExp(`\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${requestId}\\tINFO\\techo handler got an event`),
    );
    expect(run.stderr).toContain(`END RequestId: ${requestId}`);
    const [report] = linesStarting(run.stderr, 'REPORT');
    expect(report).toMatch(
      new RegExp(
        `^REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms$`,
      ),
    );
  });

  it("gives the handler Lambda's environment and a context built from the options", async () => {
    const dir = tmp();
    writeFileSync(join(dir, '.env'), '# comment\nLAMBDAKIT_TEST_TABLE=orders\nLAMBDAKIT_TEST_QUOTED="a b"\n');
    const run = await lambdakit(
      [
        'invoke',
        'test/fixtures/echo.mjs',
        '--function-name',
        'orders-api',
        '--qualifier',
        'live',
        '--region',
        'eu-west-1',
        '--memory',
        '512',
        '--timeout',
        '7',
        '--env-file',
        join(dir, '.env'),
      ],
      // Lambda's variables in the calling shell do not leak into the sandbox.
      { env: { AWS_LAMBDA_MAX_CONCURRENCY: '9', AWS_LAMBDA_LOG_FORMAT: 'JSON', _X_AMZN_TRACE_ID: 'Root=stale' } },
    );
    expect(run.code).toBe(0);
    const [result] = jsonLines(run.stdout) as Array<{
      event: unknown;
      context: Record<string, unknown>;
      env: Record<string, string>;
    }>;
    expect(result!.event).toEqual({});
    expect(result!.context).toMatchObject({
      functionName: 'orders-api',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-api:live',
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/orders-api',
    });
    expect(result!.context.remainingTimeMs).toBeGreaterThan(0);
    expect(result!.context.remainingTimeMs).toBeLessThanOrEqual(7000);
    expect(result!.context.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(result!.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'orders-api',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/orders-api',
      AWS_LAMBDA_LOG_STREAM_NAME: result!.context.logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      LAMBDAKIT_TEST_TABLE: 'orders',
      LAMBDAKIT_TEST_QUOTED: 'a b',
      _HANDLER: 'test/fixtures/echo.handler',
    });
    expect(result!.env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(result!.env.AWS_LAMBDA_MAX_CONCURRENCY).toBeUndefined();
    expect(result!.env.AWS_LAMBDA_LOG_FORMAT).toBeUndefined();
    expect(run.stderr).toMatch(/\tINFO\techo handler got an event/);
  });

  it('invokes a numbered version with a version-qualified ARN and that version in START', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--function-name', 'orders', '-q', '7']);
    expect(run.code).toBe(0);
    const [result] = jsonLines(run.stdout) as Array<{ context: Record<string, string> }>;
    expect(result!.context.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:orders:7');
    expect(result!.context.functionVersion).toBe('7');
    expect(run.stderr).toMatch(/^START RequestId: \S+ Version: 7$/m);
  });

  it('reads the event from stdin with --event -', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs#handler', '--event', '-'], {
      input: '{"from": "stdin", "n": [1, 2]}',
    });
    expect(run.code).toBe(0);
    expect((jsonLines(run.stdout)[0] as { event: unknown }).event).toEqual({ from: 'stdin', n: [1, 2] });
  });

  it('kills the sandbox at the timeout and reports "Task timed out" in Lambda\'s words, exit code 1', async () => {
    const dir = tmp();
    const pidFile = join(dir, 'pid');
    const run = await lambdakit(['invoke', 'test/fixtures/hang.mjs', '--timeout', '1'], {
      env: { LAMBDAKIT_TEST_PID_FILE: pidFile },
    });
    expect(run.code).toBe(1);
    const [payload] = jsonLines(run.stdout) as Array<{ errorType: string; errorMessage: string }>;
    // Lambda's payload names the request; its log line is "<time> <requestId> Task timed out …".
    const requestId = /^START RequestId: (\S+)/m.exec(run.stderr)![1];
    expect(payload).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(run.stderr).toContain('started work that will never finish');
    expect(run.stderr).toMatch(
      new RegExp(
        `\\n\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${requestId} Task timed out after 1\\.00 seconds\\nEND RequestId: `,
      ),
    );
    expect(linesStarting(run.stderr, 'REPORT')[0]).toMatch(/Duration: 1000\.00 ms\t.*\tStatus: timeout$/);
    // The handler kept a timer alive: only a kill ends its process.
    expect(isAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it("prints a thrown error in Lambda's shape { errorType, errorMessage, trace }, exit code 1", async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/fail.mjs', '--event', '-'], { input: '{"orderId":"o-9"}' });
    expect(run.code).toBe(1);
    const [payload] = jsonLines(run.stdout) as Array<{ errorType: string; errorMessage: string; trace: string[] }>;
    expect(Object.keys(payload!)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(payload!.errorType).toBe('OrderRejected');
    expect(payload!.errorMessage).toBe('order o-9 rejected: total over limit');
    expect(payload!.trace[0]).toBe('OrderRejected: order o-9 rejected: total over limit');
    expect(payload!.trace.some((line) => line.includes('fail.mjs'))).toBe(true);
    expect(run.stderr).toMatch(/\tERROR\tabout to reject order o-9/);
  });

  it("logs the Invoke Error as Lambda's Node.js runtime does: code, the error's own fields and stack lines", async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/fail.mjs', '--event', '-'], { input: '{"orderId":"o-9"}' });
    expect(run.code).toBe(1);
    const [payload] = jsonLines(run.stdout) as Array<{ trace: string[] }>;
    const [line] = run.stderr.split('\n').filter((text) => text.includes('\tInvoke Error \t'));
    const [, requestId, level, message, logged] = line!.split('\t');
    expect([level, message]).toEqual(['ERROR', 'Invoke Error ']);
    expect(requestId).toMatch(REQUEST_ID);
    const error = JSON.parse(logged!) as Record<string, unknown>;
    expect(error).toEqual({
      errorType: 'OrderRejected',
      errorMessage: 'order o-9 rejected: total over limit',
      code: 'ORDER_OVER_LIMIT',
      name: 'OrderRejected',
      orderId: 'o-9',
      limit: 100,
      stack: payload!.trace,
    });
    expect(Object.keys(error).at(-1)).toBe('stack');
  });

  it('runs --repeat invocations in one warm sandbox: init and memoized work happen once, Init Duration only on the first REPORT', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/warm.mjs', '--repeat', '3']);
    expect(run.code).toBe(0);
    const results = jsonLines(run.stdout) as Array<{
      invocations: number;
      loads: number;
      pid: number;
      requestId: string;
    }>;
    expect(results.map((result) => result.invocations)).toEqual([1, 2, 3]);
    expect(results.map((result) => result.loads)).toEqual([1, 1, 1]);
    expect(new Set(results.map((result) => result.pid)).size).toBe(1);
    expect(new Set(results.map((result) => result.requestId)).size).toBe(3);
    const reports = linesStarting(run.stderr, 'REPORT');
    expect(reports).toHaveLength(3);
    expect(reports.map((line) => line.includes('Init Duration:'))).toEqual([true, false, false]);
    expect(reports.map((line) => line.split('\t')[0])).toEqual(
      results.map((result) => `REPORT RequestId: ${result.requestId}`),
    );
  });

  it("counts the runtime's startup and the module's import in Init Duration, as Lambda does", async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/init-timing.mjs']);
    expect(run.code).toBe(0);
    const [timing] = jsonLines(run.stdout) as Array<{ moduleStartedMs: number; moduleEndedMs: number }>;
    const [report] = linesStarting(run.stderr, 'REPORT');
    const initDurationMs = Number(/\tInit Duration: ([\d.]+) ms/.exec(report!)![1]);
    // The import alone (the module's own code) is part of it…
    expect(initDurationMs).toBeGreaterThanOrEqual(timing!.moduleEndedMs - timing!.moduleStartedMs);
    // …and so is everything the sandbox process did before the module's code ran (Node's boot,
    // the runtime): Init Duration ends after the module's last line, counted from process start.
    expect(initDurationMs).toBeGreaterThanOrEqual(Math.floor(timing!.moduleEndedMs * 100) / 100);
    expect(initDurationMs).toBeGreaterThan(timing!.moduleStartedMs);
  });

  it('starts a new sandbox, cold, for the invocation after a timeout', async () => {
    const dir = tmp();
    const run = await lambdakit(['invoke', 'test/fixtures/hang-once.mjs', '--repeat', '2', '--timeout', '1'], {
      env: { LAMBDAKIT_TEST_MARKER: join(dir, 'marker') },
    });
    expect(run.code).toBe(1);
    const [timedOut, second] = jsonLines(run.stdout) as [{ errorType: string }, { pid: number }];
    expect(timedOut.errorType).toBe('Sandbox.Timedout');
    expect(second.pid).not.toBe(Number(readFileSync(join(dir, 'marker'), 'utf8')));
    const reports = linesStarting(run.stderr, 'REPORT');
    expect(reports.map((line) => line.includes('Init Duration:'))).toEqual([true, true]);
    expect(reports.map((line) => line.endsWith('Status: timeout'))).toEqual([true, false]);
  });

  it('writes console lines as JSON with --log-format json, which `lambdakit logs` filters by request id and level', async () => {
    const dir = tmp();
    const invoked = await lambdakit(
      ['invoke', 'test/fixtures/fail.mjs', '--log-format', 'json', '-n', '2', '--event', '-'],
      {
        input: '{"orderId":"o-5"}',
      },
    );
    expect(invoked.code).toBe(1);
    const jsonLogLines = invoked.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; requestId: string; message: unknown });
    // Per invocation: the function's console.error line, then the runtime's error line, which in
    // the JSON format carries the error itself as its message (type, message, fields, stack).
    const described = (line: { message: unknown }) =>
      typeof line.message === 'string' ? line.message : (line.message as { errorType: string }).errorType;
    expect(jsonLogLines.map((line) => [line.level, described(line)])).toEqual([
      ['ERROR', 'about to reject order o-5'],
      ['ERROR', 'OrderRejected'],
      ['ERROR', 'about to reject order o-5'],
      ['ERROR', 'OrderRejected'],
    ]);
    expect(jsonLogLines[1]!.message).toMatchObject({
      errorType: 'OrderRejected',
      errorMessage: 'order o-5 rejected: total over limit',
      code: 'ORDER_OVER_LIMIT',
      stackTrace: expect.arrayContaining([expect.stringContaining('fail.mjs')]),
    });
    const requestId = jsonLogLines[2]!.requestId;
    writeFileSync(join(dir, 'invoke.log'), invoked.stderr);
    const filtered = await lambdakit(['logs', join(dir, 'invoke.log'), '--request-id', requestId, '--level', 'error']);
    expect(filtered.code).toBe(0);
    const kept = jsonLines(filtered.stdout) as Array<{ requestId: string; message: unknown }>;
    expect(kept.map(described)).toEqual(['about to reject order o-5', 'OrderRejected']);
    expect(kept.every((line) => line.requestId === requestId)).toBe(true);
  });

  it('nodejs24.x: an exception escaping into a timer ends the runtime (Runtime.ExitError), and the next invocation starts cold', async () => {
    const run = await lambdakit(
      ['invoke', 'test/fixtures/crash.mjs', '--event', '-', '--repeat', '2', '--timeout', '120'],
      { input: '{"crash":"exception"}' },
    );
    expect(run.code).toBe(1);
    const payloads = jsonLines(run.stdout) as Array<{ errorType: string; errorMessage: string }>;
    expect(payloads.map((payload) => payload.errorType)).toEqual(['Runtime.ExitError', 'Runtime.ExitError']);
    expect(payloads[0]!.errorMessage).toMatch(
      /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 1$/,
    );
    // Node's own report of the uncaught error reaches the log.
    expect(run.stderr).toContain('boom in a timer');
    const reports = linesStarting(run.stderr, 'REPORT');
    expect(reports.map((line) => line.includes('Init Duration:'))).toEqual([true, true]);
    expect(reports.every((line) => line.endsWith('\tStatus: error\tError Type: Runtime.ExitError'))).toBe(true);
    expect(reports.every((line) => !/Duration: 0\.00 ms|Max Memory Used: 0 MB/.test(line))).toBe(true);
  });

  it('nodejs22.x: an exception escaping into a timer fails the invocation with that error, then the runtime exits', async () => {
    const run = await lambdakit(
      [
        'invoke',
        'test/fixtures/crash.mjs',
        '--runtime',
        'nodejs22.x',
        '--event',
        '-',
        '--repeat',
        '2',
        '--timeout',
        '120',
      ],
      { input: '{"crash":"exception"}' },
    );
    expect(run.code).toBe(1);
    const payloads = jsonLines(run.stdout) as Array<{ errorType: string; errorMessage: string }>;
    expect(payloads.map((payload) => [payload.errorType, payload.errorMessage])).toEqual([
      ['Error', 'boom in a timer'],
      ['Error', 'boom in a timer'],
    ]);
    expect(run.stderr).toMatch(/\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"boom in a timer"/);
    expect(linesStarting(run.stderr, 'REPORT').map((line) => line.includes('Init Duration:'))).toEqual([true, true]);
  });

  it('nodejs22.x: reports an unhandled promise rejection as Runtime.UnhandledPromiseRejection', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/crash.mjs', '--runtime', 'nodejs22.x', '--timeout', '120']);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toMatchObject([
      { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'RangeError: forgotten promise' },
    ]);
  });

  it('nodejs24.x: an unhandled promise rejection ends the runtime (Runtime.ExitError)', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/crash.mjs', '--timeout', '120']);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toMatchObject([{ errorType: 'Runtime.ExitError' }]);
    expect(run.stderr).toContain('forgotten promise');
  });

  it("answers a missing export with Lambda's init error, and names the module's exported functions", async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs#main']);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toMatchObject([
      { errorType: 'Runtime.HandlerNotFound', errorMessage: 'test/fixtures/echo.main is undefined or not exported' },
    ]);
    expect(run.stderr).toMatch(
      /^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.HandlerNotFound$/m,
    );
    expect(run.stderr).toContain('lambdakit: note: test/fixtures/echo.mjs exports these functions: handler');
  });

  it("answers an export that is not a function with Lambda's init error", async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs#notAFunction']);
    expect(run.code).toBe(1);
    expect(jsonLines(run.stdout)).toMatchObject([
      { errorType: 'Runtime.HandlerNotFound', errorMessage: 'test/fixtures/echo.notAFunction is not a function' },
    ]);
  });

  it('reports an error thrown while the module loads as a failed init phase, exit code 1', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/init-error.mjs']);
    expect(run.code).toBe(1);
    const [payload] = jsonLines(run.stdout) as Array<{ errorType: string; errorMessage: string }>;
    expect(payload).toMatchObject({ errorType: 'Error', errorMessage: 'cannot load: DATABASE_URL is not set' });
    expect(run.stderr).toMatch(
      /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: error\tError Type: Error$/m,
    );
  });
});

describe('lambdakit invoke, bad usage (exit code 2, nothing on stdout)', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it.each([
    [
      ['invoke', 'test/fixtures/echo.mjs', '--memory', '5'],
      "lambdakit: option '-m, --memory <mb>' argument '5' is invalid. expected a whole number from 128 to 10240",
    ],
    [['invoke', 'test/fixtures/echo.mjs', '--nope'], "lambdakit: unknown option '--nope'"],
    [['invoke'], "lambdakit: missing required argument 'module'"],
  ])('starts every error with "lambdakit:" and names the option once: %j', async (args, message) => {
    const run = await lambdakit(args);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr.split('\n')[0]).toBe(message);
  });

  it('names the module that does not exist', async () => {
    const run = await lambdakit(['invoke', 'dist/nope.js']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^lambdakit: dist\/nope\.js: module not found \(looked for \/.*dist\/nope\.js\)$/m);
  });

  it('refuses a module whose file name has a dot before its extension, which a handler setting cannot name', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/dotted.name.mjs']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('"dotted.name.mjs" cannot be a handler module; rename it (e.g. dotted-name.mjs)');
  });

  it('says which event file is invalid JSON, and where', async () => {
    const dir = tmp();
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{\n  "orderId": "o-1",\n  total: 5\n}\n');
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--event', file]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain(`lambdakit: ${file}: invalid JSON at line 3 column 3`);
  });

  it('says when stdin is not JSON, and where', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--event', '-'], { input: '[1, 2,]' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lambdakit: stdin: invalid JSON at line 1 column 7');
  });

  it('names an event file that does not exist', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--event', 'events/missing.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lambdakit: --event events/missing.json: cannot read it (no such file)');
  });

  it('refuses a TypeScript source and says to build it', async () => {
    const run = await lambdakit(['invoke', 'src/run-cli.ts']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('TypeScript is not run directly');
  });

  it.each([
    [['--timeout', '0'], '--timeout'],
    [['--timeout', 'soon'], '--timeout'],
    [['--memory', '64'], '--memory'],
    [['--repeat', '1.5'], '--repeat'],
    [['--concurrency', '0'], '--concurrency'],
    [['--max-retries', '3'], '--max-retries'],
    [['--log-format', 'xml'], '--log-format'],
    [['--no-such-option'], 'no-such-option'],
  ])('rejects %j naming the option', async (args, option) => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(option);
    expect(run.stdout).toBe('');
  });

  it('refuses an env file that sets a variable Lambda reserves, naming the file and line', async () => {
    const dir = tmp();
    writeFileSync(join(dir, '.env'), 'A=1\nAWS_REGION=mars-1\n');
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--env-file', join(dir, '.env')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, '.env')}:2: AWS_REGION is reserved`);
  });

  it('refuses an invalid function name or qualifier', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/echo.mjs', '--function-name', 'bad name!']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid function name');
  });

  it('shows help for every command, exit code 0', async () => {
    for (const command of ['invoke', 'events', 'logs']) {
      const run = await lambdakit([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: lambdakit ${command}`);
    }
    const root = await lambdakit(['--help']);
    expect(root.code).toBe(0);
    expect(root.stdout).toMatch(/invoke[\s\S]*events[\s\S]*logs/);
  });

  it('exits 2 with usage for an unknown command', async () => {
    const run = await lambdakit(['deploy']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'deploy'");
  });

  it('resolves the module against the current directory', async () => {
    const run = await lambdakit(['invoke', 'fixtures/warm.mjs'], { cwd: join(packageDir, 'test') });
    expect(run.code).toBe(0);
    const elsewhere = await lambdakit(['invoke', 'fixtures/warm.mjs'], { cwd: tmp() });
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('fixtures/warm.mjs: module not found');
  });
});
