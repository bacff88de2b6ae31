import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { lambdakit, SPAWN_TIMEOUT_MS, startLambdakit } from '../test/spawn-cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lambdakit-signals-'));

interface Letter {
  requestContext: { requestId: string; condition: string };
  requestPayload: unknown;
  attempts: Array<{ status: string }>;
}

const CONCURRENCY = 3;

// Every event of the run has started and hangs: the lines its handler prints, one per event.
const allStarted = new RegExp(`(started work that will never finish[\\s\\S]*){${CONCURRENCY}}`);

/**
 * `--async --concurrency N` on a handler that never settles, interrupted by two signals `gapMs`
 * apart. Whatever the gap (the second signal may arrive before, while or after the first one's
 * dead letters are written), every event ends in exactly one dead letter, whole, and the CLI
 * exits with 130.
 */
async function interruptTwice(first: NodeJS.Signals, second: NodeJS.Signals, gapMs: number) {
  const dlq = join(tmp(), 'dlq');
  const cli = startLambdakit(
    [
      'invoke',
      'test/fixtures/hang.mjs',
      '--async',
      '--concurrency',
      String(CONCURRENCY),
      '--timeout',
      '60',
      '--dlq-dir',
      dlq,
      '--event',
      '-',
    ],
    { input: '{"orderId":"o-1"}' },
  );
  await cli.stderrMatching(allStarted);
  cli.child.kill(first);
  if (gapMs > 0) await sleep(gapMs);
  // The process may be gone already (a long gap): then the second signal is moot.
  if (cli.child.exitCode === null) cli.child.kill(second);
  const run = await cli.exited;
  const names = readdirSync(dlq);
  const letters = names.map((name) => JSON.parse(readFileSync(join(dlq, name), 'utf8')) as Letter);
  return { run, names, letters };
}

describe('lambdakit invoke --async under repeated signals', { timeout: SPAWN_TIMEOUT_MS }, () => {
  const pairs: Array<[NodeJS.Signals, NodeJS.Signals, number]> = [
    ...[0, 1, 3, 10, 50].map((gapMs): [NodeJS.Signals, NodeJS.Signals, number] => ['SIGTERM', 'SIGINT', gapMs]),
    ['SIGTERM', 'SIGTERM', 0],
    ['SIGTERM', 'SIGTERM', 3],
    ['SIGINT', 'SIGINT', 1],
  ];
  for (const [first, second, gapMs] of pairs) {
    it(`keeps each event in exactly one dead letter on ${first} then ${second} ${gapMs} ms later`, async () => {
      const { run, names, letters } = await interruptTwice(first, second, gapMs);
      expect(run.code, run.stderr).toBe(130);
      expect(
        names.every((name) => name.endsWith('.json')),
        names.join(', '),
      ).toBe(true);
      expect(letters).toHaveLength(CONCURRENCY);
      expect(new Set(letters.map((letter) => letter.requestContext.requestId)).size).toBe(CONCURRENCY);
      for (const letter of letters) {
        expect(letter.requestContext.condition).toBe('Interrupted');
        expect(letter.requestPayload).toEqual({ orderId: 'o-1' });
        expect(letter.attempts.map((attempt) => attempt.status)).toEqual(['interrupted']);
      }
      expect(run.stdout).toBe('');
    });
  }
});

describe('lambdakit invoke --async --dlq-dir that cannot take a dead letter', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('is refused before the function runs when a file stands in its path', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'taken'), 'not a directory');
    const run = await lambdakit(
      ['invoke', 'test/fixtures/echo.mjs', '--async', '--dlq-dir', join(dir, 'taken', 'dlq'), '--event', '-'],
      { input: '{"id":1}' },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `lambdakit: --dlq-dir ${join(dir, 'taken', 'dlq')}: ${join(dir, 'taken')} is not a directory, so no dead letter could be written`,
    );
    expect(run.stderr).not.toContain('START');
    expect(run.stdout).toBe('');
  });

  it('prints the dead letter whole on stderr when the directory cannot be written at the end', async () => {
    const dir = tmp();
    const dlq = join(dir, 'dlq');
    const cli = startLambdakit(
      ['invoke', 'test/fixtures/fail.mjs', '--async', '--retry-delay', '600000', '--dlq-dir', dlq, '--event', '-'],
      { input: JSON.stringify({ orderId: 'o-9' }) },
    );
    await cli.stderrMatching(/retrying \S+ in 600000 ms/);
    // After the check at start, the directory's place is taken by a file.
    rmSync(dlq, { recursive: true, force: true });
    writeFileSync(dlq, 'in the way');
    cli.child.kill('SIGTERM');
    const run = await cli.exited;
    expect(run.code).toBe(130);
    const lines = run.stderr.split('\n');
    const said = lines.findIndex((line) => line.startsWith('lambdakit: could not write '));
    expect(said, run.stderr).toBeGreaterThanOrEqual(0);
    expect(lines[said]).toMatch(/its dead letter follows on one line$/);
    const letter = JSON.parse(lines[said + 1]!) as Letter;
    expect(letter.requestPayload).toEqual({ orderId: 'o-9' });
    expect(letter.requestContext.condition).toBe('Interrupted');
    expect(letter.attempts.map((attempt) => attempt.status)).toEqual(['error']);
    expect(run.stderr).toContain('interrupted after 1 attempt; its dead letter was printed above');
    expect(existsSync(`${dlq}.tmp`)).toBe(false);
  });
});
