import type { TimeTravel } from './durable-time-travel.js';

/** What the report reads of one of the runner's operations. */
export interface ReportedOperation {
  getId(): string | undefined;
  getParentId(): string | undefined;
  getName(): string | undefined;
  getType(): string | undefined;
  getSubType(): string | undefined;
  getStatus(): string | undefined;
  getStartTimestamp(): Date | undefined;
  getEndTimestamp(): Date | undefined;
  getStepDetails(): { attempt: number | undefined } | undefined;
}

/** What the report reads of the finished execution. */
export interface ReportedExecution {
  getStatus(): string | undefined;
  getOperations(): ReportedOperation[];
}

/**
 * The execution on stderr, after its invocations' own lines: its status, how many invocations it
 * took, then each operation in the order it started (a child indented under its parent) with its
 * status, duration, attempts and the time skipped for it.
 */
export function printExecution(
  stderr: NodeJS.WritableStream,
  execution: ReportedExecution,
  time: TimeTravel,
  run: { invocations: number; ms: number },
): void {
  const operations = execution.getOperations();
  const depth = depthOf(operations);
  const rows = operations.map((operation) => [
    `${'  '.repeat(depth(operation))}${operation.getType() ?? '?'}`,
    operation.getName() ?? '-',
    operation.getStatus() ?? '?',
    durationOf(operation),
    notesOf(operation, time),
  ]);
  const widths = [0, 1, 2, 3].map((column) => Math.max(0, ...rows.map((row) => (row[column] as string).length)));
  const invocations = `${run.invocations} invocation${run.invocations === 1 ? '' : 's'}`;
  stderr.write(`lambdakit: durable execution ${execution.getStatus() ?? '?'}: ${invocations}, ${duration(run.ms)}\n`);
  for (const row of rows) {
    const cells = row.map((cell, column) => (column < 4 ? cell.padEnd(widths[column] as number) : cell));
    stderr.write(`  ${cells.join('  ').trimEnd()}\n`);
  }
}

function depthOf(operations: ReportedOperation[]): (operation: ReportedOperation) => number {
  const parents = new Map(operations.map((operation) => [operation.getId(), operation.getParentId()]));
  return (operation) => {
    let depth = 0;
    for (let parent = operation.getParentId(); parent !== undefined && depth < 64; parent = parents.get(parent)) {
      depth++;
    }
    return depth;
  };
}

function durationOf(operation: ReportedOperation): string {
  const start = operation.getStartTimestamp()?.getTime();
  const end = operation.getEndTimestamp()?.getTime();
  return start === undefined || end === undefined ? '-' : duration(end - start);
}

function notesOf(operation: ReportedOperation, time: TimeTravel): string {
  const notes: string[] = [];
  const subType = operation.getSubType();
  if (subType !== undefined && subType.toUpperCase() !== operation.getType() && subType !== 'Step') {
    notes.push(subType);
  }
  const attempt = operation.getType() === 'STEP' ? operation.getStepDetails()?.attempt : undefined;
  if (attempt !== undefined && attempt > 1) notes.push(`${attempt} attempts`);
  const skipped = time.skipped.get(operation.getId() ?? '');
  if (skipped !== undefined) notes.push(`${duration(skipped * 1000)} skipped`);
  return notes.join(', ');
}

/** A duration as a person reads it: 12 ms, 1.52 s, 5 min, 2 h 30 min, 3 d. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60)
    return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${Math.round(minutes / 1440)} d`;
}
