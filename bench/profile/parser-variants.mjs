// node bench/profile/parser-variants.mjs [index]: which part of sqs(Order) costs what; all variants rotated in one process, or one by index.
// Which part of sqs(Order) costs what: variants of the schema, each timed in turn (same process, rotated).

import { parse } from '@aws-lambda-powertools/parser';
import { SqsEnvelope } from '@aws-lambda-powertools/parser/envelopes/sqs';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import {
  json,
  parseEvent,
  SqsAttributesSchema,
  SqsMessageAttributeSchema,
  SqsRecordSchema,
  sqs,
} from '@lambdakit/parser';
import { z } from 'zod';

const mod = await import('./data.mjs');
const { Order, events } = mod;
const recordFields = {
  messageId: z.string(),
  receiptHandle: z.string(),
  body: z.string(),
  attributes: SqsAttributesSchema,
  messageAttributes: z.record(z.string(), SqsMessageAttributeSchema),
  md5OfBody: z.string(),
  md5OfMessageAttributes: z.string().nullish(),
  eventSource: z.literal('aws:sqs'),
  eventSourceARN: z.string(),
  awsRegion: z.string(),
};
const attrsStrip = z.object(SqsAttributesSchema.shape);
const maStrip = z.object(SqsMessageAttributeSchema.shape);
const stripFields = { ...recordFields, attributes: attrsStrip, messageAttributes: z.record(z.string(), maStrip) };
const plainJson = z
  .string()
  .transform((s) => JSON.parse(s))
  .pipe(Order);
const variants = {
  'lambdakit sqs(Order)': (() => {
    const s = sqs(Order);
    return (e) => parseEvent(s, e);
  })(),
  'same, z.object (strip) instead of looseObject everywhere': (() => {
    const s = z.object({ Records: z.array(z.object({ ...stripFields, body: json(Order) })) });
    return (e) => s.parse(e);
  })(),
  'same, looseObject, body in the shape (no .extend)': (() => {
    const s = z.looseObject({ Records: z.array(z.looseObject({ ...recordFields, body: json(Order) })) });
    return (e) => s.parse(e);
  })(),
  'looseObject + .extend, body = string.transform(JSON.parse).pipe(Order)': (() => {
    const s = z.looseObject({ Records: z.array(SqsRecordSchema.extend({ body: plainJson })) });
    return (e) => s.parse(e);
  })(),
  'envelope only (SqsEventSchema-like, body string), then Order.parse(JSON.parse) per body': (() => {
    const s = z.looseObject({ Records: z.array(SqsRecordSchema) });
    return (e) => s.parse(e).Records.map((r) => Order.parse(JSON.parse(r.body)));
  })(),
  'powertools parse(SqsEnvelope, JSONStringified(Order))': (() => {
    const s = JSONStringified(Order);
    return (e) => parse(e, SqsEnvelope, s);
  })(),
  'bare Order.parse(JSON.parse) per body': (e) => e.Records.map((r) => Order.parse(JSON.parse(r.body))),
};
const names = process.argv[2] === undefined ? Object.keys(variants) : [Object.keys(variants)[Number(process.argv[2])]];
const res = Object.fromEntries(names.map((n) => [n, []]));
for (const n of names) for (let i = 0; i < 20000; i++) variants[n](events[i & 31]);
for (let round = 0; round < 7; round++) {
  for (const n of names) {
    const f = variants[n];
    const iters = 4000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iters; i++) f(events[i & 31]);
    res[n].push(Number(process.hrtime.bigint() - t0) / iters / 1000);
  }
}
for (const n of names) {
  const s = res[n].sort((a, b) => a - b);
  console.log(`${s[3].toFixed(1).padStart(7)} µs  (${s[0].toFixed(1)}–${s[6].toFixed(1)})  ${n}`);
}
