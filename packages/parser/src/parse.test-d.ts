import { S3Client } from '@aws-sdk/client-s3';
import { lambda } from '@lambdakit/core';
import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import { apigwHttp } from './apigw-http.js';
import { apigwRest } from './apigw-rest.js';
import { cloudwatchLogs } from './cloudwatch-logs.js';
import { dynamodbStream } from './dynamodb-stream.js';
import { eventbridge } from './eventbridge.js';
import { events } from './events.js';
import { firehose } from './firehose.js';
import { kinesis } from './kinesis.js';
import { lambdaUrl } from './lambda-url.js';
import { parse } from './parse.js';
import type { ParseError } from './parse-error.js';
import { parseEvent, safeParseEvent } from './parse-event.js';
import type { HttpProblemResponse } from './problem-details.js';
import {
  type ResolvedPayloads,
  type ResolvedRecord,
  resolveLargePayload,
  resolveLargePayloads,
} from './resolve-large-payloads.js';
import { s3 } from './s3.js';
import { s3Payloads } from './s3-payloads.js';
import { type RecordFailure, safeParseRecord, safeParseRecords, type ValidRecord } from './safe-parse-records.js';
import { sns } from './sns.js';
import { snsInSqs } from './sns-in-sqs.js';
import { sqs } from './sqs.js';

const Order = z.object({ orderId: z.string(), quantity: z.number() });
type Order = z.infer<typeof Order>;

describe('payload helpers infer the inner type', () => {
  it('sqs, sns, snsInSqs', () => {
    expectTypeOf(parseEvent(sqs(Order), {}).Records[0]!.body).toEqualTypeOf<Order>();
    expectTypeOf(parseEvent(sqs(Order), {}).Records[0]!.messageId).toEqualTypeOf<string>();
    expectTypeOf(parseEvent(sns(Order), {}).Records[0]!.Sns.Message).toEqualTypeOf<Order>();
    expectTypeOf(parseEvent(snsInSqs(Order), {}).Records[0]!.body.Message).toEqualTypeOf<Order>();
    expectTypeOf(parseEvent(snsInSqs(Order), {}).Records[0]!.body.TopicArn).toEqualTypeOf<string>();
  });

  it('eventbridge, HTTP sources', () => {
    expectTypeOf(parseEvent(eventbridge(Order), {}).detail).toEqualTypeOf<Order>();
    expectTypeOf(parseEvent(eventbridge(Order), {})['detail-type']).toEqualTypeOf<string>();
    expectTypeOf(parseEvent(apigwRest(Order), {}).body).toEqualTypeOf<Order>();
    expectTypeOf(parseEvent(apigwRest(Order), {}).headers).toEqualTypeOf<Record<string, string> | null>();
    expectTypeOf(parseEvent(apigwHttp(Order), {}).body).toEqualTypeOf<Order>();
    expectTypeOf(parseEvent(apigwHttp(Order.optional()), {}).body).toEqualTypeOf<Order | undefined>();
    expectTypeOf(parseEvent(lambdaUrl(Order), {}).body).toEqualTypeOf<Order>();
  });

  it('streams and logs', () => {
    expectTypeOf(parseEvent(kinesis(Order), {}).Records[0]!.kinesis.data).toEqualTypeOf<Order>();
    expectTypeOf(parseEvent(firehose(Order), {}).records[0]!.data).toEqualTypeOf<Order>();
    expectTypeOf(parseEvent(dynamodbStream(Order), {}).Records[0]!.dynamodb.NewImage).toEqualTypeOf<
      Order | undefined
    >();
    expectTypeOf(parseEvent(cloudwatchLogs(Order), {}).awslogs.data.logEvents[0]!.message).toEqualTypeOf<Order>();
    expectTypeOf(parseEvent(cloudwatchLogs(), {}).awslogs.data.logEvents[0]!.message).toEqualTypeOf<string>();
    expectTypeOf(parseEvent(s3(), {}).Records[0]!.s3.object.key).toEqualTypeOf<string>();
  });

  it('registry schemas type the raw event', () => {
    expectTypeOf(parseEvent(events.sqs, {}).Records[0]!.body).toEqualTypeOf<string>();
    expectTypeOf(parseEvent(events['cognito-pre-signup'], {}).triggerSource).toEqualTypeOf<
      'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser' | 'PreSignUp_ExternalProvider'
    >();
    const cfn = parseEvent(events['cfn-custom-resource'], {});
    if (cfn.RequestType === 'Update') expectTypeOf(cfn.OldResourceProperties).toEqualTypeOf<Record<string, unknown>>();
  });
});

describe('parseEvent, safeParseEvent, safeParseRecords', () => {
  it('safeParseEvent narrows on success', () => {
    const result = safeParseEvent(sqs(Order), {});
    if (result.success) expectTypeOf(result.data.Records[0]!.body).toEqualTypeOf<Order>();
    else expectTypeOf(result.error).toEqualTypeOf<ParseError>();
  });

  it('safeParseRecords gives typed records and identified failures', () => {
    const { records, failures } = safeParseRecords(sqs(Order), {});
    expectTypeOf(records[0]!.record.body).toEqualTypeOf<Order>();
    expectTypeOf(records[0]!.itemIdentifier).toEqualTypeOf<string>();
    expectTypeOf(failures[0]!.error).toEqualTypeOf<ParseError>();
    expectTypeOf(safeParseRecords(kinesis(Order), {}).records[0]!.record.kinesis.data).toEqualTypeOf<Order>();
  });

  it('safeParseRecords refuses a schema whose events have no records', () => {
    // @ts-expect-error an EventBridge event is not a batch
    safeParseRecords(eventbridge(Order), {});
  });
});

describe('parse() through lambda()', () => {
  it('narrows the handler’s event and adds nothing to the result for non-HTTP sources', () => {
    const handler = lambda()
      .use(parse(sqs(Order)))
      .handle(async (event) => {
        expectTypeOf(event.Records[0]!.body).toEqualTypeOf<Order>();
        return 'done' as const;
      });
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<'done'>();
  });

  it('adds the 400 problem response to the result of an HTTP handler', () => {
    const handler = lambda()
      .use(parse(apigwHttp(Order)))
      .handle(async (event) => {
        expectTypeOf(event.body).toEqualTypeOf<Order>();
        return { statusCode: 201 as const, body: event.body.orderId };
      });
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<{ statusCode: 201; body: string } | HttpProblemResponse>();
  });

  it('registry HTTP schemas add the 400 response too', () => {
    const handler = lambda()
      .use(parse(events['apigw-rest']))
      .handle(async () => 'ok' as const);
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<'ok' | HttpProblemResponse>();
  });

  it('largePayloads changes nothing in the types: the event is the same as inline', async () => {
    const largePayloads = s3Payloads({ client: new S3Client({}) });
    expectTypeOf(sqs(Order, { largePayloads })).toEqualTypeOf(sqs(Order));
    expectTypeOf(sns(Order, { largePayloads })).toEqualTypeOf(sns(Order));
    expectTypeOf(snsInSqs(Order, { largePayloads })).toEqualTypeOf(snsInSqs(Order));
    const handler = lambda()
      .use(parse(sqs(Order, { largePayloads })))
      .handle(async (event) => event.Records[0]?.body.orderId);
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<string | undefined>();
    const event = { Records: [] as { body: string }[] };
    expectTypeOf(await resolveLargePayloads(sqs(Order), event)).toEqualTypeOf<ResolvedPayloads<typeof event>>();
    const raw = { messageId: 'm', body: '…' };
    expectTypeOf(await resolveLargePayload(sqs(Order), raw)).toEqualTypeOf<ResolvedRecord<typeof raw>>();
    const one = safeParseRecord(sqs(Order, { largePayloads }), raw, 0);
    type Parsed = z.output<ReturnType<typeof sqs<typeof Order>>>['Records'][number];
    expectTypeOf(one).toEqualTypeOf<ValidRecord<Parsed> | RecordFailure>();
    if ('record' in one) expectTypeOf(one.record.body).toEqualTypeOf<Order>();
    // @ts-expect-error: not a batch schema
    safeParseRecord(eventbridge(Order), raw, 0);
    // @ts-expect-error: not a payload store
    sqs(Order, { largePayloads: new S3Client({}) });
  });
});
