import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType } from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { testStack } from '../test/test-stack.js';
import { IdempotencyTable, type IdempotencyTableProps } from './index.js';

describe('IdempotencyTable', () => {
  it('is keyed on id with TTL on expiration, on demand, retained unless told otherwise', () => {
    const stack = testStack();
    new IdempotencyTable(stack, 'Kept');
    new IdempotencyTable(stack, 'Gone', { removalPolicy: RemovalPolicy.DESTROY });
    const tables = Template.fromStack(stack).findResources('AWS::DynamoDB::Table');
    expect(
      Object.values(tables).map((t) => [
        t.DeletionPolicy,
        t.Properties.KeySchema,
        t.Properties.TimeToLiveSpecification,
      ]),
    ).toEqual([
      ['Retain', [{ AttributeName: 'id', KeyType: 'HASH' }], { AttributeName: 'expiration', Enabled: true }],
      ['Delete', [{ AttributeName: 'id', KeyType: 'HASH' }], { AttributeName: 'expiration', Enabled: true }],
    ]);
  });

  it('refuses a key or TTL of its own: the stores address `id` and expire on `expiration`', () => {
    const props = { partitionKey: { name: 'pk', type: AttributeType.STRING } } as unknown as IdempotencyTableProps;
    expect(() => new IdempotencyTable(testStack(), 'T', props)).toThrow(
      /new IdempotencyTable\(…, \{ partitionKey \}\): the records' layout is fixed/,
    );
  });
});
