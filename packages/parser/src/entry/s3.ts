// @lambdakit/parser/s3: this source's schemas and payload helper, without the other sources'.
export { decodeS3Key, type S3Event, S3EventSchema, S3ObjectSchema, S3RecordSchema, s3 } from '../s3.js';
