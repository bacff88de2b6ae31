// @lambdakit/parser/sns-in-sqs: this source's schemas and payload helper, without the other sources'.
export { type SnsNotification, SnsNotificationSchema, snsInSqs } from '../sns-in-sqs.js';
