import type { ReceivedSpan } from '@lambdakit/testing';

/** Characters of the timeline column. */
const BAR_WIDTH = 32;
const NAME_WIDTH = 40;

interface Placed {
  readonly span: ReceivedSpan;
  readonly depth: number;
}

/** The spans in tree order (a parent before its children, siblings by start time); orphans at the top level. */
function inTreeOrder(spans: readonly ReceivedSpan[]): Placed[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | undefined, ReceivedSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId !== undefined && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    const list = children.get(parent);
    if (list === undefined) children.set(parent, [span]);
    else list.push(span);
  }
  const placed: Placed[] = [];
  const visit = (parent: string | undefined, depth: number) => {
    const list = (children.get(parent) ?? []).sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
    for (const span of list) {
      placed.push({ span, depth });
      visit(span.spanId, depth + 1);
    }
  };
  visit(undefined, 0);
  return placed;
}

function milliseconds(nanos: bigint): string {
  return `${(Number(nanos) / 1e6).toFixed(nanos < 10_000_000n ? 2 : 1)} ms`;
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** The timeline cell of a span: where it starts and how long it lasts, at least one character. */
function bar(span: ReceivedSpan, origin: bigint, total: bigint): string {
  const scale = (nanos: bigint) => (total <= 0n ? 0 : Math.round((Number(nanos) / Number(total)) * BAR_WIDTH));
  const start = Math.min(BAR_WIDTH - 1, Math.max(0, scale(span.startTimeUnixNano - origin)));
  const length = Math.max(1, Math.min(BAR_WIDTH - start, scale(span.endTimeUnixNano - span.startTimeUnixNano)));
  return `${' '.repeat(start)}${'█'.repeat(length)}${' '.repeat(BAR_WIDTH - start - length)}`;
}

/**
 * One invocation's spans as a waterfall: a line per span, indented under its parent, with a bar
 * on the invocation's timeline, its duration, and its error when it failed. Plain text, no colour.
 */
export function drawWaterfall(spans: readonly ReceivedSpan[]): string[] {
  if (spans.length === 0) return [];
  // Nanoseconds are bigints: Math.min and Math.max do not take them.
  let origin = spans[0]!.startTimeUnixNano;
  let end = spans[0]!.endTimeUnixNano;
  for (const span of spans) {
    if (span.startTimeUnixNano < origin) origin = span.startTimeUnixNano;
    if (span.endTimeUnixNano > end) end = span.endTimeUnixNano;
  }
  const total = end - origin;
  const traceId = spans[0]!.traceId;
  const lines = [`trace 1-${traceId.slice(0, 8)}-${traceId.slice(8)}: ${spans.length} span(s), ${milliseconds(total)}`];
  for (const { span, depth } of inTreeOrder(spans)) {
    const name = fit(`${'  '.repeat(depth)}${span.name}`, NAME_WIDTH);
    const duration = milliseconds(span.endTimeUnixNano - span.startTimeUnixNano).padStart(10);
    const failed = span.status.code === 2 ? `  error: ${span.status.message || 'status error'}` : '';
    lines.push(`  ${name} ${bar(span, origin, total)} ${duration}${failed}`);
  }
  return lines;
}
