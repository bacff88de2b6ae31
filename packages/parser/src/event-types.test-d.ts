import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { apigwHttp } from './apigw-http.js';
import { cloudwatchLogs } from './cloudwatch-logs.js';
import type { EventOf } from './events.js';
import { parseEvent } from './parse-event.js';
import { sqs } from './sqs.js';

const Order = z.object({ orderId: z.string() });

// Every source's documented fields are typed, and nothing else is: a misspelt field is a compile
// error rather than `unknown` (AWS's later fields are still kept at run time).
describe('event types list the documented fields only', () => {
  it('SQS, SNS, S3', () => {
    type Sqs = EventOf<'sqs'>['Records'][number];
    expectTypeOf<Sqs['messageId']>().toEqualTypeOf<string>();
    expectTypeOf<Sqs['attributes']['ApproximateReceiveCount']>().toEqualTypeOf<string>();
    expectTypeOf<Sqs['attributes']['MessageGroupId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Sqs['eventSource']>().toEqualTypeOf<'aws:sqs'>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Sqs['mesageId']>();
    // @ts-expect-error a misspelt attribute
    expectTypeOf<Sqs['attributes']['ApproximateRecieveCount']>();
    type Sns = EventOf<'sns'>['Records'][number]['Sns'];
    expectTypeOf<Sns['TopicArn']>().toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Sns['TopicARN']>();
    type S3 = EventOf<'s3'>['Records'][number]['s3'];
    expectTypeOf<S3['object']['key']>().toEqualTypeOf<string>();
    expectTypeOf<S3['bucket']['name']>().toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    expectTypeOf<S3['bucket']['nmae']>();
  });

  it('API Gateway, ALB, function URLs', () => {
    type Http = EventOf<'apigw-http'>;
    expectTypeOf<Http['rawPath']>().toEqualTypeOf<string>();
    expectTypeOf<Http['requestContext']['http']['method']>().toEqualTypeOf<string>();
    // @ts-expect-error the typo of the issue that asked for this
    expectTypeOf<Http['requestContext']['htpp']>();
    type Rest = EventOf<'apigw-rest'>;
    expectTypeOf<Rest['httpMethod']>().toEqualTypeOf<string>();
    expectTypeOf<Rest['requestContext']['identity']['sourceIp']>().toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Rest['httpMetod']>();
    type Alb = EventOf<'alb'>;
    expectTypeOf<Alb['requestContext']['elb']['targetGroupArn']>().toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Alb['requestContext']['elb']['targetGroupARN']>();
    type Url = EventOf<'lambda-url'>;
    expectTypeOf<Url['requestContext']['http']['sourceIp']>().toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Url['requestContext']['domainNmae']>();
  });

  it('streams, logs, EventBridge and the rest', () => {
    type Kinesis = EventOf<'kinesis'>['Records'][number];
    expectTypeOf<Kinesis['kinesis']['partitionKey']>().toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Kinesis['kinesis']['partitionkey']>();
    type Ddb = EventOf<'dynamodb-stream'>['Records'][number];
    expectTypeOf<Ddb['eventName']>().toEqualTypeOf<'INSERT' | 'MODIFY' | 'REMOVE'>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Ddb['dynamodb']['Key']>();
    type Bridge = EventOf<'eventbridge'>;
    expectTypeOf<Bridge['detail-type']>().toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Bridge['detailType']>();
    const logs = parseEvent(cloudwatchLogs(), {}).awslogs.data;
    expectTypeOf(logs.logGroup).toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    logs.loggroup;
    type Firehose = EventOf<'firehose'>['records'][number];
    expectTypeOf<Firehose['recordId']>().toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Firehose['recordID']>();
    type Ses = EventOf<'ses'>['Records'][number]['ses'];
    expectTypeOf<Ses['mail']['messageId']>().toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Ses['mail']['messageID']>();
    type Cognito = EventOf<'cognito-pre-signup'>;
    expectTypeOf<Cognito['userPoolId']>().toEqualTypeOf<string>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Cognito['userPoolID']>();
    type Kafka = EventOf<'kafka'>;
    expectTypeOf<Kafka['eventSource']>().toEqualTypeOf<'aws:kafka' | 'SelfManagedKafka' | 'aws:SelfManagedKafka'>();
    // @ts-expect-error a misspelt field
    expectTypeOf<Kafka['bootstrapServer']>();
  });

  it('the payload helpers too: the body is typed, the envelope lists its fields', () => {
    const event = parseEvent(sqs(Order), {});
    expectTypeOf(event.Records[0]!.body.orderId).toEqualTypeOf<string>();
    // @ts-expect-error a misspelt envelope field
    event.Records[0]!.mesageId;
    const request = parseEvent(apigwHttp(Order), {});
    // @ts-expect-error a misspelt envelope field
    request.requestContext.htpp;
  });

  it('a custom resource keeps its template-defined properties open', () => {
    type Properties = EventOf<'cfn-custom-resource'>['ResourceProperties'];
    expectTypeOf<Properties['TableName']>().toEqualTypeOf<unknown>();
  });
});
