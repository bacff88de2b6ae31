import { AttributeType, BillingMode, type ITable, Table, type TableProps } from 'aws-cdk-lib/aws-dynamodb';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The props of {@link IdempotencyTable}: a DynamoDB table's, less what the records' layout fixes. */
export type IdempotencyTableProps = Omit<TableProps, 'partitionKey' | 'sortKey' | 'timeToLiveAttribute'>;

/** The item actions lambdakit's DynamoDB stores use: nothing else (no Scan, no Query, no table actions). */
export const RECORD_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/**
 * The table `@lambdakit/idempotency`'s `dynamoDbStore()` keeps its records in, and
 * `@lambdakit/resilience`'s `dynamoDbStateStore()` its breaker and limiter state (one table can hold
 * both: their keys never meet).
 *
 * - Partition key `id` (string), no sort key: the stores address one item at a time.
 * - TTL on `expiration` (epoch seconds): DynamoDB deletes expired records by itself, so the table
 *   does not grow with every event ever handled.
 * - On-demand billing: traffic follows the functions' own, which scale from zero.
 * - Retained when the stack is deleted (DynamoDB's default): the records are what stops a
 *   redelivered event from running twice across a redeploy. Pass `removalPolicy` to change it.
 */
export class IdempotencyTable extends Table {
  constructor(scope: Construct, id: string, props: IdempotencyTableProps = {}) {
    const fixed = props as TableProps;
    for (const name of ['partitionKey', 'sortKey', 'timeToLiveAttribute'] as const) {
      if (fixed[name] !== undefined) {
        throw new TypeError(
          `new IdempotencyTable(…, { ${name} }): the records' layout is fixed (key \`id\`, TTL on \`expiration\`); leave ${name} out`,
        );
      }
    }
    super(scope, id, {
      billingMode: BillingMode.PAY_PER_REQUEST,
      ...props,
      partitionKey: { name: 'id', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
    });
  }

  /** Lets `grantee` read and write records: {@link RECORD_ACTIONS} on this table only (no index, no stream). */
  grantRecords(grantee: IGrantable): Grant {
    return this.grant(grantee, ...RECORD_ACTIONS);
  }
}

/** {@link RECORD_ACTIONS} on `table` for `grantee`: a table of your own (imported, shared) as well as an `IdempotencyTable`. */
export function grantRecords(table: ITable, grantee: IGrantable): Grant {
  return table.grant(grantee, ...RECORD_ACTIONS);
}
