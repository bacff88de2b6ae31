// The sample-event catalogue @lambdakit/testing ships (packages/testing/events/<source>.json),
// read by relative path: the parser's tests run on the same events users get from `sampleEvent()`,
// without the parser depending on @lambdakit/testing (which depends on the parser).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { EventSourceName } from '../src/event-source.js';
import { events } from '../src/events.js';

// A catalogue event as JSON gives it; tests read and break its fields by name.
type CatalogueEvent = Record<string, any>;

/** Every variant of `source`'s events, in the catalogue's order (the first is what `sampleEvent()` builds on). */
function variants(source: EventSourceName): CatalogueEvent[] {
  const file = new URL(`../../testing/events/${source}.json`, import.meta.url);
  return Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, CatalogueEvent>);
}

/** Every source's catalogue events. */
export const catalogue = Object.fromEntries(
  (Object.keys(events) as EventSourceName[]).map((source) => [source, variants(source)]),
) as Record<EventSourceName, CatalogueEvent[]>;

export const sqsEvents = catalogue.sqs;
export const snsEvents = catalogue.sns;
export const s3Events = catalogue.s3;
export const eventbridgeEvents = catalogue.eventbridge;
export const apigwRestEvents = catalogue['apigw-rest'];
export const apigwHttpEvents = catalogue['apigw-http'];
export const albEvents = catalogue.alb;
export const lambdaUrlEvents = catalogue['lambda-url'];
export const kinesisEvents = catalogue.kinesis;
export const dynamodbStreamEvents = catalogue['dynamodb-stream'];
export const cloudwatchLogsEvents = catalogue['cloudwatch-logs'];
export const firehoseEvents = catalogue.firehose;
export const sesEvents = catalogue.ses;
export const cognitoPreSignUpEvents = catalogue['cognito-pre-signup'];
export const cfnCustomResourceEvents = catalogue['cfn-custom-resource'];
export const kafkaEvents = catalogue.kafka;

/** The decoded `awslogs.data` of the first CloudWatch Logs event: a DATA_MESSAGE with two log events. */
export const logsData = JSON.parse(
  gunzipSync(Buffer.from(cloudwatchLogsEvents[0]!.awslogs.data, 'base64')).toString('utf8'),
) as CatalogueEvent;

/** The SNS notification an SQS queue subscribed without raw message delivery receives as its body. */
export const snsBody = JSON.parse(sqsEvents[2]!.Records[0].body) as CatalogueEvent;
