// @lambdakit/parser/sqs: this source's schemas and payload helper, without the other sources'.
export {
  SqsAttributesSchema,
  type SqsEvent,
  SqsEventSchema,
  SqsMessageAttributeSchema,
  type SqsRecord,
  SqsRecordSchema,
  sqs,
} from '../sqs.js';
