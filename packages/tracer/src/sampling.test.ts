import { createContext } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { CaptureExporter } from '../test/capture-exporter.js';
import { createTracer } from './index.js';
import { linksTo, readXrayHeader } from './xray-header.js';

const ROOT = '5759e988bd862e3fe1be46a994272793';
const XRAY_ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';

describe('readXrayHeader()', () => {
  it.each([
    [`Root=${XRAY_ROOT};Parent=${PARENT};Sampled=1`, { traceId: ROOT, parentId: PARENT, sampled: true }],
    [`Root=${XRAY_ROOT};Parent=${PARENT};Sampled=0`, { traceId: ROOT, parentId: PARENT, sampled: false }],
    [`Root=${XRAY_ROOT};Parent=${PARENT}`, { traceId: ROOT, parentId: PARENT, sampled: undefined }],
    [`Root=${XRAY_ROOT};Parent=${PARENT};Sampled=?`, { traceId: ROOT, parentId: PARENT, sampled: undefined }],
    [
      ` Sampled=1 ; Parent=${PARENT.toUpperCase()} ; Root=${XRAY_ROOT};Lineage=a87bd80c:1`,
      { traceId: ROOT, parentId: PARENT, sampled: true },
    ],
    [`Root=${XRAY_ROOT};Sampled=1`, { traceId: ROOT, parentId: undefined, sampled: true }],
    [
      `Root=2-5759e988-bd862e3fe1be46a994272793;Parent=${PARENT}`,
      { traceId: undefined, parentId: PARENT, sampled: undefined },
    ],
    [`Root=1-5759e988-bd86;Parent=xyz;Sampled=yes`, { traceId: undefined, parentId: undefined, sampled: undefined }],
    [
      `Root=1-00000000-000000000000000000000000;Parent=0000000000000000`,
      { traceId: undefined, parentId: undefined, sampled: undefined },
    ],
    ['garbage', { traceId: undefined, parentId: undefined, sampled: undefined }],
  ])('%s', (header, expected) => {
    expect(readXrayHeader(header)).toEqual(expected);
  });

  it('links: a header without a Sampled flag still names its span; one without Parent does not', () => {
    const links = linksTo([`Root=${XRAY_ROOT};Parent=${PARENT}`, `Root=${XRAY_ROOT}`, 42, 'nonsense']);
    expect(links.map((link) => link.context)).toEqual([
      { traceId: ROOT, spanId: PARENT, traceFlags: 1, isRemote: true },
    ]);
  });
});

describe('the sampling decision of an invocation', () => {
  async function run(header: string, sampled?: boolean) {
    const exporter = new CaptureExporter();
    const t = createTracer({ exporter, ...(sampled === undefined ? {} : { sampled }) });
    const recording = await t.traceInvocation(
      {},
      { ...createContext({ functionName: 'fn' }), traceId: header },
      (trace) => trace.span('step', () => trace.recording),
    );
    return { recording, spans: exporter.spans() };
  }

  it('a header with no Sampled flag continues its trace, recorded by default', async () => {
    const { recording, spans } = await run(`Root=${XRAY_ROOT};Parent=${PARENT}`);
    expect(recording).toBe(true);
    const root = spans.find((span) => span.name === 'fn')!;
    expect(root.spanContext().traceId).toBe(ROOT);
    expect(root.parentSpanContext?.spanId).toBe(PARENT);
    expect(spans).toHaveLength(2);
  });

  it('a header with no Sampled flag (or Sampled=?) follows the sampled option', async () => {
    expect((await run(`Root=${XRAY_ROOT};Parent=${PARENT}`, false)).spans).toEqual([]);
    expect((await run(`Root=${XRAY_ROOT};Parent=${PARENT};Sampled=?`, false)).recording).toBe(false);
    expect((await run(`Root=${XRAY_ROOT};Parent=${PARENT};Sampled=?`, true)).spans).toHaveLength(2);
  });

  it('the header’s flag wins over the option', async () => {
    expect((await run(`Root=${XRAY_ROOT};Parent=${PARENT};Sampled=1`, false)).spans).toHaveLength(2);
    expect((await run(`Root=${XRAY_ROOT};Parent=${PARENT};Sampled=0`, true)).spans).toEqual([]);
  });

  it('a header without a usable parent starts a new trace, still with its decision', async () => {
    expect((await run(`Root=${XRAY_ROOT};Sampled=0`)).recording).toBe(false);
    const { spans } = await run(`Root=${XRAY_ROOT};Sampled=1`, false);
    expect(spans).toHaveLength(2);
    expect(spans[0]!.spanContext().traceId).not.toBe(ROOT);
    expect(spans.find((span) => span.name === 'fn')!.parentSpanContext).toBeUndefined();
  });
});

describe('an unsampled invocation records nothing and starts no span', () => {
  it('its ctx.trace still names the trace, runs steps and checks their arguments', async () => {
    const exporter = new CaptureExporter();
    const t = createTracer({ exporter });
    const header = `Root=${XRAY_ROOT};Parent=${PARENT};Sampled=0`;
    const seen = await t.traceInvocation(
      {},
      { ...createContext({ functionName: 'fn' }), traceId: header },
      async (trace) => {
        const step = await trace.span('step', (span) => span.isRecording());
        await expect(trace.span('', () => 1)).rejects.toThrow(TypeError);
        return {
          step,
          recording: trace.recording,
          traceId: trace.traceId,
          xrayTraceId: trace.xrayTraceId,
          spanId: trace.spanId,
          active: trace.activeSpanId(),
          inRun: trace.run(() => 'ran'),
        };
      },
    );
    expect(seen).toEqual({
      step: false,
      recording: false,
      traceId: ROOT,
      xrayTraceId: XRAY_ROOT,
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      active: undefined,
      inRun: 'ran',
    });
    expect(exporter.calls).toEqual([]);
  });

  it('with tracing off, ctx.trace still gives an X-Ray-style trace id', async () => {
    const t = createTracer({ exporter: 'none' });
    const id = await t.traceInvocation({}, createContext(), (trace) => trace.xrayTraceId);
    expect(id).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });
});
