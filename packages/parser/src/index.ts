export { type AlbEvent, AlbEventSchema, alb } from './alb.js';
export {
  type ApigwHttpEvent,
  ApigwHttpEventSchema,
  ApigwHttpRequestContextSchema,
  apigwHttp,
  HttpAuthenticationSchema,
  HttpRequestSchema,
  IamAuthorizerSchema,
} from './apigw-http.js';
export {
  type ApigwRestEvent,
  ApigwRestEventSchema,
  ApigwRestIdentitySchema,
  ApigwRestRequestContextSchema,
  apigwRest,
} from './apigw-rest.js';
export {
  CfnCreateRequestSchema,
  type CfnCustomResourceEvent,
  CfnCustomResourceEventSchema,
  CfnDeleteRequestSchema,
  CfnResourcePropertiesSchema,
  CfnUpdateRequestSchema,
} from './cfn-custom-resource.js';
export {
  type CloudWatchLogsData,
  CloudWatchLogsDataSchema,
  type CloudWatchLogsEvent,
  CloudWatchLogsEventSchema,
  cloudwatchLogs,
} from './cloudwatch-logs.js';
export { type CognitoPreSignUpEvent, CognitoPreSignUpEventSchema } from './cognito-pre-signup.js';
export { detectSource } from './detect-source.js';
export {
  type AttributeMap,
  AttributeMapSchema,
  type AttributeValue,
  type DynamoDbStreamEvent,
  DynamoDbStreamEventSchema,
  type DynamoDbStreamOptions,
  DynamoDbStreamRecordSchema,
  type DynamoDbUnmarshallOptions,
  dynamodbStream,
  type NativeValue,
} from './dynamodb-stream.js';
export type { EventSourceName, HttpSource } from './event-source.js';
export { schemaSource } from './event-source.js';
export { type EventBridgeEvent, EventBridgeEventSchema, eventbridge } from './eventbridge.js';
export { type EventOf, events } from './events.js';
export { type FirehoseEvent, FirehoseEventSchema, FirehoseRecordSchema, firehose } from './firehose.js';
export { json } from './json.js';
export {
  type KafkaEvent,
  KafkaEventSchema,
  KafkaRecordSchema,
  MskEventSchema,
  SelfManagedKafkaEventSchema,
} from './kafka.js';
export { type KinesisEvent, KinesisEventSchema, KinesisRecordSchema, kinesis } from './kinesis.js';
export { type LambdaUrlEvent, LambdaUrlEventSchema, LambdaUrlRequestContextSchema, lambdaUrl } from './lambda-url.js';
export {
  LargePayloadError,
  type LargePayloadErrorCode,
  type LargePayloadErrorDetails,
} from './large-payload-error.js';
export {
  defaultLimits,
  type EnvelopeOptions,
  type MessageOptions,
  type ParseLimits,
  type PayloadOptions,
} from './limits.js';
export { type ParseOptions, type ParseResponse, parse } from './parse.js';
export { ParseError, type ParseErrorCode, type ParseErrorDetails, type ParseIssue } from './parse-error.js';
export { parseEvent, type SafeParseEventResult, safeParseEvent } from './parse-event.js';
export type { PayloadPointer } from './payload-pointer.js';
export type { PayloadStore } from './payload-store.js';
export {
  type HttpProblemResponse,
  MAX_PROBLEM_ISSUES,
  type ProblemDetails,
  type ProblemIssue,
  problemDetails,
  problemResponse,
} from './problem-details.js';
export {
  type ClearOptions,
  clearLargePayloads,
  hasLargePayloads,
  type ResolvedPayloads,
  type ResolvedRecord,
  resolveLargePayload,
  resolveLargePayloads,
} from './resolve-large-payloads.js';
export { decodeS3Key, type S3Event, S3EventSchema, S3ObjectSchema, S3RecordSchema, s3 } from './s3.js';
export {
  type BatchEventSchema,
  type BatchRecord,
  type ParsedRecords,
  type RecordFailure,
  safeParseRecord,
  safeParseRecords,
  type ValidRecord,
} from './safe-parse-records.js';
export { type SesEvent, SesEventSchema, SesMailSchema, SesReceiptSchema, SesRecordSchema } from './ses.js';
export {
  type SnsEvent,
  SnsEventSchema,
  SnsMessageAttributeSchema,
  SnsMessageSchema,
  SnsRecordSchema,
  sns,
} from './sns.js';
export { type SnsNotification, SnsNotificationSchema, snsInSqs } from './sns-in-sqs.js';
export {
  SqsAttributesSchema,
  type SqsEvent,
  SqsEventSchema,
  SqsMessageAttributeSchema,
  type SqsRecord,
  SqsRecordSchema,
  sqs,
} from './sqs.js';
