import { describe, expect, it } from 'vitest';
import { traceStep } from './trace-step.js';

function fakeTrace(recording: boolean) {
  const steps: { name: string; attributes: unknown }[] = [];
  return {
    steps,
    trace: {
      recording,
      span: async <T>(name: string, fn: () => Promise<T>, attributes?: unknown) => {
        steps.push({ name, attributes });
        return fn();
      },
    },
  };
}

describe('traceStep()', () => {
  it('runs the work in a span of a recorded trace, with its attributes', async () => {
    const { trace, steps } = fakeTrace(true);
    expect(await traceStep({ trace }, 'config load', async () => 42, { 'lambdakit.middleware': 'config' })).toBe(42);
    expect(steps).toEqual([{ name: 'config load', attributes: { 'lambdakit.middleware': 'config' } }]);
  });

  it.each([
    ['no ctx', () => ({ ctx: undefined, steps: [] })],
    ['no trace', () => ({ ctx: {}, steps: [] })],
    ['something else at ctx.trace', () => ({ ctx: { trace: 'x-ray' }, steps: [] })],
    [
      'a trace that is not recorded',
      () => {
        const fake = fakeTrace(false);
        return { ctx: { trace: fake.trace }, steps: fake.steps };
      },
    ],
    [
      'a timed-out invocation',
      () => {
        const fake = fakeTrace(true);
        return { ctx: { trace: fake.trace, timedOut: true }, steps: fake.steps };
      },
    ],
  ])('%s: a plain call', async (_name, make) => {
    const { ctx, steps } = make();
    await expect(traceStep(ctx, 'step', async () => 'done')).resolves.toBe('done');
    expect(steps).toEqual([]);
  });

  it('rejects with what the work rejects with, traced or not', async () => {
    const boom = new Error('boom');
    await expect(traceStep({}, 'step', () => Promise.reject(boom))).rejects.toBe(boom);
    await expect(traceStep({ trace: fakeTrace(true).trace }, 'step', () => Promise.reject(boom))).rejects.toBe(boom);
  });
});
