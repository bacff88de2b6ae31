import { AlbEventSchema } from './alb.js';
import { ApigwHttpEventSchema } from './apigw-http.js';
import { ApigwRestEventSchema } from './apigw-rest.js';
import { CfnCustomResourceEventSchema } from './cfn-custom-resource.js';
import { CloudWatchLogsEventSchema } from './cloudwatch-logs.js';
import { CognitoPreSignUpEventSchema } from './cognito-pre-signup.js';
import { DynamoDbStreamEventSchema } from './dynamodb-stream.js';
import { EventBridgeEventSchema } from './eventbridge.js';
import { FirehoseEventSchema } from './firehose.js';
import { KafkaEventSchema } from './kafka.js';
import { KinesisEventSchema } from './kinesis.js';
import { LambdaUrlEventSchema } from './lambda-url.js';
import { S3EventSchema } from './s3.js';
import { SesEventSchema } from './ses.js';
import { SnsEventSchema } from './sns.js';
import { SqsEventSchema } from './sqs.js';

/**
 * Every event source's schema by name: each validates the whole event as AWS sends it
 * (payloads left as sent, but encoded parts must decode).
 */
export const events = {
  sqs: SqsEventSchema,
  sns: SnsEventSchema,
  s3: S3EventSchema,
  eventbridge: EventBridgeEventSchema,
  'apigw-rest': ApigwRestEventSchema,
  'apigw-http': ApigwHttpEventSchema,
  alb: AlbEventSchema,
  'lambda-url': LambdaUrlEventSchema,
  kinesis: KinesisEventSchema,
  'dynamodb-stream': DynamoDbStreamEventSchema,
  'cloudwatch-logs': CloudWatchLogsEventSchema,
  firehose: FirehoseEventSchema,
  ses: SesEventSchema,
  'cognito-pre-signup': CognitoPreSignUpEventSchema,
  'cfn-custom-resource': CfnCustomResourceEventSchema,
  kafka: KafkaEventSchema,
} as const;

/** The event type of a registry source, e.g. `EventOf<'sqs'>`. */
export type EventOf<K extends keyof typeof events> = import('zod').output<(typeof events)[K]>;
