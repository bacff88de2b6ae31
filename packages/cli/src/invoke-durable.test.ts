import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, lambdakit, linesStarting, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

const FIXTURE = 'test/fixtures/durable-order.mjs';

/** Writes `value` as JSON to a new temporary file and returns its path. */
function jsonFile(name: string, value: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lambdakit-durable-')), name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

/** A durable run of the fixture; `--timeout 10` unless given (a loaded machine is slow to start a sandbox). */
function invokeDurable(order: object, ...args: string[]) {
  const timeout = args.includes('--timeout') ? [] : ['--timeout', '10'];
  return lambdakit(['invoke', FIXTURE, '--durable', '--event', jsonFile('order.json', order), ...timeout, ...args]);
}

/** The function's own log lines (JSON) on stderr. */
function logLines(stderr: string): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{"level"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The report's row of the operation named `name`. */
function row(stderr: string, name: string): string {
  return stderr.split('\n').find((line) => new RegExp(`^\\s+[A-Z_]+\\s+${name}\\s`).test(line)) ?? '';
}

describe('lambdakit invoke --durable', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('runs the execution to its end through the sandbox: each invocation, each operation, the result', async () => {
    const { code, stdout, stderr } = await invokeDurable(
      { id: 'o-1', failCharges: 1 },
      '--callback',
      'payment={"paid":12}',
    );
    expect(code, stderr).toBe(0);
    expect(jsonLines(stdout)).toEqual([
      { reserved: { id: 'o-1', items: 1 }, payment: { paid: 12 }, charged: { charged: true } },
    ]);
    // The failed charge suspends the execution, its retry runs in a later invocation (the SDK
    // may suspend at the wait or the callback too: how many depends on timing, at least two).
    const starts = linesStarting(stderr, 'START RequestId:').length;
    expect(starts).toBeGreaterThanOrEqual(2);
    expect(linesStarting(stderr, 'REPORT RequestId:')).toHaveLength(starts);
    expect(stderr).toContain(`lambdakit: durable execution SUCCEEDED: ${starts} invocations, `);
    // Replayed code writes no line again: the first line once, though the handler ran twice.
    const messages = logLines(stderr).map((line) => line.message);
    expect(messages.filter((message) => message === 'order received')).toHaveLength(1);
    expect(messages.filter((message) => message === 'order done')).toHaveLength(1);
    expect(logLines(stderr)[0]?.durableExecutionArn).toEqual(expect.any(String));
    expect(row(stderr, 'reserve')).toMatch(/STEP\s+reserve\s+SUCCEEDED\s+\d+ ms/);
    expect(row(stderr, 'cool-off')).toMatch(/WAIT\s+cool-off\s+SUCCEEDED\s+.*1 h skipped/);
    expect(row(stderr, 'payment')).toMatch(/CONTEXT\s+payment\s+SUCCEEDED\s+.*WaitForCallback/);
    expect(row(stderr, 'charge')).toMatch(/STEP\s+charge\s+SUCCEEDED\s+.*2 attempts, 5 min skipped/);
    expect(stderr).toContain('lambdakit: durable: callback "payment" answered with a result');
  });

  it("runs a function on AWS's SDK alone, without lambdakit", async () => {
    const { code, stdout, stderr } = await lambdakit([
      'invoke',
      'test/fixtures/durable-plain.mjs',
      '--durable',
      '--event',
      jsonFile('event.json', { n: 21 }),
    ]);
    expect(code, stderr).toBe(0);
    expect(jsonLines(stdout)).toEqual([{ doubled: 42 }]);
    expect(row(stderr, 'pause')).toMatch(/WAIT\s+pause\s+SUCCEEDED\s+.*2 min skipped/);
  });

  it('times a callback nobody answers out at once, and the execution fails with its error', async () => {
    const { code, stdout, stderr } = await invokeDurable({ id: 'o-2' });
    expect(code, stderr).toBe(1);
    expect(jsonLines(stdout)).toEqual([{ errorType: 'CallbackTimeoutError', errorMessage: 'Callback timed out' }]);
    expect(stderr).toContain('callback "payment" has no answer: it times out now (its 1800 s skipped)');
    expect(stderr).toMatch(/lambdakit: durable execution FAILED: \d+ invocations?, /);
    expect(stderr).toMatch(/CALLBACK\s+-\s+TIMED_OUT\s+.*30 min skipped/);
  });

  it('fails a callback with the error a --callbacks file gives', async () => {
    const answers = jsonFile('callbacks.json', {
      payment: { error: { errorMessage: 'card declined', errorType: 'Declined' } },
    });
    const { code, stdout, stderr } = await invokeDurable({ id: 'o-3' }, '--callbacks', answers);
    expect(code, stderr).toBe(1);
    expect(jsonLines(stdout)).toEqual([expect.objectContaining({ errorMessage: 'card declined' })]);
    expect(stderr).toContain('lambdakit: durable: callback "payment" answered with an error');
  });

  it('takes the waits in real time with --real-time: nothing is skipped', async () => {
    const { code, stderr } = await invokeDurable(
      { id: 'o-4', waitSeconds: 1 },
      '--real-time',
      '--callback-failure',
      'payment=no funds',
    );
    expect(code, stderr).toBe(1);
    expect(row(stderr, 'cool-off')).toMatch(/WAIT\s+cool-off\s+SUCCEEDED/);
    expect(stderr).not.toContain('skipped');
  });

  it('stops at once, exit 2, when a callback has neither an answer nor a timeout', async () => {
    const { code, stdout, stderr } = await invokeDurable({ id: 'o-5', noTimeout: true });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'callback "payment" has no answer and no timeout, and the execution has nothing else to do: it would wait for ever; answer it with --callback payment=JSON or --callback-failure payment=MESSAGE',
    );
  });

  it("answers a name's first callback only: a second one of that name has no answer", async () => {
    const { code, stdout, stderr } = await invokeDurable({ id: 'o-7', secondPayment: true }, '--callback', 'payment=1');
    expect(code, stderr).toBe(1);
    expect(jsonLines(stdout)).toEqual([{ errorType: 'CallbackTimeoutError', errorMessage: 'Callback timed out' }]);
    expect(stderr.match(/callback "payment" answered with a result/g)).toHaveLength(1);
    expect(stderr.match(/callback "payment" has no answer: it times out now/g)).toHaveLength(1);
  });

  it('stops at once, exit 2, at a ctx.invoke of another function', async () => {
    const { code, stderr } = await invokeDurable({ id: 'o-8', invokeOther: true }, '--callback', 'payment=1');
    expect(code).toBe(2);
    expect(stderr).toContain('ctx.invoke() calls another function, which lambdakit invoke --durable does not run');
  });

  it('says so when the function is not a durable one, exit 1', async () => {
    const { code, stdout, stderr } = await lambdakit([
      'invoke',
      'test/fixtures/echo.mjs',
      '--durable',
      '--timeout',
      '10',
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /not a durable execution's answer: is its handler wrapped in withDurableExecution\(\) or durable\(\)\?/,
    );
    expect(stdout.trim()).not.toBe('');
  });

  it('stops the execution when an invocation times out, with the timeout on stdout', async () => {
    const { code, stdout, stderr } = await invokeDurable({ id: 'o-6', reserveMs: 3000 }, '--timeout', '1');
    expect(code).toBe(1);
    expect(jsonLines(stdout)).toEqual([expect.objectContaining({ errorType: 'Sandbox.Timedout' })]);
    expect(stderr).toMatch(/Task timed out after 1\.00 seconds/);
    expect(stderr).toMatch(
      /lambdakit: durable: the local runner stopped the execution: invocation [\w-]+ timed out: the execution stops here \(Lambda would retry it\)/,
    );
  });

  it.each([
    [['--durable', '--repeat', '2'], '--durable runs one execution: it does not take --repeat'],
    [['--durable', '--async'], '--durable runs one execution: it does not take --async'],
    [['--callback', 'payment=1'], '--callback, --callback-failure, --callbacks and --real-time go with --durable'],
    [['--durable', '--callback', 'payment'], '--callback payment: expected name=JSON'],
    [['--durable', '--callback', 'payment={paid'], '--callback payment: invalid JSON at line 1 column 2'],
    [
      ['--durable', '--callback', 'a=1', '--callback-failure', 'a=no'],
      '--callback-failure: callback "a" is answered twice',
    ],
  ])('refuses %j before anything runs (exit 2)', async (args, message) => {
    const { code, stdout, stderr } = await lambdakit(['invoke', FIXTURE, ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).not.toContain('START');
  });

  it('refuses a --callbacks file that is not answers by name, and says where', async () => {
    const file = jsonFile('callbacks.json', { payment: { error: { message: 'no' } } });
    const { code, stderr } = await lambdakit(['invoke', FIXTURE, '--durable', '--callbacks', file]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${file} at payment.error: expected a message, or an object with an "errorMessage" string`,
    );
    const both = jsonFile('callbacks.json', { payment: { result: 1, error: 'no' } });
    const second = await lambdakit(['invoke', FIXTURE, '--durable', '--callbacks', both]);
    expect(second.stderr).toContain(`${both} at payment: expected { "result": <any JSON> } or`);
  });
});
