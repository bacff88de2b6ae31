import { invoke } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { handler } from '../examples/hello/src/handler.js';

describe('examples/hello through invoke()', () => {
  it('greets with the invocation’s request id', async () => {
    const outcome = await invoke(handler, { name: 'Ada' }, { requestId: 'req-hello' });
    expect(outcome).toMatchObject({ ok: true, result: { message: 'Hello, Ada!', requestId: 'req-hello' } });
  });

  it('stops work that would outlive the deadline with a TimeoutError, in Lambda’s error shape', async () => {
    const outcome = await invoke(handler, { workMs: 10_000 }, { timeoutMs: 400 });
    expect(outcome).toMatchObject({ ok: false, timedOut: false, error: { errorType: 'TimeoutError' } });
  });
});
