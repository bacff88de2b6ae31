import { type BatchEventSchema, ParseError, safeParseRecords } from '@lambdakit/parser';
import { BatchError } from './batch-error.js';
import { type BatchLogger, consoleLogger, isBatchLogger } from './batch-logger.js';
import {
  type BatchOptions,
  type BatchSettings,
  type RecordOf,
  resolveSettings,
  sourceSchemas,
} from './batch-options.js';
import { type BatchSource, detectBatchSource, isFifoBatch, messageGroupId } from './batch-source.js';
import type { FailedRecord } from './failed-record.js';
import type { PartialBatchResponse } from './partial-batch-response.js';
import { type RecordContext, recordContext } from './record-context.js';
import { RecordSkippedError, type SkipReason } from './record-skipped-error.js';

/** A per-record handler: gets the parsed record and its `ctx`; a throw (or rejection) fails that record only. */
export type RecordHandler<R, C = {}> = (record: R, ctx: RecordContext<C>) => unknown;

/** Options of {@link processBatch}: {@link BatchOptions} plus the invocation's context. */
export interface ProcessBatchOptions<
  S extends BatchEventSchema = BatchEventSchema,
  K extends BatchSource = BatchSource,
  C = {},
> extends BatchOptions<S, K> {
  /**
   * The invocation's `ctx` (from `lambda()`) or Lambda's own context: gives the deadline, the
   * signal, `ctx.log`, and everything a record handler reads from its `ctx`.
   */
  context?: C;
}

/**
 * Runs `recordHandler` once per record of an SQS, Kinesis or DynamoDB stream batch and returns
 * Lambda's partial batch response, so only the records that failed come back.
 */
export function processBatch<
  K extends BatchSource = BatchSource,
  S extends BatchEventSchema = never,
  C extends object = {},
>(
  event: unknown,
  recordHandler: RecordHandler<RecordOf<S, K>, C>,
  options?: ProcessBatchOptions<S, K, C>,
): Promise<PartialBatchResponse> {
  if (typeof recordHandler !== 'function') {
    return Promise.reject(new TypeError('processBatch(event, recordHandler): recordHandler must be a function'));
  }
  let settings: BatchSettings;
  try {
    settings = resolveSettings(options, 'processBatch');
  } catch (error) {
    return Promise.reject(error);
  }
  return runBatch(event, recordHandler as RecordHandler<unknown, object>, settings, options?.context);
}

type Outcome = { ok: true } | { ok: false; error: unknown };

interface Entry {
  readonly index: number;
  readonly itemIdentifier: string;
  readonly raw: unknown;
  readonly record: unknown;
  readonly parseError: ParseError | undefined;
}

/** How records are ordered and what a failure does to the records after it. */
type Mode =
  /** Standard SQS: records are independent. */
  | 'independent'
  /** SQS FIFO, `fifo: 'stop'`: one ordered lane; a failure stops the batch. */
  | 'fifo'
  /** SQS FIFO, `fifo: 'group'`: one ordered lane per message group. */
  | 'group'
  /** Kinesis / DynamoDB streams: one ordered lane; Lambda resumes from the first failure. */
  | 'stream';

const orderReason: Record<Mode, SkipReason | undefined> = {
  independent: undefined,
  fifo: 'fifo-order',
  group: 'group-order',
  stream: 'stream-order',
};

/** @internal The batch loop shared by {@link processBatch} and `batch()`. */
export async function runBatch(
  event: unknown,
  recordHandler: RecordHandler<unknown, object>,
  settings: BatchSettings,
  context: unknown,
): Promise<PartialBatchResponse> {
  const list = recordsOf(event);
  if (list.length === 0) return { batchItemFailures: [] };
  const source = settings.source ?? detectBatchSource(list);
  const entries = parseEntries(settings.schema ?? sourceSchemas[source], event, list);

  const base: object = context !== null && typeof context === 'object' ? context : {};
  const clock = settings.clock;
  const deadline = deadlineOf(base, clock);
  const invocationSignal = signalOf(base);
  let quietSignal: AbortSignal | undefined;
  const signal = () => {
    if (invocationSignal !== undefined) return invocationSignal;
    quietSignal ??= new AbortController().signal;
    return quietSignal;
  };
  const ctxLog = (base as { log?: unknown }).log;
  const log = settings.log === false ? undefined : (settings.log ?? (isBatchLogger(ctxLog) ? ctxLog : consoleLogger));

  const mode: Mode =
    source !== 'sqs' ? 'stream' : !isFifoBatch(list) ? 'independent' : settings.fifo === 'group' ? 'group' : 'fifo';
  const outcomes: (Outcome | undefined)[] = new Array(entries.length);
  // Streams report only their first record not processed; SQS reports every one.
  let firstUnprocessed: number | undefined;
  let successes = 0;
  let outOfTime = false;
  const skipped = new Map<SkipReason, number>();

  const report = async (entry: Entry, error: unknown, recordLog: BatchLogger | undefined) => {
    outcomes[entry.index] = { ok: false, error };
    const reported = mode !== 'stream' || firstUnprocessed === undefined;
    firstUnprocessed ??= entry.index;
    if (error instanceof RecordSkippedError) skipped.set(error.reason, (skipped.get(error.reason) ?? 0) + 1);
    else if (recordLog !== undefined) logFailure(recordLog, entry, error);
    if (settings.onRecordError !== undefined) {
      const failure: FailedRecord = {
        index: entry.index,
        itemIdentifier: entry.itemIdentifier,
        source,
        error,
        reported,
        record: entry.raw,
      };
      try {
        await settings.onRecordError(failure);
      } catch (hookError) {
        warn(`onRecordError failed for record ${entry.index}: ${describe(hookError)}`);
      }
    }
  };

  // Child loggers are made only when a record needs one: a failure, or a handler reading ctx.log.
  const childLog = (logger: BatchLogger, entry: Entry) => {
    try {
      return logger.child?.({ recordId: entry.itemIdentifier }) ?? logger;
    } catch {
      return logger;
    }
  };

  /** Runs one record; resolves true when it succeeded. Never rejects. */
  const run = async (entry: Entry): Promise<boolean> => {
    const failureLog = () => (log === undefined ? undefined : childLog(log, entry));
    if (entry.parseError !== undefined) {
      const divert = settings.onInvalidRecord;
      if (divert !== undefined) {
        const invalid = { index: entry.index, itemIdentifier: entry.itemIdentifier, source, error: entry.parseError };
        try {
          await divert({ ...invalid, record: entry.raw });
        } catch (hookError) {
          warn(`onInvalidRecord failed for record ${entry.index}: ${describe(hookError)}; the record is reported`);
          await report(entry, entry.parseError, failureLog());
          return false;
        }
        const recordLog = failureLog();
        if (recordLog !== undefined) {
          safeLog(() =>
            recordLog.warn(
              { recordIndex: entry.index, paths: entry.parseError!.paths, err: entry.parseError },
              'Batch record failed to parse; handed to onInvalidRecord and not retried',
            ),
          );
        }
        outcomes[entry.index] = { ok: true };
        successes++;
        return true;
      }
      await report(entry, entry.parseError, failureLog());
      return false;
    }
    const own: Record<PropertyKey, unknown> = {
      recordIndex: entry.index,
      itemIdentifier: entry.itemIdentifier,
      batchSource: source,
      deadline,
      get signal() {
        return signal();
      },
    };
    let recordLog: BatchLogger | undefined;
    if (isBatchLogger(ctxLog)) {
      Object.defineProperty(own, 'log', {
        get: () => {
          recordLog ??= childLog(ctxLog, entry);
          return recordLog;
        },
        enumerable: true,
        configurable: true,
      });
    }
    try {
      await recordHandler(entry.record, recordContext(base, own));
    } catch (error) {
      await report(entry, error, log === ctxLog && recordLog !== undefined ? recordLog : failureLog());
      return false;
    }
    outcomes[entry.index] = { ok: true };
    successes++;
    return true;
  };

  // Checked before every start: once time is short nothing more starts, in any lane.
  const mayStart = () => {
    if (!outOfTime && (invocationSignal?.aborted === true || deadline - clock() < settings.marginMs)) outOfTime = true;
    return !outOfTime;
  };

  const reason = orderReason[mode];
  const runLane = async (lane: readonly Entry[]) => {
    for (let i = 0; i < lane.length; i++) {
      const entry = lane[i]!;
      if (!mayStart()) {
        await report(entry, new RecordSkippedError('deadline'), undefined);
        continue;
      }
      if (await run(entry)) continue;
      if (reason === undefined) continue;
      // Order matters: nothing after a failure may run before it, so the rest waits for redelivery.
      for (const later of lane.slice(i + 1)) {
        await report(later, new RecordSkippedError(reason, entry.index), undefined);
      }
      return;
    }
  };

  const lanes = lanesOf(mode, entries);
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) await runLane(lanes[next++]!);
  };
  const workers = mode === 'independent' || mode === 'group' ? Math.min(settings.concurrency, lanes.length) : 1;
  await Promise.all(Array.from({ length: workers }, worker));

  if (log !== undefined && skipped.size > 0) {
    for (const [why, count] of skipped) {
      safeLog(() => log.warn({ reason: why, count, source }, 'Batch records not started; reported for redelivery'));
    }
  }

  const batchItemFailures: { itemIdentifier: string }[] = [];
  const failures: FailedRecord[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const outcome = outcomes[entry.index];
    if (outcome?.ok === true) continue;
    const error = outcome === undefined ? new RecordSkippedError('deadline') : outcome.error;
    const reported = mode !== 'stream' || entry.index === firstUnprocessed;
    failures.push({
      index: entry.index,
      itemIdentifier: entry.itemIdentifier,
      source,
      error,
      reported,
      record: entry.raw,
    });
    if (!reported || seen.has(entry.itemIdentifier)) continue;
    if (entry.itemIdentifier === '') {
      // Lambda reads an empty itemIdentifier as a failure of the whole batch: say so plainly.
      throw new BatchError('BATCH_INVALID_EVENT', `Record ${entry.index} failed and has no item identifier to report`, {
        cause: error,
      });
    }
    seen.add(entry.itemIdentifier);
    batchItemFailures.push({ itemIdentifier: entry.itemIdentifier });
  }
  const response = { batchItemFailures };
  if (settings.throwOnFullFailure && successes === 0) {
    throw new BatchError('BATCH_ALL_FAILED', `All ${entries.length} records of the ${source} batch failed`, {
      failures,
      response,
    });
  }
  return response;
}

function recordsOf(event: unknown): readonly unknown[] {
  const records = event !== null && typeof event === 'object' ? (event as { Records?: unknown }).Records : undefined;
  if (!Array.isArray(records)) {
    throw new BatchError(
      'BATCH_INVALID_EVENT',
      `Expected an SQS, Kinesis or DynamoDB stream event with a Records array, got ${describeEvent(event)}`,
    );
  }
  return records;
}

function parseEntries(schema: BatchEventSchema, event: unknown, list: readonly unknown[]): Entry[] {
  let parsed: ReturnType<typeof safeParseRecords>;
  try {
    parsed = safeParseRecords(schema, event);
  } catch (error) {
    if (error instanceof ParseError) throw new BatchError('BATCH_INVALID_EVENT', error.message, { cause: error });
    throw error;
  }
  const entries = new Array<Entry>(list.length);
  for (const { index, itemIdentifier, record } of parsed.records) {
    entries[index] = { index, itemIdentifier, raw: list[index], record, parseError: undefined };
  }
  for (const { index, itemIdentifier, error } of parsed.failures) {
    entries[index] = { index, itemIdentifier, raw: list[index], record: undefined, parseError: error };
  }
  return entries;
}

function lanesOf(mode: Mode, entries: Entry[]): (readonly Entry[])[] {
  if (mode === 'independent') return entries.map((entry) => [entry]);
  if (mode !== 'group') return [entries];
  // SQS FIFO orders messages within a MessageGroupId only; records without one form one group.
  const groups = new Map<string | undefined, Entry[]>();
  for (const entry of entries) {
    const group = messageGroupId(entry.raw);
    const lane = groups.get(group);
    if (lane === undefined) groups.set(group, [entry]);
    else lane.push(entry);
  }
  return [...groups.values()];
}

function deadlineOf(context: object, clock: () => number): number {
  const { deadline, getRemainingTimeInMillis } = context as { deadline?: unknown; getRemainingTimeInMillis?: unknown };
  if (typeof deadline === 'number' && !Number.isNaN(deadline)) return deadline;
  if (typeof getRemainingTimeInMillis === 'function') {
    const remaining: unknown = getRemainingTimeInMillis.call(context);
    if (typeof remaining === 'number' && Number.isFinite(remaining)) return clock() + remaining;
  }
  return Number.POSITIVE_INFINITY;
}

function signalOf(context: object): AbortSignal | undefined {
  const signal = (context as { signal?: unknown }).signal;
  return signal instanceof AbortSignal ? signal : undefined;
}

function logFailure(log: BatchLogger, entry: Entry, error: unknown): void {
  const fields =
    error instanceof ParseError
      ? { recordIndex: entry.index, paths: error.paths, err: error }
      : { recordIndex: entry.index, err: error };
  safeLog(() =>
    log.error(fields, error instanceof ParseError ? 'Batch record failed to parse' : 'Batch record failed'),
  );
}

function safeLog(write: () => void): void {
  try {
    write();
  } catch (error) {
    warn(`logging a batch record failure failed: ${describe(error)}`);
  }
}

function warn(message: string): void {
  process.emitWarning(`lambdakit batch: ${message}`, { code: 'LAMBDAKIT_BATCH_HOOK_FAILED' });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeEvent(event: unknown): string {
  if (event === null) return 'null';
  if (Array.isArray(event)) return 'an array';
  if (typeof event !== 'object') return typeof event;
  return 'an object without one';
}
