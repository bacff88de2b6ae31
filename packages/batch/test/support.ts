import { sampleEvent } from '@lambdakit/testing';

/** A standard SQS event of `count` messages; bodies `{ orderId: 'order-<n>', quantity: n }`. */
export function sqsEvent(count: number) {
  return sampleEvent('sqs', { records: count });
}

/** An SQS FIFO event: the queue ARN ends in `.fifo`, each message has the group `groups[i]`. */
export function fifoEvent(groups: readonly string[]) {
  const event = sampleEvent('sqs', { records: groups.length });
  event.Records.forEach((record, i) => {
    record.eventSourceARN = `${record.eventSourceARN}.fifo`;
    record.attributes.MessageGroupId = groups[i]!;
    record.attributes.SequenceNumber = String(18_000_000_000_000_000_000n + BigInt(i));
    record.attributes.MessageDeduplicationId = `dedup-${i}`;
  });
  return event;
}

/** The item identifiers (SQS message ids, stream sequence numbers) of an event's records, in order. */
export function idsOf(event: { Records: readonly unknown[] }): string[] {
  return event.Records.map((record) => {
    const r = record as {
      messageId?: string;
      kinesis?: { sequenceNumber: string };
      dynamodb?: { SequenceNumber: string };
    };
    return r.messageId ?? r.kinesis?.sequenceNumber ?? r.dynamodb?.SequenceNumber ?? '';
  });
}

/** `{ batchItemFailures }` listing these ids. */
export function failures(...ids: string[]) {
  return { batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) };
}

/** A promise and its resolve function, for holding a record handler until the test lets it go. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A pino-like logger that keeps its lines, bindings merged in, for assertions. */
export function memoryLogger(bindings: Record<string, unknown> = {}, lines: Record<string, unknown>[] = []) {
  const write = (level: string) => (fields: object, msg: string) => {
    lines.push({ level, ...bindings, ...fields, msg });
  };
  const logger = {
    lines,
    bindings,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more: Record<string, unknown>) => memoryLogger({ ...bindings, ...more }, lines),
  };
  return logger;
}
