// @lambdakit/parser/sns: this source's schemas and payload helper, without the other sources'.
export {
  type SnsEvent,
  SnsEventSchema,
  SnsMessageAttributeSchema,
  SnsMessageSchema,
  SnsRecordSchema,
  sns,
} from '../sns.js';
