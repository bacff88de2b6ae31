import type { Logger } from './create-logger.js';

/**
 * A child logger for one batch record (SQS `messageId`, Kinesis or DynamoDB stream `eventID`):
 * its lines carry `recordId` on top of the invocation's fields, and share its buffer and sampling.
 */
export function recordLogger(log: Logger, recordId: string): Logger {
  return log.child({ recordId });
}
