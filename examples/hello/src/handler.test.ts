import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { invoke } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { handler } from './handler.js';

describe('hello handler', () => {
  it('greets the name in the event, with the request id of the invocation', async () => {
    const outcome = await invoke(handler, { name: 'Ada' }, { requestId: 'req-1' });
    expect(outcome).toMatchObject({ ok: true, result: { message: 'Hello, Ada!', requestId: 'req-1' } });
  });

  it('greets the world when the event has no usable name', async () => {
    for (const event of [{}, { name: '   ' }, { name: 42 }, null, 'not an object']) {
      const outcome = await invoke(handler, event);
      expect(outcome).toMatchObject({ ok: true, result: { message: 'Hello, world!' } });
    }
  });

  it('fails with a TimeoutError before the deadline when the work outlasts the time left', async () => {
    // 300 ms timeout, 200 ms margin: the signal aborts after about 100 ms, long before the work ends.
    const outcome = await invoke(handler, { name: 'Ada', workMs: 60_000 }, { timeoutMs: 300 });
    expect(outcome).toMatchObject({ ok: false, timedOut: false, error: { errorType: 'TimeoutError' } });
  });
});

// Spawns the CLI and a sandbox: the limit guards against a hang on a loaded machine, it measures nothing.
describe('npm start (lambdakit invoke dist/handler.js --event events/hello.json)', { timeout: 60_000 }, () => {
  it('prints the greeting on stdout and Lambda platform lines on stderr', async () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const bin = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [bin, 'invoke', 'dist/handler.js', '--event', 'events/hello.json'],
      { cwd },
    );
    expect(JSON.parse(stdout)).toMatchObject({ message: 'Hello, lambdakit!', coldStart: true });
    expect(stderr).toMatch(/^START RequestId: /m);
    expect(stderr).toMatch(/"message":"greeting","name":"lambdakit"/);
    expect(stderr).toMatch(/^REPORT RequestId: .*Init Duration: /m);
  });
});
