import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeOtlpJson } from '@lambdakit/testing';
import { describe, expect, it } from 'vitest';
import { jsonLines, lambdakit, SPAWN_TIMEOUT_MS } from '../test/spawn-cli.js';

describe('lambdakit invoke --trace', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('samples each invocation, receives its spans on a local X-Ray daemon and draws them; --trace-out writes OTLP/JSON', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'lambdakit-trace-')), 'spans.json');
    const run = await lambdakit([
      'invoke',
      'test/fixtures/traced.mjs',
      '--function-name',
      'orders',
      '--repeat',
      '2',
      '--trace-out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const results = jsonLines(run.stdout) as { recording: boolean; xrayTraceId: string }[];
    expect(results.map((r) => r.recording)).toEqual([true, true]);
    for (const { xrayTraceId } of results) {
      // The waterfall names the invocation's own trace, its spans in tree order, each with a bar.
      const start = run.stderr.indexOf(`lambdakit: trace ${xrayTraceId}: 4 span(s)`);
      expect(start, run.stderr).toBeGreaterThanOrEqual(0);
      const lines = run.stderr.slice(start).split('\n').slice(1, 5);
      // `lambdakit: ` then two spaces, then the name column (indented by depth, 40 wide).
      expect(lines.map((line) => line.slice('lambdakit:   '.length, 'lambdakit:   '.length + 40).trimEnd())).toEqual([
        'orders',
        '  validate',
        '  price',
        '    tax',
      ]);
      for (const line of lines) expect(line).toMatch(/█+\s*\d+\.\d+ ms$/);
    }
    const spans = decodeOtlpJson(readFileSync(out, 'utf8'));
    expect(spans).toHaveLength(8);
    expect(new Set(spans.map((s) => `1-${s.traceId.slice(0, 8)}-${s.traceId.slice(8)}`))).toEqual(
      new Set(results.map((r) => r.xrayTraceId)),
    );
    const roots = spans.filter((s) => s.name === 'orders');
    for (const root of roots) {
      const price = spans.find((s) => s.name === 'price' && s.traceId === root.traceId)!;
      expect(price.parentSpanId).toBe(root.spanId);
      expect(spans.find((s) => s.name === 'tax' && s.traceId === root.traceId)!.parentSpanId).toBe(price.spanId);
      expect(root.attributes['faas.name']).toBe('orders');
    }
    expect(run.stderr).toContain(`lambdakit: 8 span(s) written to ${out} (OTLP/JSON)`);
  });

  it('marks a failed span with its error', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/traced.mjs', '--trace', '--event', '-'], {
      input: '{"fail":true}',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/lambdakit: {5}charge\s+.*█+\s+\d+\.\d+ ms {2}error: Error: card declined/);
    expect(run.stderr).toMatch(/lambdakit: trace 1-[0-9a-f]{8}-[0-9a-f]{24}: 5 span\(s\)/);
  });

  it('without --trace nothing is sampled and nothing drawn', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/traced.mjs']);
    expect(run.code, run.stderr).toBe(0);
    expect((jsonLines(run.stdout)[0] as { recording: boolean }).recording).toBe(false);
    expect(run.stderr).not.toContain('lambdakit: trace ');
  });

  it('a --trace-out that cannot be written is refused before anything runs', async () => {
    const run = await lambdakit(['invoke', 'test/fixtures/traced.mjs', '--trace-out', '/nonexistent-dir/spans.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--trace-out: cannot write /nonexistent-dir/spans.json');
    expect(run.stdout).toBe('');
  });
});
