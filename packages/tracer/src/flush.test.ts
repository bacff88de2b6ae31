import { WARNING_TYPE } from '@lambdakit/core';
import { createContext } from '@lambdakit/testing';
import { expect, it } from 'vitest';
import { CaptureExporter } from '../test/capture-exporter.js';
import { createTracer } from './index.js';
import type { InvocationTrace } from './invocation-trace.js';

// Invocations that overlap in one process (Lambda Managed Instances) share the tracer and its
// span processor: each flush hands over its own trace, and no invocation settles before its spans left.

const headerOf = (root: string, parent = '53995c3f42cd8ad8') =>
  `Root=1-${root.slice(0, 8)}-${root.slice(8)};Parent=${parent};Sampled=1`;
const A = `aaaaaaaa${'1'.repeat(24)}`;
const B = `bbbbbbbb${'2'.repeat(24)}`;

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** Settles to 'pending' when `promise` has not settled after the event loop turned. */
async function state(promise: Promise<unknown>): Promise<'settled' | 'pending'> {
  let settled = false;
  void promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled ? 'settled' : 'pending';
}

const traceOf = (exporter: CaptureExporter, call: number) =>
  new Set(exporter.calls[call]!.spans.map((span) => span.spanContext().traceId));

it('an invocation hands over its own trace only, and settles once that export answered', async () => {
  const exporter = new CaptureExporter();
  const t = createTracer({ exporter });
  const holdA = gate();
  const a = t.traceInvocation({}, { ...createContext({ functionName: 'a' }), traceId: headerOf(A) }, async (trace) => {
    await trace.span('a-step', () => 1); // ended before B flushes
    await holdA.opened;
  });
  await new Promise((resolve) => setImmediate(resolve));
  await t.traceInvocation({}, { ...createContext({ functionName: 'b' }), traceId: headerOf(B) }, (trace) =>
    trace.span('b-step', () => 2),
  );
  expect(exporter.calls).toHaveLength(1);
  expect(traceOf(exporter, 0)).toEqual(new Set([B]));
  expect(exporter.calls[0]!.spans.map((span) => span.name).sort()).toEqual(['b', 'b-step']);

  exporter.hold();
  holdA.open();
  await new Promise((resolve) => setImmediate(resolve));
  expect(exporter.calls).toHaveLength(2);
  expect(await state(a)).toBe('pending'); // its export has not answered
  exporter.release();
  await a;
  expect(exporter.calls[1]!.spans.map((span) => span.name).sort()).toEqual(['a', 'a-step']);
});

it('two invocations of one trace: the second waits for the export that carried its spans', async () => {
  const exporter = new CaptureExporter();
  const t = createTracer({ exporter });
  const holdFirst = gate();
  let second!: InvocationTrace;
  const stepped = gate();
  const holdSecond = gate();
  const first = t.traceInvocation(
    {},
    { ...createContext({ functionName: 'first' }), traceId: headerOf(A) },
    () => holdFirst.opened,
  );
  const late = t.traceInvocation(
    {},
    { ...createContext({ functionName: 'second' }), traceId: headerOf(A, '0000000000000abc') },
    async (trace) => {
      second = trace;
      await trace.span('second-step', () => undefined);
      stepped.open();
      await holdSecond.opened;
    },
  );
  await stepped.opened;
  exporter.hold(1); // the first invocation's export only
  holdFirst.open();
  await new Promise((resolve) => setImmediate(resolve));
  // The first invocation's flush took the second's ended step with it, and has not answered.
  expect(exporter.calls[0]!.spans.map((span) => span.name).sort()).toEqual(['first', 'second-step']);
  holdSecond.open();
  await new Promise((resolve) => setImmediate(resolve));
  expect(exporter.calls).toHaveLength(2);
  expect(second.traceId).toBe(A);
  expect(exporter.calls[1]!.answered).toBe(true);
  expect(await state(late)).toBe('pending'); // its step is in the first, unanswered export
  exporter.release();
  await Promise.all([first, late]);
});

it('with no time left, an invocation drops only its own spans (one warning); another keeps its own', async () => {
  const exporter = new CaptureExporter();
  const t = createTracer({ exporter });
  const seen: string[] = [];
  const listener = (w: Error & { code?: string }) => {
    if (w.name === WARNING_TYPE) seen.push(`${w.code}: ${w.message}`);
  };
  process.on('warning', listener);
  try {
    const holdB = gate();
    const stepped = gate();
    const b = t.traceInvocation(
      {},
      { ...createContext({ functionName: 'b' }), traceId: headerOf(B) },
      async (trace) => {
        await trace.span('b-step', () => undefined);
        stepped.open();
        await holdB.opened;
      },
    );
    await stepped.opened;
    // 10 ms left: less than the 50 ms kept before the deadline.
    await t.traceInvocation(
      {},
      { ...createContext({ functionName: 'a', timeoutMs: 10 }), traceId: headerOf(A) },
      () => undefined,
    );
    expect(exporter.calls).toHaveLength(0);
    holdB.open();
    await b;
    await new Promise((resolve) => setImmediate(resolve));
    expect(exporter.calls).toHaveLength(1);
    expect(exporter.calls[0]!.spans.map((span) => span.name).sort()).toEqual(['b', 'b-step']);
    expect(seen).toEqual([
      'LAMBDAKIT_TRACER_EXPORT_FAILED: Spans were not exported: no time left before the deadline to export 1 span(s)',
    ]);
  } finally {
    process.off('warning', listener);
  }
});
