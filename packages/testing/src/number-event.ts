import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { EventSourceName } from '@lambdakit/parser';

// A catalogue event as JSON gives it: fields are read and replaced by name, as AWS documents them.
type Json = Record<string, any>;

/** The payload of the `i`-th record: what every sample event carries, so tests can tell records apart. */
const order = (i: number) => ({ orderId: `order-${i + 1}`, quantity: i + 1 });
const json = (value: unknown) => JSON.stringify(value);
const base64 = (text: string) => Buffer.from(text).toString('base64');

/** `id` with the number it ends in advanced by `i` (sequence numbers, offsets, record ids), its width kept. */
const plus = (id: string, i: number) =>
  id.replace(/\d+$/, (digits) => String(BigInt(digits) + BigInt(i)).padStart(digits.length, '0'));
/** `id` with its last 12 hexadecimal digits (a UUID's last group, an S3 sequencer's tail) advanced by `i`. */
const hexPlus = (id: string, i: number) => {
  const tail = (BigInt(`0x${id.slice(-12)}`) + BigInt(i)) % 16n ** 12n;
  const hex = tail.toString(16).padStart(12, '0');
  return `${id.slice(0, -12)}${id === id.toUpperCase() ? hex.toUpperCase() : hex}`;
};

/** `count` copies of `template`, the `i`-th given its identifiers and payload by `number`. */
function numbered(template: Json, count: number, number: (record: Json, i: number) => void): Json[] {
  return Array.from({ length: count }, (_, i) => {
    const record = structuredClone(template);
    number(record, i);
    return record;
  });
}

function httpBody(event: Json): void {
  event.body = json(order(0));
  event.isBase64Encoded = false;
}

function logEvents(event: Json, count: number): void {
  const data = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
  data.logEvents = numbered(data.logEvents[0], count, (line, i) => {
    line.id = plus(line.id, i);
    line.timestamp += i;
    line.message = json({ ...JSON.parse(line.message), ...order(i) });
  });
  event.awslogs.data = gzipSync(json(data)).toString('base64');
}

// Per source: the records of a batch copied from the catalogue event's first one, each with its own
// identifiers and payload; a single event's payload set the same way.
const numberers: Readonly<Record<EventSourceName, (event: Json, count: number) => void>> = {
  sqs: (event, count) => {
    event.Records = numbered(event.Records[0], count, (record, i) => {
      record.messageId = hexPlus(record.messageId, i);
      record.body = json(order(i));
      // SQS: md5OfBody is the MD5 digest of the body as sent.
      record.md5OfBody = createHash('md5').update(record.body).digest('hex');
    });
  },
  sns: (event, count) => {
    event.Records = numbered(event.Records[0], count, (record, i) => {
      record.Sns.MessageId = hexPlus(record.Sns.MessageId, i);
      record.Sns.Message = json(order(i));
    });
  },
  s3: (event, count) => {
    event.Records = numbered(event.Records[0], count, (record, i) => {
      // S3 URL-encodes the key, a space as `+`.
      record.s3.object.key = `uploads/order+${i + 1}.json`;
      record.s3.object.sequencer = hexPlus(record.s3.object.sequencer, i);
    });
  },
  kinesis: (event, count) => {
    event.Records = numbered(event.Records[0], count, (record, i) => {
      const { kinesis } = record;
      kinesis.sequenceNumber = plus(kinesis.sequenceNumber, i);
      kinesis.partitionKey = order(i).orderId;
      kinesis.data = base64(json(order(i)));
      record.eventID = `${record.eventID.split(':')[0]}:${kinesis.sequenceNumber}`;
    });
  },
  'dynamodb-stream': (event, count) => {
    event.Records = numbered(event.Records[0], count, (record, i) => {
      const { orderId, quantity } = order(i);
      const { dynamodb } = record;
      record.eventID = hexPlus(record.eventID, i);
      dynamodb.SequenceNumber = plus(dynamodb.SequenceNumber, i);
      dynamodb.Keys = { orderId: { S: orderId } };
      dynamodb.NewImage = { ...dynamodb.NewImage, orderId: { S: orderId }, quantity: { N: String(quantity) } };
    });
  },
  'cloudwatch-logs': logEvents,
  firehose: (event, count) => {
    event.records = numbered(event.records[0], count, (record, i) => {
      record.recordId = plus(record.recordId, i);
      record.data = base64(json(order(i)));
    });
  },
  ses: (event, count) => {
    event.Records = numbered(event.Records[0], count, ({ ses }, i) => {
      ses.mail.messageId = plus(ses.mail.messageId, i);
      ses.mail.commonHeaders.subject = `Order ${i + 1}`;
    });
  },
  kafka: (event, count) => {
    // One topic partition, `<topic>-<partition>`, its offsets consecutive.
    const [partition, [template]] = Object.entries(event.records as Record<string, Json[]>)[0]!;
    event.records = {
      [partition]: numbered(template!, count, (record, i) => {
        record.offset += i;
        record.key = base64(order(i).orderId);
        record.value = base64(json(order(i)));
      }),
    };
  },
  eventbridge: (event) => {
    event.detail = order(0);
  },
  'apigw-rest': httpBody,
  'apigw-http': httpBody,
  alb: httpBody,
  'lambda-url': httpBody,
  'cognito-pre-signup': () => {},
  'cfn-custom-resource': () => {},
};

/**
 * Numbers a catalogue event of `source` in place: a batch gets `count` records copied from its
 * first, each with its own identifiers and the payload `{ orderId: 'order-<n>', quantity: n }`;
 * a single event with a payload carries the first. The rest stays as the catalogue has it.
 */
export function numberEvent(source: EventSourceName, event: unknown, count: number): void {
  numberers[source](event as Json, count);
}
