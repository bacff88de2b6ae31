export type { CreateContextOptions, TestLambdaContext } from './create-context.js';
export { createContext } from './create-context.js';
export type { InvokeOptions, InvokeResult } from './invoke.js';
export { invoke } from './invoke.js';
export type {
  InvokeStreamResult,
  StreamedChunk,
  StreamedPrelude,
  StreamingLambdaHandler,
} from './invoke-stream.js';
export { invokeStream } from './invoke-stream.js';
export type { LocalAws, StartLocalAwsOptions } from './local-aws.js';
export { startLocalAws } from './local-aws.js';
export type {
  LocalDynamo,
  LocalDynamoAddress,
  LocalDynamoConnection,
  LocalDynamoKeyType,
  LocalDynamoTableSpec,
  LocalIdempotencyTableOptions,
  StartLocalDynamoOptions,
} from './local-dynamo.js';
export { connectLocalDynamo, startLocalDynamo } from './local-dynamo.js';
export type {
  LocalEventBridge,
  LocalEventBridgeEvent,
  LocalEventBridgeLambdaEvent,
  LocalEventBridgeOperation,
  LocalEventBridgeRequest,
  StartLocalEventBridgeOptions,
} from './local-eventbridge.js';
export { startLocalEventBridge } from './local-eventbridge.js';
export type {
  LocalKms,
  LocalKmsKey,
  LocalKmsOperation,
  LocalKmsRequest,
  StartLocalKmsOptions,
} from './local-kms.js';
export { startLocalKms } from './local-kms.js';
export type {
  LocalFunction,
  LocalFunctionInvocation,
  LocalInvocationRecord,
  LocalLambda,
  StartLocalLambdaOptions,
} from './local-lambda.js';
export { startLocalLambda } from './local-lambda.js';
export type { LocalOtlpReceiver, OtlpExportRequest, StartLocalOtlpReceiverOptions } from './local-otlp-receiver.js';
export { startLocalOtlpReceiver } from './local-otlp-receiver.js';
export type { LocalS3, StartLocalS3Options } from './local-s3.js';
export { startLocalS3 } from './local-s3.js';
export type {
  LocalSecretInput,
  LocalSecretsManager,
  LocalSecretsOperation,
  LocalSecretsRequest,
  LocalSecretVersion,
  StartLocalSecretsManagerOptions,
} from './local-secrets.js';
export { startLocalSecretsManager } from './local-secrets.js';
export type {
  LocalSecretsExtension,
  LocalSecretsExtensionRequest,
  StartLocalSecretsExtensionOptions,
} from './local-secrets-extension.js';
export { startLocalSecretsExtension } from './local-secrets-extension.js';
export type {
  LocalSns,
  LocalSnsLambdaEvent,
  LocalSnsMessage,
  LocalSnsMessageAttribute,
  LocalSnsOperation,
  LocalSnsRequest,
  StartLocalSnsOptions,
} from './local-sns.js';
export { startLocalSns } from './local-sns.js';
export type {
  LocalSqs,
  LocalSqsLambdaEvent,
  LocalSqsMessage,
  LocalSqsMessageAttribute,
  LocalSqsOperation,
  LocalSqsRequest,
  StartLocalSqsOptions,
} from './local-sqs.js';
export { startLocalSqs } from './local-sqs.js';
export { startLocalSsm } from './local-ssm.js';
export type {
  LocalSsm,
  LocalSsmOperation,
  LocalSsmParameter,
  LocalSsmParameterInput,
  LocalSsmParameterType,
  LocalSsmRequest,
  StartLocalSsmOptions,
} from './local-ssm-types.js';
export type { LocalXrayDaemon, RejectedDatagram, StartLocalXrayDaemonOptions } from './local-xray-daemon.js';
export { startLocalXrayDaemon } from './local-xray-daemon.js';
export type { ReceivedSpan } from './otlp-traces.js';
export { decodeOtlpJson, decodeOtlpProtobuf } from './otlp-traces.js';
export type { SampleEventOptions } from './sample-event.js';
export { eventSources, sampleEvent } from './sample-event.js';
