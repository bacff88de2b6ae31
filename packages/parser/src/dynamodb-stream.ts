import { createRequire } from 'node:module';
import * as z from 'zod';
import { awsObject } from './aws-object.js';
import { stringAt } from './event-source.js';
import { streamEvent } from './records.js';

/** A DynamoDB AttributeValue as a stream record carries it (`{ S: 'x' }`, `{ N: '1' }`, `{ M: {…} }`, …). */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: AttributeMap }
  | { L: AttributeValue[] }
  | { NULL: true }
  | { BOOL: boolean };

/** An item, key or image: attribute names to {@link AttributeValue}s. */
export type AttributeMap = Record<string, AttributeValue>;

// DynamoDB itself refuses documents nested deeper than 32 levels.
const MAX_ATTRIBUTE_DEPTH = 32;

type Problem = { path: (string | number)[]; message: string };

const stringArray = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');

function checkValue(value: unknown, depth: number): Problem | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { path: [], message: 'Invalid input: expected an AttributeValue object' };
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) return { path: [], message: 'An AttributeValue has exactly one type key' };
  const tag = keys[0]!;
  const inner = (value as Record<string, unknown>)[tag];
  let problem: Problem | undefined;
  switch (tag) {
    case 'S':
    case 'N':
    case 'B':
      if (typeof inner !== 'string') problem = { path: [], message: 'Invalid input: expected string' };
      break;
    case 'SS':
    case 'NS':
    case 'BS':
      if (!stringArray(inner)) problem = { path: [], message: 'Invalid input: expected an array of strings' };
      break;
    case 'BOOL':
      if (typeof inner !== 'boolean') problem = { path: [], message: 'Invalid input: expected boolean' };
      break;
    case 'NULL':
      if (inner !== true) problem = { path: [], message: 'Invalid input: expected true' };
      break;
    case 'M':
      problem = checkMap(inner, depth + 1);
      break;
    case 'L':
      problem = checkList(inner, depth + 1);
      break;
    default:
      return { path: [], message: `Unknown AttributeValue type ${JSON.stringify(tag.slice(0, 16))}` };
  }
  if (problem !== undefined) problem.path.unshift(tag);
  return problem;
}

function checkList(list: unknown, depth: number): Problem | undefined {
  if (!Array.isArray(list)) return { path: [], message: 'Invalid input: expected array' };
  if (depth > MAX_ATTRIBUTE_DEPTH) return { path: [], message: `Nested deeper than ${MAX_ATTRIBUTE_DEPTH} levels` };
  for (let i = 0; i < list.length; i++) {
    const problem = checkValue(list[i], depth);
    if (problem !== undefined) {
      problem.path.unshift(i);
      return problem;
    }
  }
  return undefined;
}

function checkMap(map: unknown, depth: number): Problem | undefined {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) {
    return { path: [], message: 'Invalid input: expected object' };
  }
  if (depth > MAX_ATTRIBUTE_DEPTH) return { path: [], message: `Nested deeper than ${MAX_ATTRIBUTE_DEPTH} levels` };
  for (const key of Object.keys(map)) {
    const problem = checkValue((map as Record<string, unknown>)[key], depth);
    if (problem !== undefined) {
      problem.path.unshift(key);
      return problem;
    }
  }
  return undefined;
}

/** An attribute map (`Keys`, `NewImage`, `OldImage`), checked recursively without deep recursion risk. */
export const AttributeMapSchema = z.custom<AttributeMap>().check((ctx) => {
  const problem = checkMap(ctx.value, 1);
  if (problem !== undefined) {
    ctx.issues.push({ code: 'custom', input: ctx.value, path: problem.path, message: problem.message });
  }
});

const streamRecord = <K extends z.ZodType, I extends z.ZodType>(keys: K, image: I) =>
  awsObject({
    eventID: z.string(),
    eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
    eventVersion: z.string(),
    eventSource: z.literal('aws:dynamodb'),
    awsRegion: z.string(),
    dynamodb: awsObject({
      ApproximateCreationDateTime: z.number().optional(),
      Keys: keys,
      // Which images are present depends on the stream view type.
      NewImage: image.optional(),
      OldImage: image.optional(),
      SequenceNumber: z.string(),
      SizeBytes: z.number(),
      StreamViewType: z.enum(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']),
    }),
    eventSourceARN: z.string(),
    // Only on deletions made by Time to Live: { type: 'Service', principalId: 'dynamodb.amazonaws.com' }.
    userIdentity: awsObject({ type: z.string(), principalId: z.string() }).optional(),
  });

/** One DynamoDB Streams record, images as AttributeValue maps. */
export const DynamoDbStreamRecordSchema = streamRecord(AttributeMapSchema, AttributeMapSchema);

// Lambda reports a failed stream record by its sequence number.
const sequenceNumber = (record: unknown) => stringAt(record, 'dynamodb', 'SequenceNumber');

/** The DynamoDB Streams event Lambda's event source mapping sends. */
export const DynamoDbStreamEventSchema = streamEvent('dynamodb-stream', DynamoDbStreamRecordSchema, sequenceNumber);

/** A DynamoDB Streams event as Lambda sends it. */
export type DynamoDbStreamEvent = z.output<typeof DynamoDbStreamEventSchema>;

/** A DynamoDB value unmarshalled to JavaScript: a string, number, boolean, null, Set, array or object. */
export type NativeValue = unknown;

/** `@aws-sdk/util-dynamodb`'s unmarshall options that apply to stream images. */
export interface DynamoDbUnmarshallOptions {
  /** Numbers as `NumberValue` objects (`true`), or through your own function, instead of `number`. */
  wrapNumbers?: boolean | ((value: string) => unknown) | undefined;
}

/** Options of {@link dynamodbStream}. */
export interface DynamoDbStreamOptions {
  /** Passed to `unmarshall` from `@aws-sdk/util-dynamodb` (e.g. `wrapNumbers`). */
  unmarshall?: DynamoDbUnmarshallOptions | undefined;
}

type ConvertToNative = (value: unknown, options?: DynamoDbUnmarshallOptions) => NativeValue;
let convertToNative: ConvertToNative | undefined;

/**
 * `convertToNative` from `@aws-sdk/util-dynamodb`, an optional peer of this package: loaded when
 * the first `dynamodbStream()` schema is built (at init), so a function that parses other sources
 * needs neither it nor the DynamoDB client it asks for.
 */
function loadConvertToNative(): ConvertToNative {
  if (convertToNative === undefined) {
    try {
      const util = createRequire(import.meta.url)('@aws-sdk/util-dynamodb') as { convertToNative: ConvertToNative };
      convertToNative = util.convertToNative;
    } catch (error) {
      throw new TypeError(
        'dynamodbStream(): unmarshalling stream images needs @aws-sdk/util-dynamodb, an optional peer of @lambdakit/parser: npm install @aws-sdk/util-dynamodb',
        { cause: error },
      );
    }
  }
  return convertToNative;
}

function toNative(
  value: AttributeValue,
  options: DynamoDbUnmarshallOptions | undefined,
  convert: ConvertToNative,
): NativeValue {
  if ('M' in value) return toPlainObject(value.M, options, convert);
  if ('L' in value) return value.L.map((item) => toNative(item, options, convert));
  return convert(value, options);
}

/**
 * `unmarshall` from `@aws-sdk/util-dynamodb`, except for maps: it assigns `obj[name] = …`, so an
 * attribute named "__proto__" (legal in DynamoDB) would become the object's prototype. Each
 * attribute is defined as an own property instead; scalars and sets are still converted by the SDK.
 * Recursion is bounded: AttributeMapSchema refused anything nested deeper than 32 levels.
 */
function toPlainObject(
  map: AttributeMap,
  options: DynamoDbUnmarshallOptions | undefined,
  convert: ConvertToNative,
): Record<string, NativeValue> {
  const object: Record<string, NativeValue> = {};
  for (const name of Object.keys(map)) {
    const value = toNative(map[name]!, options, convert);
    Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** The `unmarshall` option, checked when the schema is built: a bad one is a `TypeError` naming it. */
function checkedUnmarshallOptions(options: unknown): DynamoDbUnmarshallOptions | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      `dynamodbStream({ unmarshall }): expected an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  const { wrapNumbers } = options as DynamoDbUnmarshallOptions;
  if (wrapNumbers !== undefined && typeof wrapNumbers !== 'boolean' && typeof wrapNumbers !== 'function') {
    throw new TypeError(
      `dynamodbStream({ unmarshall }): expected unmarshall.wrapNumbers to be a boolean or a function, got ${typeof wrapNumbers}`,
    );
  }
  return options as DynamoDbUnmarshallOptions;
}

const unmarshalled = (options: DynamoDbUnmarshallOptions | undefined) => {
  const convert = loadConvertToNative();
  return AttributeMapSchema.transform((map, ctx): Record<string, NativeValue> => {
    try {
      return toPlainObject(map, options, convert);
    } catch (error) {
      // e.g. a number that neither Number nor BigInt can hold.
      ctx.addIssue({
        code: 'custom',
        message: error instanceof Error ? error.message.slice(0, 200) : 'Cannot unmarshall',
      });
      return z.NEVER;
    }
  });
};

/**
 * The DynamoDB Streams event with `Keys`, `NewImage` and `OldImage` unmarshalled to plain objects
 * (`@aws-sdk/util-dynamodb`: numbers to `number`, sets to `Set`, binary stays base64 text) and
 * the images validated by `Image`.
 */
export function dynamodbStream<Image extends z.ZodType>(Image: Image, options: DynamoDbStreamOptions = {}) {
  const plain = unmarshalled(checkedUnmarshallOptions(options.unmarshall));
  // pipe() wants Image to accept the unmarshalled object; any schema may, so only the output type matters.
  const image = plain.pipe(Image as unknown as z.ZodType<z.output<Image>, Record<string, NativeValue>>);
  return streamEvent('dynamodb-stream', streamRecord(plain, image), sequenceNumber);
}
