// @lambdakit/parser/dynamodb-stream: this source's schemas and payload helper, without the other sources'.
export {
  type AttributeMap,
  AttributeMapSchema,
  type AttributeValue,
  type DynamoDbStreamEvent,
  DynamoDbStreamEventSchema,
  type DynamoDbStreamOptions,
  DynamoDbStreamRecordSchema,
  type DynamoDbUnmarshallOptions,
  dynamodbStream,
  type NativeValue,
} from '../dynamodb-stream.js';
