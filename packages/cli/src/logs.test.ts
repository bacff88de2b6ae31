import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, lambdakit, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

// Lines as lambdakit (pino), Lambda's JSON and text formats and the platform write them, with
// malformed lines in between.
const lines = [
  JSON.stringify({ level: 30, time: Date.parse('2025-03-01T09:10:00.000Z'), requestId: A, msg: 'pino info' }),
  JSON.stringify({ level: 40, time: Date.parse('2025-03-01T09:12:30.000Z'), requestId: A, msg: 'pino warn' }),
  JSON.stringify({ level: 'ERROR', timestamp: '2025-03-01T09:13:00.000Z', requestId: B, message: 'lambda json error' }),
  'not json at all',
  `{"level":"warn","time":"2025-03-01T09:14:00.000Z","awsRequestId":"${B}","msg":"lowercase warn"`,
  '',
  JSON.stringify({ level: 'debug', time: '2025-03-01T09:14:30.000Z', requestId: B, msg: 'lowercase debug' }),
  `2025-03-01T09:15:59.000Z\t${A}\tWARN\tlambda text warn`,
  `2025-03-01T09:16:00.000Z\t${A}\tINFO\tlambda text info`,
  '[1, 2, 3]',
  JSON.stringify({ level: 60, time: '2025-03-02T09:13:00.000Z', requestId: A, msg: 'next day fatal' }),
  `REPORT RequestId: ${B}\tDuration: 1.00 ms`,
];

function logFile(content = `${lines.join('\n')}\n`): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lambdakit-logs-')), 'function.log');
  writeFileSync(file, content);
  return file;
}

const messages = (stdout: string) =>
  (jsonLines(stdout) as Array<{ msg?: string; message?: string }>).map((line) => line.msg ?? line.message);

describe('lambdakit logs', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('keeps a level and those above it, whatever the level notation (pino numbers, labels, lowercase)', async () => {
    const run = await lambdakit(['logs', logFile(), '--level', 'warn']);
    expect(run.code).toBe(0);
    expect(messages(run.stdout)).toEqual(['pino warn', 'lambda json error', 'lambda text warn', 'next day fatal']);
    expect((await lambdakit(['logs', logFile(), '--level', '50'])).stdout).toBe(
      `${[lines[2], lines[10]].join('\n')}\n`,
    );
    expect(messages((await lambdakit(['logs', logFile(), '-l', 'DEBUG'])).stdout)).toContain('lowercase debug');
  });

  it('keeps a time window given as HH:MM on each line’s own date, the --until minute included', async () => {
    const run = await lambdakit(['logs', logFile(), '--since', '09:12', '--until', '09:15']);
    expect(run.code).toBe(0);
    expect(messages(run.stdout)).toEqual([
      'pino warn',
      'lambda json error',
      'lowercase debug',
      'lambda text warn',
      'next day fatal',
    ]);
  });

  it('keeps a time window given as ISO timestamps, across dates', async () => {
    const run = await lambdakit([
      'logs',
      logFile(),
      '--since',
      '2025-03-01T09:13:00Z',
      '--until',
      '2025-03-01T09:16:00.000Z',
    ]);
    expect(messages(run.stdout)).toEqual([
      'lambda json error',
      'lowercase debug',
      'lambda text warn',
      'lambda text info',
    ]);
  });

  it('keeps one invocation with --request-id, whichever field or format carries it', async () => {
    const run = await lambdakit(['logs', logFile(), '--request-id', B]);
    expect(run.code).toBe(0);
    const out = run.stdout.trim().split('\n');
    // JSON lines pass through as they are; a platform line becomes one.
    expect(out).toEqual([lines[2], lines[6], JSON.stringify({ requestId: B, message: lines[11] })]);
  });

  it('combines --grep with the other filters', async () => {
    const run = await lambdakit([
      'logs',
      logFile(),
      '--grep',
      'lambda (text|json)',
      '--level',
      'warn',
      '--request-id',
      A,
    ]);
    expect(messages(run.stdout)).toEqual(['lambda text warn']);
    const ignoreCase = await lambdakit(['logs', logFile(), '--grep', 'PINO', '-i']);
    expect(messages(ignoreCase.stdout)).toEqual(['pino info', 'pino warn']);
  });

  it('converts Lambda text-format lines to JSON lines when not on a terminal', async () => {
    const run = await lambdakit(['logs', logFile(), '--grep', 'lambda text info']);
    expect(jsonLines(run.stdout)).toEqual([
      { timestamp: '2025-03-01T09:16:00.000Z', level: 'INFO', requestId: A, message: 'lambda text info' },
    ]);
  });

  it('keeps plain text lines, skips malformed ones (broken JSON) and reports how many on stderr, exit code 0', async () => {
    const run = await lambdakit(['logs', logFile()]);
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toHaveLength(lines.length - 1 - 2); // one blank line, two malformed
    expect(run.stderr).toBe('lambdakit logs: skipped 2 malformed lines (first at line 5)\n');
  });

  it('reads stdin with - and prints pretty lines with --pretty', async () => {
    const run = await lambdakit(['logs', '-', '--pretty', '--level', 'error'], { input: `${lines.join('\n')}\n` });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      `2025-03-01T09:13:00.000Z ERROR ${B.slice(0, 8)} lambda json error`,
      `2025-03-02T09:13:00.000Z FATAL ${A.slice(0, 8)} next day fatal`,
    ]);
  });

  it('never crashes on hostile input: binary, huge lines, deep nesting, CRLF', async () => {
    const hostile = [
      '\u0000\u0001\u00ff{{{',
      `{"msg":"${'x'.repeat(2_000_000)}","level":50}`,
      `${'['.repeat(100_000)}`,
      `${JSON.stringify({ level: 50, msg: 'crlf line', requestId: A })}\r`,
      '{"level": {"nested": true}, "msg": 5, "time": "yesterday"}',
      'null',
      '"just a string"',
    ].join('\n');
    const run = await lambdakit(['logs', logFile(hostile), '--level', 'error']);
    expect(run.code).toBe(0);
    expect(messages(run.stdout)).toEqual(['x'.repeat(2_000_000), 'crlf line']);
    expect(run.stderr).toContain('skipped 4 malformed lines');
  });

  it('streams a large file line by line', async () => {
    const count = 200_000;
    const big: string[] = [];
    for (let i = 0; i < count; i++) {
      big.push(
        JSON.stringify({ level: i % 10 === 0 ? 50 : 30, time: 1_740_000_000_000 + i, requestId: A, msg: `line ${i}` }),
      );
    }
    const run = await lambdakit(['logs', logFile(`${big.join('\n')}\n`), '--level', 'error']);
    expect(run.code).toBe(0);
    const out = messages(run.stdout);
    expect(out).toHaveLength(count / 10);
    expect(out.at(-1)).toBe(`line ${count - 10}`);
  });

  it.each([
    [['--level', 'loud'], '--level loud'],
    [['--since', '25:00'], '--since 25:00'],
    [['--until', 'tomorrow'], '--until tomorrow'],
    [['--grep', '(unclosed'], '--grep (unclosed'],
    [['--json', '--pretty'], 'exclusive'],
  ])('rejects %j with exit code 2', async (args, message) => {
    const run = await lambdakit(['logs', logFile(), ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('names a log file that does not exist', async () => {
    const run = await lambdakit(['logs', 'missing.log']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lambdakit: missing.log: cannot read it (no such file)');
  });
});

describe('lambdakit logs on the platform lines `lambdakit invoke` writes', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('keeps the "Task timed out" line with its request id and time, and counts it as an error', async () => {
    const invoked = await lambdakit(['invoke', 'test/fixtures/hang.mjs', '--timeout', '1']);
    expect(invoked.code).toBe(1);
    const [timeoutLine] = invoked.stderr.split('\n').filter((line) => line.includes('Task timed out'));
    const [, time, requestId] = /^(\S+) (\S+) Task timed out after 1\.00 seconds$/.exec(timeoutLine!)!;
    const file = logFile(invoked.stderr);

    const byRequest = await lambdakit(['logs', file, '--request-id', requestId!]);
    expect(byRequest.stderr).toBe('');
    const kept = (jsonLines(byRequest.stdout) as Array<{ message: string }>).map((line) => line.message);
    expect(kept).toEqual([
      `START RequestId: ${requestId} Version: $LATEST`,
      'started work that will never finish',
      'Task timed out after 1.00 seconds',
      `END RequestId: ${requestId}`,
      expect.stringMatching(new RegExp(`^REPORT RequestId: ${requestId}\\t.*Status: timeout$`)),
    ]);

    const grepped = await lambdakit(['logs', file, '--grep', 'timed out']);
    expect(grepped.stderr).toBe('');
    expect(jsonLines(grepped.stdout)).toEqual([
      { timestamp: time, level: 'ERROR', requestId, message: 'Task timed out after 1.00 seconds' },
    ]);

    const errors = await lambdakit(['logs', file, '--level', 'error']);
    expect((jsonLines(errors.stdout) as Array<{ message: string }>).map((line) => line.message)).toEqual([
      'Task timed out after 1.00 seconds',
    ]);
  });

  it('reads the INIT_REPORT line of a failed init instead of skipping it as malformed', async () => {
    const invoked = await lambdakit(['invoke', 'test/fixtures/init-error.mjs']);
    expect(invoked.code).toBe(1);
    const file = logFile(invoked.stderr);
    // Node's report of the error that ended the runtime is plain text: kept, not malformed.
    const all = await lambdakit(['logs', file]);
    expect(all.stderr).toBe('');
    expect(jsonLines(all.stdout)).toContainEqual({ message: 'Error: cannot load: DATABASE_URL is not set' });
    const grepped = await lambdakit(['logs', file, '--grep', '^INIT_REPORT']);
    expect(grepped.stderr).toBe('');
    expect(jsonLines(grepped.stdout)).toEqual([
      { message: expect.stringMatching(/^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error/) },
    ]);
  });
});

describe('lambdakit logs on hostile input: each bad line costs that line only', { timeout: SPAWN_TIMEOUT_MS }, () => {
  const good = (msg: string) =>
    JSON.stringify({ level: 50, time: Date.parse('2025-03-01T09:13:00.000Z'), requestId: A, msg });

  it('skips and counts a line over 16 MiB, and reads on', async () => {
    const long = JSON.stringify({ level: 50, msg: 'x'.repeat(17 * 1024 * 1024) });
    const run = await lambdakit(['logs', logFile(`${good('before')}\n${long}\n${good('after')}\n`)]);
    expect(run.code).toBe(0);
    expect(messages(run.stdout)).toEqual(['before', 'after']);
    expect(run.stderr).toBe('lambdakit logs: skipped 1 line over 16 MiB (first at line 2)\n');
  });

  it('reads a line of 20,000 stacked `aws logs tail` prefixes as one plain line', async () => {
    const stacked = `${'2025-03-01T09:13:00.000Z 2025/03/01/[$LATEST]abc '.repeat(20_000)}${good('inner')}`;
    const run = await lambdakit(['logs', logFile(`${stacked}\n${good('after')}\n`)]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const out = jsonLines(run.stdout) as Array<{ message?: string; msg?: string; timestamp?: string }>;
    expect(out).toHaveLength(2);
    // One prefix is taken off, as `aws logs tail` prints one; the rest is the line's text.
    expect(out[0]!.timestamp).toBe('2025-03-01T09:13:00.000Z');
    expect(out[0]!.message?.startsWith('2025-03-01T09:13:00.000Z 2025/03/01/[$LATEST]abc 2025-03-01T')).toBe(true);
    expect(out[1]!.msg).toBe('after');
  });

  it('prints a deeply nested JSON line with --pretty down to a bounded depth', async () => {
    const depth = 100_000;
    const deep = `{"level":50,"msg":"deep","data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const run = await lambdakit(['logs', '--pretty', logFile(`${deep}\n${good('after')}\n`)]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [first, second] = run.stdout.split('\n');
    expect(first).toBe(`${' '.repeat(24)} ERROR -        deep {"data":${'{"a":'.repeat(15)}{…}${'}'.repeat(15)}}`);
    expect(second).toBe(`2025-03-01T09:13:00.000Z ERROR ${A.slice(0, 8)} after`);
  });

  it('prints no terminal control sequence with --pretty: escapes them, and indents a message’s own lines', async () => {
    const hostile = JSON.stringify({
      level: 50,
      time: Date.parse('2025-03-01T09:13:00.000Z'),
      requestId: 'id\u001b[2J',
      msg: 'clear\u001b[2J clip\u001b]52;c;cHduZWQ=\u0007 csi\u009b31m cr\r bidi\u202egnp.exe\nforged line',
      note: 'title\u001b]0;owned\u0007',
    });
    const run = await lambdakit(['logs', '--pretty', logFile(`${hostile}\n`)]);
    expect(run.code).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(run.stdout).toBe(
      '2025-03-01T09:13:00.000Z ERROR id\\u001b[2J ' +
        'clear\\u001b[2J clip\\u001b]52;c;cHduZWQ=\\u0007 csi\\u009b31m cr\\u000d bidi\\u202egnp.exe\n' +
        '    forged line {"note":"title\\u001b]0;owned\\u0007"}\n',
    );
  });

  it('prints a line whose time no date can hold without one, with --pretty and as JSON', async () => {
    const far = JSON.stringify({ level: 50, time: 1e20, msg: 'far future' });
    const pretty = await lambdakit(['logs', '--pretty', logFile(`${far}\n`)]);
    expect(pretty.stdout).toBe(`${' '.repeat(24)} ERROR -        far future\n`);
    const filtered = await lambdakit(['logs', '--since', '09:00', logFile(`${far}\n${good('in window')}\n`)]);
    expect(messages(filtered.stdout)).toEqual(['in window']);
    expect(filtered.stderr).toBe('');
  });
});
