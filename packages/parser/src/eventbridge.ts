import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { tagSource } from './event-source.js';

const envelope = {
  version: z.string(),
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  // Present only on events re-sent by an archive replay.
  'replay-name': z.string().optional(),
};

/** An EventBridge event (also CloudWatch Events and scheduled rules): `detail` is any JSON value. */
export const EventBridgeEventSchema = tagSource(awsObject({ ...envelope, detail: z.unknown() }), {
  source: 'eventbridge',
  http: false,
});

/** An EventBridge event as Lambda receives it. */
export type EventBridgeEvent = z.output<typeof EventBridgeEventSchema>;

/** The EventBridge event with `detail` validated by `Detail` (already JSON: nothing to decode). */
export function eventbridge<Detail extends z.ZodType>(Detail: Detail) {
  return tagSource(awsObject({ ...envelope, detail: Detail }), { source: 'eventbridge', http: false });
}
