// @lambdakit/parser/kafka: this source's schemas and payload helper, without the other sources'.
export {
  type KafkaEvent,
  KafkaEventSchema,
  KafkaRecordSchema,
  MskEventSchema,
  SelfManagedKafkaEventSchema,
} from '../kafka.js';
