import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, lambdakit, linesStarting, SPAWN_TIMEOUT_MS, startLambdakit } from '../test/spawn-cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lambdakit-async-'));

function envFile(dir: string, failures: number): string {
  const file = join(dir, '.env');
  writeFileSync(file, `LAMBDAKIT_TEST_FAILURES=${failures}\n`);
  return file;
}

interface DeadLetterFile {
  requestContext: { requestId: string; condition: string; approximateInvokeCount: number; functionArn: string };
  requestPayload: unknown;
  responseContext: { functionError: string };
  responsePayload: { errorType: string; errorMessage: string };
  attempts: Array<{ attempt: number; status: string; error?: { errorMessage: string } }>;
}

function deadLetters(dir: string): DeadLetterFile[] {
  return readdirSync(dir).map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as DeadLetterFile);
}

describe('lambdakit invoke --async', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('retries a failed event with the same request id and succeeds on a retry, writing nothing to the DLQ', async () => {
    const dir = tmp();
    const dlq = join(dir, 'dlq');
    const run = await lambdakit(
      ['invoke', 'test/fixtures/flaky.mjs', '--async', '--retry-delay', '1', '--dlq-dir', dlq, '--event', '-'],
      { input: '{"id": 1}', env: { LAMBDAKIT_TEST_FAILURES: '2' } },
    );
    expect(run.code).toBe(0);
    const [result] = jsonLines(run.stdout) as Array<{ attempts: number; requestId: string; event: unknown }>;
    expect(result).toMatchObject({ attempts: 3, event: { id: 1 } });
    const starts = linesStarting(run.stderr, 'START');
    expect(starts).toEqual(Array(3).fill(`START RequestId: ${result!.requestId} Version: $LATEST`));
    expect(run.stderr).toContain(`retrying ${result!.requestId} in 1 ms (attempt 2 of 3)`);
    expect(run.stderr).toContain(`retrying ${result!.requestId} in 2 ms (attempt 3 of 3)`);
    expect(() => readdirSync(dlq)).toThrow(/ENOENT/);
  });

  it('writes the event to the dead-letter directory after two retries, with every attempt and error; exit code 1', async () => {
    const dir = tmp();
    const dlq = join(dir, 'dlq');
    const event = { orderId: 'o-42', lines: [{ sku: 'a', qty: 2 }] };
    const run = await lambdakit(
      [
        'invoke',
        'test/fixtures/flaky.mjs',
        '--async',
        '--retry-delay',
        '1',
        '--dlq-dir',
        dlq,
        '--env-file',
        envFile(dir, 99),
        '--event',
        '-',
        '--function-name',
        'orders',
      ],
      { input: JSON.stringify(event) },
    );
    expect(run.code).toBe(1);
    const letters = deadLetters(dlq);
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter!.requestPayload).toEqual(event);
    expect(letter!.requestContext).toMatchObject({
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
    });
    expect(letter!.responseContext.functionError).toBe('Unhandled');
    expect(letter!.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'error'],
    ]);
    const requestId = letter!.requestContext.requestId;
    expect(letter!.attempts.map((attempt) => attempt.error?.errorMessage)).toEqual([
      `attempt 1 failed for ${requestId}`,
      `attempt 2 failed for ${requestId}`,
      `attempt 3 failed for ${requestId}`,
    ]);
    expect(letter!.responsePayload.errorMessage).toBe(`attempt 3 failed for ${requestId}`);
    expect(run.stderr).toContain(`lambdakit: ${requestId} failed 3 times; event written to ${dlq}`);
    expect(jsonLines(run.stdout)).toEqual([letter!.responsePayload]);
  });

  it('keeps every event of a --repeat run: one dead letter per failed event, none lost', async () => {
    const dir = tmp();
    const dlq = join(dir, 'dlq');
    const run = await lambdakit([
      'invoke',
      'test/fixtures/flaky.mjs',
      '--async',
      '--repeat',
      '3',
      '--max-retries',
      '0',
      '--dlq-dir',
      dlq,
      '--env-file',
      envFile(dir, 99),
    ]);
    expect(run.code).toBe(1);
    const letters = deadLetters(dlq);
    expect(letters).toHaveLength(3);
    expect(new Set(letters.map((letter) => letter.requestContext.requestId)).size).toBe(3);
    expect(letters.every((letter) => letter.requestContext.approximateInvokeCount === 1)).toBe(true);
    expect(linesStarting(run.stderr, 'START')).toHaveLength(3);
    expect(run.stderr).not.toContain('retrying');
  });

  it('writes an event waiting for its retry to the dead-letter directory on SIGTERM, with the attempts so far', async () => {
    const dir = tmp();
    const dlq = join(dir, 'dlq');
    const event = { orderId: 'o-77' };
    const cli = startLambdakit(
      ['invoke', 'test/fixtures/fail.mjs', '--async', '--retry-delay', '600000', '--dlq-dir', dlq, '--event', '-'],
      { input: JSON.stringify(event) },
    );
    await cli.stderrMatching(/retrying \S+ in 600000 ms \(attempt 2 of 3\)/);
    cli.child.kill('SIGTERM');
    const run = await cli.exited;
    expect(run.code).toBe(130);
    const [letter, ...others] = deadLetters(dlq);
    expect(others).toEqual([]);
    expect(letter!.requestPayload).toEqual(event);
    expect(letter!.requestContext).toMatchObject({ condition: 'Interrupted', approximateInvokeCount: 1 });
    expect(letter!.attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([[1, 'error']]);
    expect(letter!.responsePayload.errorMessage).toBe('order o-77 rejected: total over limit');
    const requestId = letter!.requestContext.requestId;
    expect(run.stderr).toContain(
      `lambdakit: SIGTERM: ${requestId} interrupted after 1 attempt; event written to ${dlq}`,
    );
    // Written whole, then renamed: no temporary file is left behind.
    expect(readdirSync(dlq).every((name) => name.endsWith('.json'))).toBe(true);
  });

  it('keeps no dead letter for an event whose attempt succeeded as SIGTERM arrived, and prints its answer', async () => {
    const dir = tmp();
    const dlq = join(dir, 'dlq');
    const cli = startLambdakit(
      ['invoke', 'test/fixtures/signal-parent.mjs', '--async', '--dlq-dir', dlq, '--event', '-'],
      { input: JSON.stringify({ orderId: 'o-5' }), env: { LAMBDAKIT_TEST_DLQ: dlq } },
    );
    const run = await cli.exited;
    const letters = existsSync(dlq) ? deadLetters(dlq) : [];
    const answered = run.stdout.trim() === JSON.stringify({ accepted: 'o-5' });
    // Whichever reached the CLI first, the answer or the kill of the sandbox, the event ends in
    // exactly one place: answered with no dead letter (a replay would run it twice), or not
    // answered and dead-lettered as interrupted.
    if (answered) {
      expect(letters).toEqual([]);
      expect(run.stderr).toMatch(/succeeded while being interrupted; its dead letter was removed/);
    } else {
      expect(run.stdout).toBe('');
      expect(letters.map((letter) => letter.requestContext.condition)).toEqual(['Interrupted']);
    }
    expect(run.code).toBe(130);
  });

  it('records the attempt still running on SIGTERM as interrupted', async () => {
    const dir = tmp();
    const dlq = join(dir, 'dlq');
    const cli = startLambdakit(['invoke', 'test/fixtures/hang.mjs', '--async', '--timeout', '60', '--dlq-dir', dlq]);
    await cli.stderrMatching(/started work that will never finish/);
    cli.child.kill('SIGTERM');
    const run = await cli.exited;
    expect(run.code).toBe(130);
    const [letter] = deadLetters(dlq);
    expect(letter!.requestContext).toMatchObject({ condition: 'Interrupted', approximateInvokeCount: 1 });
    expect(letter!.attempts).toMatchObject([{ attempt: 1, status: 'interrupted' }]);
    expect(letter!.attempts[0]!.error).toBeUndefined();
    expect(letter!.responsePayload).toBeNull();
  });

  it('retries a timed-out event in a new sandbox and records the timeout in the dead letter', async () => {
    const dir = tmp();
    const dlq = join(dir, 'dlq');
    const run = await lambdakit([
      'invoke',
      'test/fixtures/hang.mjs',
      '--async',
      '--timeout',
      '1',
      '--max-retries',
      '1',
      '--retry-delay',
      '0',
      '--dlq-dir',
      dlq,
    ]);
    expect(run.code).toBe(1);
    const [letter] = deadLetters(dlq);
    expect(letter!.attempts.map((attempt) => attempt.status)).toEqual(['timeout', 'timeout']);
    expect(letter!.responsePayload.errorType).toBe('Sandbox.Timedout');
    const reports = linesStarting(run.stderr, 'REPORT');
    expect(reports.map((line) => line.includes('Init Duration:'))).toEqual([true, true]);
  });
});
