import { lambda, timeout } from '@lambdakit/core';
import { describe, expect, it } from 'vitest';
import { invoke } from './invoke.js';

describe('invoke', () => {
  it('returns the result with the invocation’s duration', async () => {
    const outcome = await invoke(async (event: { n: number }) => event.n * 2, { n: 21 });
    expect(outcome).toMatchObject({ ok: true, result: 42 });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a thrown error in Lambda’s shape', async () => {
    const outcome = await invoke(async () => {
      throw new TypeError('bad input');
    }, {});
    expect(outcome).toMatchObject({
      ok: false,
      timedOut: false,
      error: { errorType: 'TypeError', errorMessage: 'bad input' },
    });
  });

  it('reports synchronous throws too', async () => {
    const outcome = await invoke(() => {
      throw new Error('sync');
    }, {});
    expect(outcome).toMatchObject({ ok: false, error: { errorMessage: 'sync' } });
  });

  it('stops a handler that outlives its deadline the way Lambda reports it', async () => {
    const outcome = await invoke(() => new Promise(() => {}), {}, { timeoutMs: 50, requestId: 'r-1' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.timedOut).toBe(true);
    expect(outcome.error.errorMessage).toMatch(/r-1 Task timed out after 0\.05 seconds$/);
  });

  it('runs a lambda() handler whose timeout() fires before Lambda’s deadline', async () => {
    const handler = lambda()
      .use(timeout({ marginMs: 20, onTimeout: () => ({ statusCode: 504 }) }))
      .handle(() => new Promise(() => {}));
    const outcome = await invoke(handler, {}, { timeoutMs: 100 });
    expect(outcome).toMatchObject({ ok: true, result: { statusCode: 504 } });
  });
});
