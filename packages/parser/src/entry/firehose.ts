// @lambdakit/parser/firehose: this source's schemas and payload helper, without the other sources'.
export { type FirehoseEvent, FirehoseEventSchema, FirehoseRecordSchema, firehose } from '../firehose.js';
