import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lambdakit, SPAWN_TIMEOUT_MS, startLambdakit } from '../test/spawn-cli.js';

const ID = '[0-9a-f-]{36}';

describe('lambdakit invoke of a response-streaming function', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('prints each chunk as it arrives: the body on stdout, the prelude and the timing on stderr', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'lambdakit-stream-')), 'seen');
    const running = startLambdakit(['invoke', 'test/fixtures/streamed.mjs#export_'], {
      env: { LAMBDAKIT_TEST_MARKER: marker },
    });
    // The function holds its second chunk until the first has reached this test: printed live,
    // not at the end of the invocation.
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      running.child.stdout?.on('data', (chunk: string) => {
        seen += chunk;
        if (seen.includes('{"n":1}\n') && !existsSync(marker)) {
          expect(seen).toBe('{"n":1}\n');
          writeFileSync(marker, '');
          resolve();
        }
      });
      running.exited.then(() => reject(new Error('the CLI ended before the first chunk was printed')), reject);
    });
    const run = await running.exited;
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('{"n":1}\n{"n":2}\n');
    const lines = run.stderr.split('\n').filter((line) => /^lambdakit: [0-9a-f-]{36}: /.test(line));
    expect(lines[0]).toMatch(
      new RegExp(
        `^lambdakit: ${ID}: at \\d+\\.\\d ms: HTTP 201, headers {"content-type":"application/x-ndjson"}, cookies \\["seen=1"\\]$`,
      ),
    );
    expect(lines[1]).toMatch(new RegExp(`^lambdakit: ${ID}: at \\d+\\.\\d ms: chunk 1, 8 B$`));
    expect(lines[2]).toMatch(new RegExp(`^lambdakit: ${ID}: at \\d+\\.\\d ms: chunk 2, 8 B$`));
    expect(lines[3]).toMatch(
      new RegExp(`^lambdakit: ${ID}: stream ended: 2 chunks, 16 B, first byte at \\d+\\.\\d ms$`),
    );
    const times = lines.slice(0, 3).map((line) => Number(/at (\d+\.\d) ms/.exec(line)?.[1]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // The summary comes before the platform's END and REPORT lines.
    expect(run.stderr.indexOf('stream ended')).toBeLessThan(run.stderr.indexOf('\nEND RequestId'));
  });

  it('prints the error of a stream that fails on a line after what was sent', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/streamed.mjs#failing']);
    expect(run.code).toBe(1);
    const [body, error, end] = run.stdout.split('\n');
    expect(body).toBe('partial');
    expect(JSON.parse(error ?? '')).toMatchObject({ errorType: 'Error', errorMessage: 'failed while streaming' });
    expect(end).toBe('');
  });

  it('holds each body until its invocation ends when several run at once, so they do not interleave', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/streamed.mjs#failing', '--concurrency', '2']);
    const lines = run.stdout.split('\n').filter((line) => line !== '');
    // Each invocation's body, then its error, together.
    expect(lines).toHaveLength(4);
    for (const at of [0, 2]) {
      expect(lines[at]).toBe('partial');
      expect(JSON.parse(lines[at + 1] ?? '')).toMatchObject({ errorMessage: 'failed while streaming' });
    }
    expect(run.stderr.match(/: chunk 1, 7 B$/gm)).toHaveLength(2);
    expect(run.stderr.match(/: stream cut off: 1 chunks, 7 B, first byte at [\d.]+ ms$/gm)).toHaveLength(2);
  });

  it('prints only the attempt that succeeds under --async', async () => {
    const dlq = mkdtempSync(join(tmpdir(), 'lambdakit-stream-dlq-'));
    const run = await lambdakit([
      'invoke',
      'test/fixtures/streamed.mjs#flakyStream',
      '--async',
      '--retry-delay',
      '1',
      '--dlq-dir',
      dlq,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('attempt 2 whole\n');
    expect(run.stderr).toMatch(/: stream cut off: 1 chunks, 10 B, first byte at /);
    expect(run.stderr).toMatch(/: stream ended: \d chunks, 15 B, first byte at /);
  });
});
