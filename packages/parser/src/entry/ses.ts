// @lambdakit/parser/ses: this source's schemas and payload helper, without the other sources'.
export { type SesEvent, SesEventSchema, SesMailSchema, SesReceiptSchema, SesRecordSchema } from '../ses.js';
