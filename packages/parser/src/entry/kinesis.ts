// @lambdakit/parser/kinesis: this source's schemas and payload helper, without the other sources'.
export { type KinesisEvent, KinesisEventSchema, KinesisRecordSchema, kinesis } from '../kinesis.js';
