import type { BatchEntry } from './batch-entries.js';
import { type BatchSource, isFifoBatch, messageGroupId } from './batch-source.js';
import { type RecordSkippedError, recordSkippedError, type SkipReason } from './record-skipped-error.js';

/** @internal How records are ordered and what a failure does to the records after it. */
export type BatchMode =
  /** Standard SQS: records are independent. */
  | 'independent'
  /** SQS FIFO, `fifo: 'stop'`: one ordered lane; a failure stops the batch. */
  | 'fifo'
  /** SQS FIFO, `fifo: 'group'`: one ordered lane per message group. */
  | 'group'
  /** Kinesis / DynamoDB streams: one ordered lane; Lambda resumes from the first failure. */
  | 'stream';

/** @internal The mode of a batch: its source, whether its queue is FIFO, and the `fifo` option. */
export function batchMode(source: BatchSource, records: readonly unknown[], fifo: 'stop' | 'group'): BatchMode {
  if (source !== 'sqs') return 'stream';
  if (!isFifoBatch(records)) return 'independent';
  return fifo === 'group' ? 'group' : 'fifo';
}

/** @internal What a lane does with each record. */
export interface LaneSteps {
  /** Checked before every start. */
  mayStart(): boolean;
  /** Runs one record; resolves true when it succeeded. Never rejects. */
  run(entry: BatchEntry): Promise<boolean>;
  /** Reports a record that is not started. */
  skip(entry: BatchEntry, error: RecordSkippedError): Promise<void>;
}

const orderReason: Record<BatchMode, SkipReason | undefined> = {
  independent: undefined,
  fifo: 'fifo-order',
  group: 'group-order',
  stream: 'stream-order',
};

/**
 * @internal Runs the entries in lanes: one per record (standard SQS), one per message group
 * (`fifo: 'group'`), else one for the whole batch. Lanes run up to `concurrency` at once where
 * order allows; within a lane, nothing after a failure starts.
 */
export async function runLanes(
  mode: BatchMode,
  entries: readonly BatchEntry[],
  concurrency: number,
  steps: LaneSteps,
): Promise<void> {
  const reason = orderReason[mode];
  const runLane = async (lane: readonly BatchEntry[]) => {
    for (let i = 0; i < lane.length; i++) {
      const entry = lane[i]!;
      if (!steps.mayStart()) {
        await steps.skip(entry, recordSkippedError('deadline'));
        continue;
      }
      if ((await steps.run(entry)) || reason === undefined) continue;
      // Order matters: nothing after a failure may run before it, so the rest waits for redelivery.
      for (const later of lane.slice(i + 1)) await steps.skip(later, recordSkippedError(reason, entry.index));
      return;
    }
  };
  const lanes = lanesOf(mode, entries);
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) await runLane(lanes[next++]!);
  };
  const workers = mode === 'independent' || mode === 'group' ? Math.min(concurrency, lanes.length) : 1;
  await Promise.all(Array.from({ length: workers }, worker));
}

function lanesOf(mode: BatchMode, entries: readonly BatchEntry[]): (readonly BatchEntry[])[] {
  if (mode === 'independent') return entries.map((entry) => [entry]);
  if (mode !== 'group') return [entries];
  // SQS FIFO orders messages within a MessageGroupId only; records without one form one group.
  const groups = new Map<string | undefined, BatchEntry[]>();
  for (const entry of entries) {
    const group = messageGroupId(entry.raw);
    const lane = groups.get(group);
    if (lane === undefined) groups.set(group, [entry]);
    else lane.push(entry);
  }
  return [...groups.values()];
}
