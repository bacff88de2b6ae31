import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type CfnQueue, type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { LambdakitFunction } from './lambdakit-function.js';

/** The props of {@link SqsSource}. */
export interface SqsSourceProps {
  /** The function the queue's messages go to. */
  function: LambdakitFunction;
  /**
   * The queue, if you make it yourself: it must have a dead-letter queue, and a visibility
   * timeout above the function's timeout plus the batching window. Default: one made here.
   */
  queue?: Queue | undefined;
  /** Receives before a message goes to the dead-letter queue (default 5). */
  maxReceiveCount?: number | undefined;
  /** Messages per invocation (default 10). Above 10 needs `maxBatchingWindow`. */
  batchSize?: number | undefined;
  /** How long Lambda gathers a batch before invoking (default none). */
  maxBatchingWindow?: Duration | undefined;
  /** At most this many concurrent invocations for this queue (2–1000; default: no cap). */
  maxConcurrency?: number | undefined;
}

/**
 * An SQS queue feeding a lambdakit function, set up as `batch()` needs it:
 * - the event source mapping reports batch item failures, so a failed record is retried alone and
 *   the rest of its batch is deleted;
 * - a dead-letter queue (kept 14 days) takes a message after `maxReceiveCount` receives, and its
 *   depth is alarmed (with the function's alarms);
 * - the visibility timeout is six times the function's timeout plus the batching window (AWS's
 *   advice), so a message being worked on is not delivered again to a second invocation. A queue
 *   of your own whose visibility timeout is not above the function's timeout fails here.
 */
export class SqsSource extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: IQueue;
  readonly eventSource: SqsEventSource;

  constructor(scope: Construct, id: string, props: SqsSourceProps) {
    super(scope, id);
    const where = `new SqsSource(…, '${id}', …)`;
    const fn = props.function;
    const window = props.maxBatchingWindow ?? Duration.seconds(0);
    const least = fn.timeout.toSeconds() + window.toSeconds();
    if (props.queue === undefined) {
      const maxReceiveCount = props.maxReceiveCount ?? 5;
      if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
        throw new TypeError(
          `${where} { maxReceiveCount }: expected a whole number from 1 to 1000, got ${maxReceiveCount}`,
        );
      }
      this.deadLetterQueue = new Queue(this, 'DeadLetters', {
        retentionPeriod: Duration.days(14),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      this.queue = new Queue(this, 'Queue', {
        visibilityTimeout: Duration.seconds(Math.min(43_200, 6 * fn.timeout.toSeconds() + window.toSeconds())),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
      });
    } else {
      this.queue = props.queue;
      const dlq = props.queue.deadLetterQueue;
      if (dlq === undefined) {
        throw new TypeError(
          `${where} { queue }: the queue has no dead-letter queue; a message that always fails would be received forever`,
        );
      }
      if (props.maxReceiveCount !== undefined) {
        throw new TypeError(`${where} { maxReceiveCount }: set it on your queue's deadLetterQueue, not here`);
      }
      const visibility = (props.queue.node.defaultChild as CfnQueue).visibilityTimeout ?? 30;
      if (typeof visibility === 'number' && visibility <= least) {
        throw new TypeError(
          `${where} { queue }: its visibility timeout (${visibility} s) must be above the function's timeout plus the batching window (${least} s), or a message is delivered again while it is still being handled`,
        );
      }
      this.deadLetterQueue = dlq.queue;
    }
    this.eventSource = new SqsEventSource(this.queue, {
      batchSize: props.batchSize ?? 10,
      reportBatchItemFailures: true,
      ...(props.maxBatchingWindow && { maxBatchingWindow: props.maxBatchingWindow }),
      ...(props.maxConcurrency !== undefined && { maxConcurrency: props.maxConcurrency }),
    });
    fn.addEventSource(this.eventSource);
    fn.alarms?.watchDeadLetterQueue(this.deadLetterQueue);
  }
}
