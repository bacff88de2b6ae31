/** One record Lambda should deliver again: SQS `messageId`, or a Kinesis / DynamoDB stream sequence number. */
export interface BatchItemFailure {
  itemIdentifier: string;
}

/**
 * Lambda's partial batch response (event source mapping with `ReportBatchItemFailures`):
 * an empty list means the whole batch succeeded.
 */
export interface PartialBatchResponse {
  batchItemFailures: BatchItemFailure[];
}
