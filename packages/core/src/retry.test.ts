import { describe, expect, it } from 'vitest';
import { abortableSleep, RetryError, retry } from './retry.js';

const noSleep = async () => {};

describe('retry', () => {
  it('tries again until the function resolves, passing the attempt number', async () => {
    const seen: number[] = [];
    const result = await retry(
      async (_signal, attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error(`failure ${attempt}`);
        return 'done';
      },
      { attempts: 3, sleep: noSleep },
    );
    expect(result).toBe('done');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up after the last attempt with the last failure as cause', async () => {
    const error = await retry(
      async (_signal, attempt) => {
        throw new Error(`failure ${attempt}`);
      },
      { attempts: 2, sleep: noSleep },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryError);
    expect(error).toMatchObject({ code: 'CORE_RETRY_EXHAUSTED', attempts: 2, cause: { message: 'failure 2' } });
  });

  it('fails at once on a failure no retry can heal', async () => {
    let calls = 0;
    const error = await retry(
      async () => {
        calls++;
        throw new Error('AccessDenied');
      },
      { attempts: 5, sleep: noSleep, isRetryable: () => false },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toMatchObject({ code: 'CORE_RETRY_EXHAUSTED', attempts: 1 });
  });

  it('backs off exponentially with equal jitter, capped', async () => {
    const waits: number[] = [];
    await retry(
      async (_signal, attempt) => {
        if (attempt < 5) throw new Error('again');
      },
      {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 300,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    );
    const ceilings = [100, 200, 300, 300];
    expect(waits).toHaveLength(4);
    waits.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(ceilings[i]! / 2);
      expect(ms).toBeLessThanOrEqual(ceilings[i]!);
    });
  });

  it('ends a backoff at once when the signal aborts, with the abort reason as cause', async () => {
    const controller = new AbortController();
    const reason = new Error('deadline');
    const pending = retry(
      async () => {
        queueMicrotask(() => controller.abort(reason));
        throw new Error('throttled');
      },
      { attempts: 3, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000, signal: controller.signal },
    );
    await expect(pending).rejects.toMatchObject({ code: 'CORE_RETRY_ABORTED', attempts: 1, cause: reason });
  });

  it('does not start when the signal has already aborted after a failure', async () => {
    const controller = new AbortController();
    let calls = 0;
    const pending = retry(
      async (signal) => {
        calls++;
        controller.abort('stop');
        expect(signal).toBe(controller.signal);
        throw new Error('failed');
      },
      { attempts: 3, sleep: noSleep, signal: controller.signal },
    );
    await expect(pending).rejects.toMatchObject({ code: 'CORE_RETRY_ABORTED', cause: 'stop' });
    expect(calls).toBe(1);
  });

  it.each([
    [{ attempts: 0 }, 'attempts'],
    [{ attempts: 11 }, 'attempts'],
    [{ attempts: 1.5 }, 'attempts'],
    [{ baseDelayMs: -1 }, 'baseDelayMs'],
    [{ maxDelayMs: Number.NaN }, 'maxDelayMs'],
    [{ isRetryable: 'yes' }, 'isRetryable'],
  ])('refuses %o with a TypeError naming %s', async (options, name) => {
    const pending = retry(async () => 1, options as never);
    await expect(pending).rejects.toThrow(TypeError);
    await expect(pending).rejects.toThrow(name);
  });
});

describe('abortableSleep', () => {
  it('rejects with the reason of a signal that is already aborted', async () => {
    await expect(abortableSleep(10, AbortSignal.abort('gone'))).rejects.toBe('gone');
  });
});
