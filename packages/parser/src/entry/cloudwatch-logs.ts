// @lambdakit/parser/cloudwatch-logs: this source's schemas and payload helper, without the other sources'.
export {
  type CloudWatchLogsData,
  CloudWatchLogsDataSchema,
  type CloudWatchLogsEvent,
  CloudWatchLogsEventSchema,
  cloudwatchLogs,
} from '../cloudwatch-logs.js';
