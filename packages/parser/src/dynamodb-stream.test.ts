import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { dynamodbStreamEvents } from '../test/catalogue.js';
import { type DynamoDbStreamOptions, dynamodbStream } from './dynamodb-stream.js';
import { events } from './events.js';
import { parseEvent, safeParseEvent } from './parse-event.js';

const Order = z.looseObject({ orderId: z.string(), quantity: z.number() });
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('dynamodbStream(Image)', () => {
  it('unmarshalls keys and images to plain objects and validates the images', () => {
    const event = parseEvent(dynamodbStream(Order), wire(dynamodbStreamEvents[0]));
    const [insert, modify] = event.Records;
    expect(insert?.dynamodb.Keys).toEqual({ orderId: 'o-1' });
    expect(insert?.dynamodb.NewImage).toEqual({ orderId: 'o-1', quantity: 2, tags: new Set(['a', 'b']) });
    expect(insert?.dynamodb.OldImage).toBeUndefined();
    expect(modify?.dynamodb.NewImage?.meta).toEqual({ gift: true, note: null });
    expect(modify?.dynamodb.OldImage).toEqual({ orderId: 'o-2', quantity: 1, items: ['x', 1] });
  });

  it('keeps the TTL deletion’s userIdentity', () => {
    const event = parseEvent(dynamodbStream(Order), wire(dynamodbStreamEvents[1]));
    expect(event.Records[0]?.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });

  it('reports an image failing the schema at its path', () => {
    const event = wire(dynamodbStreamEvents[0]) as { Records: { dynamodb: Record<string, unknown> }[] };
    event.Records[1]!.dynamodb.NewImage = { orderId: { N: '5' }, quantity: { N: '1' } };
    const result = safeParseEvent(dynamodbStream(Order), event);
    expect(!result.success && result.error.paths).toEqual(['Records[1].dynamodb.NewImage.orderId']);
  });

  it('keeps an attribute named "__proto__" (legal in DynamoDB) as an own property, never as a prototype', () => {
    const event = wire(dynamodbStreamEvents[0]) as { Records: { dynamodb: Record<string, unknown> }[] };
    event.Records = event.Records.slice(0, 1);
    event.Records[0]!.dynamodb.Keys = JSON.parse('{"__proto__":{"S":"key"}}');
    event.Records[0]!.dynamodb.NewImage = JSON.parse(
      '{"orderId":{"S":"o"},"__proto__":{"M":{"admin":{"BOOL":true}}},"nested":{"M":{"__proto__":{"L":[{"S":"x"}]}}}}',
    );
    expect(safeParseEvent(events['dynamodb-stream'], wire(event)).success).toBe(true);
    const { Keys, NewImage } = parseEvent(dynamodbStream(z.unknown()), event).Records[0]!.dynamodb;
    const image = NewImage as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(Keys)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(Keys, '__proto__')?.value).toBe('key');
    expect(Object.getPrototypeOf(image)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(image, '__proto__')?.value).toEqual({ admin: true });
    expect(image.admin).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(image.nested, '__proto__')?.value).toEqual(['x']);
    expect(Object.getPrototypeOf(image.nested)).toBe(Object.prototype);
    expect(({} as { admin?: unknown }).admin).toBeUndefined();
  });

  it('never lets a "__proto__" attribute reach a prototype through an object Image schema', () => {
    const event = wire(dynamodbStreamEvents[0]) as { Records: { dynamodb: Record<string, unknown> }[] };
    event.Records = event.Records.slice(0, 1);
    event.Records[0]!.dynamodb.NewImage = JSON.parse(
      '{"orderId":{"S":"o"},"quantity":{"N":"1"},"__proto__":{"M":{"admin":{"BOOL":true}}}}',
    );
    const image = parseEvent(dynamodbStream(Order), event).Records[0]!.dynamodb.NewImage!;
    expect(Object.getPrototypeOf(image)).toBe(Object.prototype);
    expect((image as { admin?: unknown }).admin).toBeUndefined();
  });

  it('refuses attribute values nested deeper than DynamoDB allows, without overflowing the stack', () => {
    let value: unknown = { S: 'leaf' };
    for (let i = 0; i < 10_000; i++) value = { L: [value] };
    const event = wire(dynamodbStreamEvents[0]) as { Records: { dynamodb: Record<string, unknown> }[] };
    event.Records[0]!.dynamodb.NewImage = { deep: value };
    const result = safeParseEvent(dynamodbStream(z.unknown()), event);
    expect(!result.success && result.error.issues[0]?.message).toMatch(/deeper than 32/);
  });

  it('turns numbers too big for a Number into BigInt, as util-dynamodb does', () => {
    const event = wire(dynamodbStreamEvents[0]) as { Records: { dynamodb: Record<string, unknown> }[] };
    event.Records = event.Records.slice(0, 1);
    event.Records[0]!.dynamodb.NewImage = { n: { N: '123456789012345678901234567890' } };
    const parsed = parseEvent(dynamodbStream(z.object({ n: z.bigint() })), event);
    expect(parsed.Records[0]?.dynamodb.NewImage?.n).toBe(123456789012345678901234567890n);
  });

  it.each([
    ['a number as unmarshall', { unmarshall: 1 }, 'expected an object, got number'],
    ['null as unmarshall', { unmarshall: null }, 'expected an object, got null'],
    [
      'a string as wrapNumbers',
      { unmarshall: { wrapNumbers: 'yes' } },
      'expected unmarshall.wrapNumbers to be a boolean or a function, got string',
    ],
  ])('refuses %s with a TypeError when the schema is built', (_, options, expected) => {
    expect(() => dynamodbStream(z.unknown(), options as DynamoDbStreamOptions)).toThrow(
      new TypeError(`dynamodbStream({ unmarshall }): ${expected}`),
    );
  });

  it('takes unmarshall options left undefined', () => {
    const event = wire(dynamodbStreamEvents[0]);
    const schema = dynamodbStream(z.unknown(), { unmarshall: { wrapNumbers: undefined } });
    expect(safeParseEvent(schema, event).success).toBe(true);
  });
});
